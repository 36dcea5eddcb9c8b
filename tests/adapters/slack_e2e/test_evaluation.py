"""Slack end to end: the supervisor answers the year-end evaluation in one Block Kit message and decides the draft."""

from __future__ import annotations

from typing import Any

from storage.evaluation_repository import EvaluationRepository
from storage.plan_repository import PlanRepository
from tests.adapters.slack_e2e.conftest import Workspace, slack_id
from tests.adapters.slack_e2e.test_events import _radio_state


def _press(
    workspace: Workspace, posted: dict[str, Any], channel: str, ts: str, action: dict[str, Any], picks: dict[str, str]
) -> dict[str, Any]:
    pirjo = workspace.demo.supervisor("kotihoito")
    return {
        "type": "block_actions",
        "user": {"id": slack_id(pirjo), "team_id": "T1", "name": "pirjo"},
        "team": {"id": "T1"},
        "container": {"type": "message", "channel_id": channel, "message_ts": ts},
        "channel": {"id": channel},
        "message": {"ts": ts},
        "actions": [{**action, "block_id": "x"}],
        "state": {"values": _radio_state(posted["blocks"], picks)},
    }


def _button(blocks: list[dict[str, Any]], label: str) -> dict[str, Any]:
    for block in blocks:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            if element["text"]["text"] == label:
                return {"type": "button", "action_id": element["action_id"], "value": element.get("value", "")}
    raise AssertionError(f"no button {label}")


async def test_the_evaluation_is_answered_in_slack_and_its_draft_decided_there(workspace: Workspace) -> None:
    demo = workspace.demo
    pirjo = demo.supervisor("kotihoito")
    plan = PlanRepository(demo.db).current(demo.team("kotihoito").id)
    assert plan is not None and plan.id is not None
    assert await workspace.command(pirjo, "arviointi") == 200
    post = workspace.slack.accepted("chat.postMessage")[-1]
    form = post.body
    channel, ts = post.body["channel"], "1700000000.999999"  # the message's ts as Slack gave it
    radios = [b["block_id"] for b in form["blocks"] if b["type"] == "input" and b["element"]["type"] == "radio_buttons"]
    assert len(radios) == len(plan.targets) + len(plan.strengths)

    picks = {f"eval_outcome_{plan.targets[0].id}": "achieved", f"eval_helped_{plan.targets[0].id}": "Taulukko"}
    save = _button(form["blocks"], "Tallenna arviointi")
    assert await workspace.interact(_press(workspace, form, channel, ts, save, picks)) == 200
    (back,) = workspace.slack.called("chat.update")
    assert back.body["ts"] == ts and "Valitse vielä kehittämiskohteelle 2" in str(back.body["blocks"])
    initial = {b["block_id"]: b["element"].get("initial_value") for b in back.body["blocks"] if b["type"] == "input"}
    assert initial[f"eval_helped_{plan.targets[0].id}"] == "Taulukko"  # what was typed comes back

    picks |= {f"eval_outcome_{plan.targets[1].id}": "partly"} | {f"eval_kept_{s.id}": "yes" for s in plan.strengths}
    assert await workspace.interact(_press(workspace, back.body, channel, ts, save, picks)) == 200
    saved = workspace.slack.called("chat.update")[-1]
    assert "Arviointi tallennettu: Kotihoito (2026)" in str(saved.body["blocks"])
    draft = workspace.slack.accepted("chat.postMessage")[-1]
    assert draft.body["channel"] == channel and "Luonnos 2027: Kotihoito" in draft.body["text"]
    assert "Kesken jäänyt toimenpide: Varahenkilöiden lista päivitetään" in str(draft.body["blocks"])
    stored = EvaluationRepository(demo.db).for_plan(plan.id)
    assert stored is not None and len(stored.targets) == 2
