# tyhybot: one image for every replica. Build: docker build -t tyhybot .
FROM python:3.11-slim

WORKDIR /app
# Dependencies first, pinned, so a code change does not reinstall them.
COPY pyproject.toml constraints.txt README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY scheduler ./scheduler
COPY storage ./storage
COPY bench ./bench
RUN pip install --no-cache-dir -c constraints.txt . \
    && useradd --create-home tyhy
USER tyhy

ENV TYHY_HOST=0.0.0.0 \
    TYHY_PORT=3978
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3978/healthz', timeout=4)"
# Migrations are run once per upgrade by `tyhy db upgrade` (see docs/deployment.md), not by every replica at start.
CMD ["tyhy", "serve"]
