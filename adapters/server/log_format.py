"""How the bot logs: one readable line per record, or one JSON object per line with TYHY_LOG_FORMAT=json."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from datetime import UTC, datetime

TEXT_FORMAT = "%(levelname)s %(name)s: %(message)s"
QUIET_LIBRARIES = (
    "slack_sdk",
    "slack_bolt",
    "botbuilder",
    "botframework",
    "msrest",
    "msal",
    "aiohttp.client",
    "urllib3",
    "websockets",
)


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
    # Client libraries log whole requests at DEBUG: a person's pulse card with the answers they tapped, next to
    # their DM channel. They never log below INFO here, whatever the bot's own level.
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(max(logging.INFO, root.level))
