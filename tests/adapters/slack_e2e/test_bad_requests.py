"""Requests Slack never sends, over HTTP: a 4xx and at most one WARNING line, never a 500 or a traceback."""

from __future__ import annotations

import json
import logging
import urllib.parse

import pytest

from tests.adapters.slack_e2e.conftest import Workspace, signed

FORM = "application/x-www-form-urlencoded"


def _quiet_enough(records: list[logging.LogRecord]) -> bool:
    """Nothing above WARNING, at most one WARNING, and no traceback attached to any line."""
    loud = [r for r in records if r.levelno > logging.WARNING or r.exc_info]
    return not loud and sum(r.levelno == logging.WARNING for r in records) <= 1


@pytest.mark.parametrize("timestamp", ["abc", "1.7e9", "", " 12", "१२३"])
async def test_an_unsigned_request_with_a_timestamp_that_is_no_number_gets_401(
    workspace: Workspace, timestamp: str, caplog: pytest.LogCaptureFixture
) -> None:
    body = urllib.parse.urlencode({"command": "/tyhy", "text": "apua", "user_id": "U1", "team_id": "T1"}).encode()
    headers = {**signed(body), "Content-Type": FORM, "X-Slack-Request-Timestamp": timestamp}
    with caplog.at_level(logging.DEBUG):
        async with workspace.http.post(workspace.url, data=body, headers=headers) as response:
            assert response.status == 401
        await workspace.adapter.idle()
    assert _quiet_enough(caplog.records), [(r.levelname, r.getMessage()) for r in caplog.records]
    assert workspace.slack.calls == []


@pytest.mark.parametrize(
    "view",
    [
        {"id": "V1", "callback_id": "anything", "state": {"values": {}}},  # no type
        {"id": "V1", "type": None, "callback_id": "anything"},
        {"id": "V1", "type": 7, "callback_id": "anything"},
        None,
    ],
)
async def test_a_signed_view_submission_whose_view_has_no_type_gets_400(
    workspace: Workspace, view: dict[str, object] | None, caplog: pytest.LogCaptureFixture
) -> None:
    payload = {"type": "view_submission", "user": {"id": "U0001", "team_id": "T1"}, "team": {"id": "T1"}, "view": view}
    body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
    with caplog.at_level(logging.DEBUG):
        status = await workspace.post(body, FORM)
        await workspace.adapter.idle()
    assert status == 400
    assert _quiet_enough(caplog.records), [(r.levelname, r.getMessage()) for r in caplog.records]
    assert workspace.slack.calls == []
