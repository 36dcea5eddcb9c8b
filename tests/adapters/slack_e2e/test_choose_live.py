"""A choosing in Slack: the supervisor's count of senders is redrawn through the outbox as picks arrive, coalesced."""

from __future__ import annotations

import json
from typing import Any

from adapters.common.interactions import LIVE_COALESCE_SECONDS
from bot.flows.choose_live import session_topic
from bot.organisation import Member
from storage.choose_repository import ChooseRepository
from storage.live_message_repository import LiveMessageRepository
from tests.adapters.slack_e2e.conftest import Workspace, slack_id
from tests.bot.flows.conftest import Clock


def dm(member: Member) -> str:
    return "D" + slack_id(member).lstrip("U")  # the fake's conversations.open answer


def posted_to(workspace: Workspace, member: Member, fallback: str) -> dict[str, Any]:
    return next(
        c.body
        for c in workspace.slack.accepted("chat.postMessage")
        if c.body["channel"] == dm(member) and fallback in c.body.get("text", "")
    )


async def send_picks(workspace: Workspace, member: Member, strengths: list[str]) -> int:
    """The member picks strengths on their own card and presses Send, as Slack posts it."""
    card = posted_to(workspace, member, "Valitse vahvuudet")
    [send] = [e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]]
    select = next(b for b in card["blocks"] if b["type"] == "input" and b["block_id"] == "strengths")
    state = {
        "strengths": {
            select["element"]["action_id"]: {
                "type": "multi_static_select",
                "selected_options": [{"value": code} for code in strengths],
            }
        }
    }
    payload = {
        "type": "block_actions",
        "user": {"id": slack_id(member), "team_id": "T1", "name": member.name},
        "team": {"id": "T1"},
        "container": {"type": "message", "channel_id": dm(member), "message_ts": "1700000000.000200"},
        "channel": {"id": dm(member)},
        "message": {"ts": "1700000000.000200"},
        "actions": [{"type": "button", "action_id": send["action_id"], "value": send["value"], "block_id": "x"}],
        "state": {"values": state},
    }
    return await workspace.interact(payload)


async def test_picks_redraw_the_supervisors_count_once_per_moment_through_the_outbox(
    workspace: Workspace, clock: Clock
) -> None:
    demo = workspace.demo
    pirjo, anna, juha = demo.person("Pirjo"), demo.person("Anna"), demo.person("Juha")
    assert await workspace.command(pirjo, "valitaan") == 200
    assert posted_to(workspace, pirjo, "valintansa lähettäneitä 0/14")
    session = ChooseRepository(demo.db).open_for_team(demo.team("kotihoito").id, clock())
    assert session is not None
    remembered = LiveMessageRepository(demo.db).where(session_topic(session.id))
    assert remembered is not None and remembered[0] == pirjo.id and remembered[1].channel_id == dm(pirjo)
    ts = remembered[1].message_id  # where Slack put the card it was sent as the answer to "valitaan"

    # Two picks within the same few seconds: the supervisor's card is redrawn once, with both counted.
    assert await send_picks(workspace, anna, ["FE"]) == 200
    assert await send_picks(workspace, juha, ["YI"]) == 200
    assert [c for c in workspace.slack.accepted("chat.update") if c.body["channel"] == dm(pirjo)] == []
    clock.advance(seconds=LIVE_COALESCE_SECONDS)
    await workspace.worker.drain()
    [redrawn] = [c.body for c in workspace.slack.accepted("chat.update") if c.body["channel"] == dm(pirjo)]
    assert redrawn["ts"] == ts and "valintansa lähettäneitä 2/14" in redrawn["text"]
    assert "2 / 14" in json.dumps(redrawn["blocks"], ensure_ascii=False)

    # A later pick is another redraw of the same message; the outbox keeps nothing back.
    assert await send_picks(workspace, demo.person("Liisa"), ["CO"]) == 200
    clock.advance(seconds=LIVE_COALESCE_SECONDS)
    await workspace.worker.drain()
    updates = [c.body for c in workspace.slack.accepted("chat.update") if c.body["channel"] == dm(pirjo)]
    assert len(updates) == 2 and updates[-1]["ts"] == ts and "3/14" in updates[-1]["text"]
    assert workspace.outbox.depth() == 0 and workspace.outbox.undeliverable_by_recipient() == []


async def test_a_step_taken_while_a_redraw_waits_is_what_the_card_shows_last(
    workspace: Workspace, clock: Clock
) -> None:
    demo = workspace.demo
    pirjo = demo.person("Pirjo")
    assert await workspace.command(pirjo, "valitaan") == 200
    control = posted_to(workspace, pirjo, "valintansa lähettäneitä 0/14")
    assert await send_picks(workspace, demo.person("Anna"), ["FE"]) == 200
    assert await send_picks(workspace, demo.person("Juha"), ["YI"]) == 200

    # Within the seconds the count's redraw waits, Pirjo forms the pairs on the same card.
    pair = next(
        e for b in control["blocks"] if b["type"] == "actions" for e in b["elements"] if "choose.pair" in e["action_id"]
    )
    session = ChooseRepository(demo.db).open_for_team(demo.team("kotihoito").id, clock())
    assert session is not None
    remembered = LiveMessageRepository(demo.db).where(session_topic(session.id))
    assert remembered is not None
    ts = remembered[1].message_id
    payload = {
        "type": "block_actions",
        "user": {"id": slack_id(pirjo), "team_id": "T1", "name": pirjo.name},
        "team": {"id": "T1"},
        "container": {"type": "message", "channel_id": dm(pirjo), "message_ts": ts},
        "channel": {"id": dm(pirjo)},
        "message": {"ts": ts},
        "actions": [{"type": "button", "action_id": pair["action_id"], "value": pair["value"], "block_id": "x"}],
    }
    assert await workspace.interact(payload) == 200
    clock.advance(seconds=LIVE_COALESCE_SECONDS)
    await workspace.worker.drain()
    updates = [c.body for c in workspace.slack.accepted("chat.update") if c.body["channel"] == dm(pirjo)]
    shown = json.dumps(updates[-1]["blocks"], ensure_ascii=False)
    assert updates[-1]["ts"] == ts and "Met – pareittain" in shown and "Muodosta parit" not in shown
    assert all("Muodosta parit" not in json.dumps(u["blocks"], ensure_ascii=False) for u in updates)
