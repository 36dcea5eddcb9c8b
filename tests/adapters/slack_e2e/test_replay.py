"""A signed Slack request sent again within its five minutes (a replay) is acknowledged and ignored, on any replica.

Slash commands and shortcuts carry no event id; Slack signs each request it sends anew, so the same signature
and timestamp twice can only be someone sending a captured request again.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from adapters.slack.app import EVENTS_PATH, SlackAdapter
from adapters.slack.settings import SlackSettings
from bot.organisation import Member
from storage.models import TeamChannelRow
from storage.success_repository import SuccessRepository
from tests.adapters.slack_e2e.conftest import SECRET, Workspace, signed, slack_id
from tests.adapters.slack_e2e.test_plan_modal import open_action_form, plan_of, submission
from tests.adapters.slack_e2e.test_share_success import shortcut

CHANNEL = "C0KOTI"
FORM = "application/x-www-form-urlencoded"
TEXT = "Asiakaspalaute oli kiittävää!"


def kotihoito_in_channel(workspace: Workspace) -> int:
    team = workspace.demo.team("kotihoito")
    with workspace.demo.db.transaction() as session:
        session.add(TeamChannelRow(team_id=team.id, platform="slack", workspace="T1", channel_id=CHANNEL))
    return team.id


def success_command(workspace: Workspace, member: Member) -> bytes:
    form = {
        "command": "/tyhy",
        "text": f"onnistuminen {TEXT}",
        "user_id": slack_id(member),
        "user_name": member.name,
        "team_id": "T1",
        "channel_id": "D0001",
        "channel_name": "directmessage",
        "trigger_id": "13345224609.738474920.8088930838d88f008e0",
        "response_url": workspace.slack.response_url("commands"),
    }
    return urllib.parse.urlencode(form).encode()


async def send(http: aiohttp.ClientSession, url: str, body: bytes, headers: dict[str, str]) -> int:
    async with http.post(url, data=body, headers={"Content-Type": FORM, **headers}) as response:
        return response.status


def celebrations(workspace: Workspace) -> list[str]:
    return [c.body["text"] for c in workspace.slack.called("chat.postMessage") if c.body["channel"] == CHANNEL]


def saved(workspace: Workspace, team_id: int) -> list[str]:
    return [s.text for s in SuccessRepository(workspace.demo.db).for_team(team_id) if s.text == TEXT]


@pytest.fixture
async def second_replica(workspace: Workspace) -> AsyncIterator[tuple[SlackAdapter, str]]:
    """Another server on the same database, as a second replica behind the load balancer."""
    first = workspace.adapter
    settings = SlackSettings("xoxb-test", SECRET, workspace.slack.url)
    adapter = SlackAdapter(settings, workspace.demo.db, first.interactions, workspace.port, first.clock)
    app = web.Application()
    adapter.routes(app)
    async with TestServer(app, host="127.0.0.1") as server:
        yield adapter, str(server.make_url(EVENTS_PATH))
    await adapter.idle()


async def test_a_slash_command_replayed_within_five_minutes_saves_and_posts_the_success_once(
    workspace: Workspace,
) -> None:
    team_id = kotihoito_in_channel(workspace)
    anna = workspace.demo.person("Anna")
    body = success_command(workspace, anna)
    headers = signed(body, age=60)  # captured a minute ago: still inside the five minutes a signature is good for

    for _ in range(3):
        assert await send(workspace.http, workspace.url, body, headers) == 200  # acknowledged: nothing to retry
        await workspace.settled()

    assert saved(workspace, team_id) == [TEXT]
    assert len(celebrations(workspace)) == 1
    receipts = [c for c in workspace.slack.called("chat.postMessage") if c.body["channel"] != CHANNEL]
    assert len(receipts) == 1


async def test_a_replay_sent_to_another_replica_is_ignored_there_too(
    workspace: Workspace, second_replica: tuple[SlackAdapter, str]
) -> None:
    team_id = kotihoito_in_channel(workspace)
    body = success_command(workspace, workspace.demo.person("Anna"))
    headers = signed(body)
    other, other_url = second_replica

    assert await send(workspace.http, workspace.url, body, headers) == 200
    await workspace.settled()
    assert await send(workspace.http, other_url, body, headers) == 200
    await other.idle()
    await workspace.settled()

    assert saved(workspace, team_id) == [TEXT]
    assert len(celebrations(workspace)) == 1


async def test_the_same_words_signed_at_another_moment_are_a_new_request(workspace: Workspace) -> None:
    # Only the very same signed request is a replay: a person may well share the same words twice.
    team_id = kotihoito_in_channel(workspace)
    body = success_command(workspace, workspace.demo.person("Anna"))

    assert await send(workspace.http, workspace.url, body, signed(body, age=2)) == 200
    await workspace.settled()
    assert await send(workspace.http, workspace.url, body, signed(body, age=1)) == 200
    await workspace.settled()

    assert saved(workspace, team_id) == [TEXT, TEXT]
    assert len(celebrations(workspace)) == 2


async def test_a_replayed_shortcut_shares_the_message_once(workspace: Workspace) -> None:
    team_id = kotihoito_in_channel(workspace)
    pirjo, anna = workspace.demo.person("Pirjo"), workspace.demo.person("Anna")
    written = {"type": "message", "user": slack_id(anna), "ts": "1700000100.000100", "text": TEXT}
    payload: dict[str, Any] = shortcut(pirjo, written)
    body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
    headers = signed(body)

    assert await send(workspace.http, workspace.url, body, headers) == 200
    await workspace.settled()
    assert await send(workspace.http, workspace.url, body, headers) == 200
    await workspace.settled()

    assert saved(workspace, team_id) == [TEXT]
    assert len(celebrations(workspace)) == 1


async def test_a_replayed_plan_form_saves_the_action_once(workspace: Workspace) -> None:
    pirjo, ahmed = workspace.demo.supervisor("kotihoito"), workspace.demo.person("Ahmed")
    _, view = await open_action_form(workspace, pirjo, "Lisää toimenpide kohteeseen 1")
    typed = {"action_text": "Vuorolistat kahdeksi viikoksi eteenpäin", "action_owner": str(ahmed.id)}
    payload = submission(pirjo, view, {**typed, "action_due": "kahden viikon päästä"})
    body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
    headers = signed(body)

    assert await send(workspace.http, workspace.url, body, headers) == 200
    await workspace.settled()
    assert await send(workspace.http, workspace.url, body, headers) == 200
    await workspace.settled()

    actions = [a for a in plan_of(workspace, "kotihoito").targets[0].actions if a.text == typed["action_text"]]
    assert len(actions) == 1
    assert len(workspace.slack.called("chat.update")) == 1  # the edit card redrawn once
