"""Slack end to end: a supervisor carries a need to the organisation from one Block Kit message."""

from __future__ import annotations

from typing import Any

from bot.org_needs import NeedKind, NeedSource
from storage.need_repository import NeedRepository
from tests.adapters.slack_e2e.conftest import Workspace, slack_id
from tests.adapters.slack_e2e.test_evaluation import _button


def _state(blocks: list[dict[str, Any]], picks: dict[str, str]) -> dict[str, Any]:
    """state.values as Slack sends them: a select's and a radio's chosen option, a text input's value."""
    values: dict[str, Any] = {}
    for block in blocks:
        element = block.get("element")
        if block["type"] != "input" or not isinstance(element, dict):
            continue
        block_id = str(block["block_id"])
        if element["type"] in ("radio_buttons", "static_select"):
            option = next((o for o in element["options"] if o["value"] == picks.get(block_id)), None)
            values[block_id] = {block_id: {"type": element["type"], "selected_option": option}}
        else:
            values[block_id] = {block_id: {"type": element["type"], "value": picks.get(block_id)}}
    return values


async def test_a_need_is_raised_in_slack_and_its_receipt_replaces_the_form(workspace: Workspace) -> None:
    demo = workspace.demo
    pirjo = demo.supervisor("kotihoito")
    assert await workspace.command(pirjo, "tarve") == 200
    post = workspace.slack.accepted("chat.postMessage")[-1]
    form = post.body
    channel, ts = form["channel"], "1700000000.999999"
    picks = {"about": "follow_up", "kind": "other_unit", "text": "Kotihoidon ja sairaalan kotiutuskäytäntö"}
    press = {
        "type": "block_actions",
        "user": {"id": slack_id(pirjo), "team_id": "T1", "name": "pirjo"},
        "team": {"id": "T1"},
        "container": {"type": "message", "channel_id": channel, "message_ts": ts},
        "channel": {"id": channel},
        "message": {"ts": ts},
        "actions": [{**_button(form["blocks"], "Vie listalle"), "block_id": "x"}],
        "state": {"values": _state(form["blocks"], picks)},
    }
    assert await workspace.interact(press) == 200
    (receipt,) = workspace.slack.called("chat.update")
    assert receipt.body["ts"] == ts and "Viety työhyvinvointikoordinaattorin listalle" in str(receipt.body["blocks"])
    [need] = NeedRepository(demo.db).for_organisation(demo.org.id)
    assert (need.source, need.kind, need.text) == (
        NeedSource.FOLLOW_UP,
        NeedKind.OTHER_UNIT,
        "Kotihoidon ja sairaalan kotiutuskäytäntö",
    )
