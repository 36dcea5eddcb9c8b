"""Slack's message shortcut "Share as a success" over HTTP: the writer is named and counted, the sharer too."""

from __future__ import annotations

from typing import Any

from bot.organisation import Member
from storage.models import TeamChannelRow
from storage.success_repository import SuccessRepository
from tests.adapters.slack_e2e.conftest import Workspace, slack_id

CHANNEL = "C0KOTI"


def home_channel(workspace: Workspace) -> int:
    """Kotihoito's channel on Slack, as `/tyhy tiimi linkitä` leaves it; the team's id."""
    team = workspace.demo.team("kotihoito")
    with workspace.demo.db.transaction() as session:
        session.add(TeamChannelRow(team_id=team.id, platform="slack", workspace="T1", channel_id=CHANNEL))
    return team.id


def shortcut(sharer: Member, message: dict[str, Any]) -> dict[str, Any]:
    """A message_action payload (docs.slack.dev/reference/interaction-payloads/shortcuts-interactions-payload)."""
    return {
        "type": "message_action",
        "callback_id": "share_success",
        "trigger_id": "1.2.3",
        "action_ts": "1700000200.000001",
        "response_url": "https://hooks.invalid/message-action",
        "team": {"id": "T1", "domain": "esimerkkila"},
        "user": {"id": slack_id(sharer), "username": "sharer", "name": "sharer", "team_id": "T1"},
        "channel": {"id": CHANNEL, "name": "kotihoito"},
        "message_ts": message["ts"],
        "message": message,
    }


async def test_the_messages_writer_is_credited_and_the_sharer_named_as_who_shared_it(workspace: Workspace) -> None:
    demo = workspace.demo
    team_id = home_channel(workspace)
    pirjo, anna = demo.person("Pirjo"), demo.person("Anna")
    written = {"type": "message", "user": slack_id(anna), "ts": "1700000100.000100", "text": "Vuorolista valmis!"}
    assert await workspace.interact(shortcut(pirjo, written)) == 200

    (celebration,) = [c for c in workspace.slack.called("chat.postMessage") if c.body["channel"] == CHANNEL]
    fields = [f["text"] for block in celebration.body["blocks"] for f in block.get("fields", [])]
    assert "*Kirjoitti*\nAnna Korhonen" in fields and "*Jakoi*\nPirjo Mäkelä" in fields
    (saved,) = [s for s in SuccessRepository(demo.db).for_team(team_id) if s.text == "Vuorolista valmis!"]
    assert saved.author_id == anna.id

    # The writer is told (and gets the choices to tie it to the plan); the sharer is thanked.
    dm_of = {"D" + slack_id(member).lstrip("U"): member.name for member in (pirjo, anna)}
    dms = [(dm_of[c.body["channel"]], c.body["text"]) for c in workspace.slack.called("chat.postMessage")[1:]]
    assert [name for name, _ in dms] == ["Pirjo Mäkelä", "Anna Korhonen", "Anna Korhonen"]
    assert dms[1][1] == "Pirjo Mäkelä jakoi viestisi onnistumisena tiimin kanavalle."


async def test_a_message_a_bot_wrote_is_shared_with_the_bots_name(workspace: Workspace) -> None:
    demo = workspace.demo
    team_id = home_channel(workspace)
    pirjo = demo.person("Pirjo")
    written = {
        "type": "message",
        "subtype": "bot_message",
        "bot_id": "B0ROTA",
        "username": "Vuorolistarobotti",
        "ts": "1700000100.000200",
        "text": "Kaikki vuorot täytetty",
    }
    assert await workspace.interact(shortcut(pirjo, written)) == 200
    (celebration,) = [c for c in workspace.slack.called("chat.postMessage") if c.body["channel"] == CHANNEL]
    fields = [f["text"] for block in celebration.body["blocks"] for f in block.get("fields", [])]
    assert "*Kirjoitti*\nVuorolistarobotti" in fields and "*Jakoi*\nPirjo Mäkelä" in fields
    (saved,) = [s for s in SuccessRepository(demo.db).for_team(team_id) if s.text == "Kaikki vuorot täytetty"]
    assert saved.author_id == pirjo.id  # a bot is counted nowhere: the success is the sharer's to tie
