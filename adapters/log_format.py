"""How the bot logs: one readable line per record, or one JSON object per line with TYHY_LOG_FORMAT=json."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from datetime import UTC, datetime

TEXT_FORMAT = "%(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """A JSON line for log collectors. Loggers never pass tokens, answers or comments (DESIGN.md), so none appear."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["error"] = record.exc_info[0].__name__ if record.exc_info[0] else "unknown"
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(environ: Mapping[str, str] = os.environ) -> None:
    """TYHY_LOG_LEVEL (default WARNING) and TYHY_LOG_FORMAT (text or json)."""
    handler = logging.StreamHandler()
    if environ.get("TYHY_LOG_FORMAT", "text").strip().lower() == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(environ.get("TYHY_LOG_LEVEL", "WARNING").upper())
