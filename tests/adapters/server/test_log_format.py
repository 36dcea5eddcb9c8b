"""Logs as JSON lines when asked: parseable, with level, logger and message; an exception shows only its type."""

from __future__ import annotations

import json
import logging

from adapters.server.log_format import JsonFormatter


def test_a_record_is_one_json_line_and_an_exception_only_its_type() -> None:
    record = logging.LogRecord("scheduler.outbox", logging.WARNING, __file__, 1, "row %d retried", (7,), None)
    line = json.loads(JsonFormatter().format(record))
    assert (line["level"], line["logger"], line["message"]) == ("WARNING", "scheduler.outbox", "row 7 retried")
    try:
        raise ValueError("Anna answered 5")  # an exception's text could quote a person: it is never written
    except ValueError:
        import sys

        failed = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    text = JsonFormatter().format(failed)
    assert json.loads(text)["error"] == "ValueError" and "Anna" not in text
