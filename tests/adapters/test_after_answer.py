"""Work started after answering the platform: a failure is logged with its type and frames, never its text."""

from __future__ import annotations

import logging

import pytest

from adapters.common.after_answer import AfterAnswer

SECRET = "Anna's comment: the rota is unfair"


async def failing_work() -> None:
    raise LookupError(SECRET)


async def test_a_failure_names_its_type_and_where_it_was_raised_but_not_what_it_said(
    caplog: pytest.LogCaptureFixture,
) -> None:
    work = AfterAnswer("Slack")
    with caplog.at_level(logging.ERROR, "adapters.common.after_answer"):
        work.start(failing_work())
        await work.idle()
    (record,) = caplog.records
    assert record.getMessage().startswith("Slack work failed: LookupError at tests/adapters/test_after_answer.py:")
    assert "in failing_work" in record.getMessage()
    assert SECRET not in caplog.text and record.exc_info is None
