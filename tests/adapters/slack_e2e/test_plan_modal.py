"""Plan editing in a Slack modal, end to end: the edit card's button opens the form, the submission saves or refuses."""

from __future__ import annotations

import json
import os
import urllib.parse
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.organisation import Member
from bot.plan import DevelopmentPlan
from storage.plan_repository import PlanRepository
from tests.adapters.slack_e2e.conftest import Workspace, signed, slack_id

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("TYHY_UPDATE_GOLDEN") == "1"
TRIGGER = "12345.98765.abcd2358fdea"


def check_golden(name: str, payload: dict[str, Any]) -> None:
    """Compare with golden/<name>.json; with TYHY_UPDATE_GOLDEN=1 write it instead (then review it)."""
    path = GOLDEN / f"{name}.json"
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path.name}: run with TYHY_UPDATE_GOLDEN=1, then review it"
    assert json.loads(path.read_text(encoding="utf-8")) == payload, f"{path.name} differs from what was sent"


async def interact(workspace: Workspace, payload: dict[str, Any]) -> tuple[int, str]:
    """Post an interaction as Slack does; the status and the body of the answer (the ack)."""
    body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(body)}
    async with workspace.http.post(workspace.url, data=body, headers=headers) as response:
        answer = response.status, await response.text()
    await workspace.adapter.idle()
    return answer


def user(member: Member) -> dict[str, str]:
    return {"id": slack_id(member), "username": member.name, "team_id": "T1"}


async def open_edit_card(workspace: Workspace, member: Member) -> dict[str, Any]:
    """`/tyhy päivitä`: the edit card posted to the person's DM (a message, so it can be updated later)."""
    assert await workspace.command(member, "päivitä") == 200
    post = workspace.slack.called("chat.postMessage")[-1]
    assert post.body["channel"] == "D" + slack_id(member).lstrip("U")
    return {**post.body, "ts": "1700000000.000042"}  # the bot keeps no ts of its own here: the click names it


def button(message: dict[str, Any], action: str, label: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [
        element
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"].startswith(action + ":") and label in element["text"]["text"]
    ]
    assert len(found) == 1, f"{label!r} on the card: {len(found)} buttons"
    return found[0]


async def press(
    workspace: Workspace,
    member: Member,
    message: dict[str, Any],
    element: dict[str, Any],
    state: dict[str, Any] | None = None,
) -> int:
    """A click on a button of a message in the DM, with the trigger_id Slack sends for opening a modal (and the
    message's input blocks' `state`, as Slack sends it with a click on a message that has inputs)."""
    channel, ts = message["channel"], message["ts"]
    payload = {
        "type": "block_actions",
        "user": user(member),
        "team": {"id": "T1", "domain": "esimerkkila"},
        "api_app_id": "A1",
        "trigger_id": TRIGGER,
        "container": {"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": False},
        "channel": {"id": channel, "name": "directmessage"},
        "message": {"ts": ts, "text": message["text"], "blocks": message["blocks"]},
        "actions": [{**element, "block_id": "b1", "action_ts": "1700000001.000001"}],
        **({"state": state} if state is not None else {}),
    }
    status, _ = await interact(workspace, payload)
    return status


def submission(member: Member, view: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """The view_submission of a modal as Slack builds it from the opened view and what the person typed."""
    stored = {
        **view,
        "id": "V1",
        "team_id": "T1",
        "state": typed_state(view["blocks"], values),
        "hash": "1700000002.abc",
    }
    return {"type": "view_submission", "team": {"id": "T1"}, "user": user(member), "api_app_id": "A1", "view": stored}


def typed_state(blocks: list[dict[str, Any]], values: dict[str, str]) -> dict[str, Any]:
    """The `state` Slack sends for input blocks: what was typed, else what the block showed."""
    state: dict[str, dict[str, Any]] = {}
    for block in blocks:
        if block["type"] != "input":
            continue
        element = block["element"]
        typed = values.get(block["block_id"])
        if element["type"] == "plain_text_input":
            value = {"type": "plain_text_input", "value": typed if typed is not None else element.get("initial_value")}
        else:
            chosen = next((o for o in element["options"] if o["value"] == typed), element.get("initial_option"))
            value = {"type": element["type"], "selected_option": chosen}
        state[block["block_id"]] = {element["action_id"]: value}
    return {"values": state}


def without_ids(workspace: Workspace, view: dict[str, Any]) -> dict[str, Any]:
    """The view with member ids (the owner choices' values) as <name>: ids differ between database backends."""
    names = {str(m.id): m.name for m in workspace.demo.members}
    text = json.dumps(view, ensure_ascii=False)
    for member_id, name in names.items():
        text = text.replace(f'"value": "{member_id}"', f'"value": "<{name}>"')
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def plan_of(workspace: Workspace, key: str) -> DevelopmentPlan:
    plan = PlanRepository(workspace.demo.db).current(workspace.demo.team(key).id)
    assert plan is not None
    return plan


async def open_action_form(workspace: Workspace, member: Member, label: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The edit card, then its "add an action to target 1" button: the message and the modal it opened."""
    card = await open_edit_card(workspace, member)
    assert await press(workspace, member, card, button(card, "plan.edit.action.add", label)) == 200
    (opened,) = workspace.slack.called("views.open")
    assert opened.body["trigger_id"] == TRIGGER
    return card, opened.body["view"]


async def test_the_add_action_button_opens_the_form_as_a_modal_not_in_the_dm(workspace: Workspace) -> None:
    pirjo = workspace.demo.supervisor("kotihoito")
    _, view = await open_action_form(workspace, pirjo, "Lisää toimenpide kohteeseen 1")
    target = plan_of(workspace, "kotihoito").targets[0]
    # The ids in the metadata are the database's: the golden file holds a placeholder for them.
    metadata = json.loads(view["private_metadata"])
    assert metadata == {"v": f"target:{target.id}", "c": "D" + slack_id(pirjo).lstrip("U"), "t": metadata["t"]}
    check_golden("plan_modal_open", without_ids(workspace, {**view, "private_metadata": "…"}))
    assert view["callback_id"] == "plan.edit.action.save" and len(view["title"]["text"]) <= 24
    assert view["submit"]["text"] == "Tallenna" and view["close"]["text"] == "Peruuta"
    # Nothing new in the DM and the edit card stays as it was: the form lives in the modal only.
    posted = [c.body["text"] for c in workspace.slack.called("chat.postMessage")]
    assert posted == ["Suunnitelman muokkaus 2026: Kotihoito"]
    assert workspace.slack.called("chat.update") == []


async def test_submitting_saves_the_action_and_redraws_the_edit_card(workspace: Workspace) -> None:
    pirjo, ahmed = workspace.demo.supervisor("kotihoito"), workspace.demo.person("Ahmed")
    card, view = await open_action_form(workspace, pirjo, "Lisää toimenpide kohteeseen 1")
    typed = {"action_text": "Vuorolistat kahdeksi viikoksi eteenpäin", "action_owner": str(ahmed.id)}
    status, body = await interact(workspace, submission(pirjo, view, {**typed, "action_due": "kahden viikon päästä"}))
    assert status == 200 and body == ""  # an empty ack closes the modal
    saved = next(a for a in plan_of(workspace, "kotihoito").targets[0].actions if a.text == typed["action_text"])
    assert saved.due_on == date(2026, 12, 7) and saved.owner_id == ahmed.id
    (update,) = workspace.slack.called("chat.update")
    assert (update.body["channel"], update.body["ts"]) == (card["channel"], card["ts"])
    shown = json.dumps(update.body["blocks"], ensure_ascii=False)
    assert "Vuorolistat kahdeksi viikoksi eteenpäin" in shown and "7.12.2026" in shown and "Ahmed Hassan" in shown
    posts = workspace.slack.called("chat.postMessage")
    confirmation = [p for p in posts if p.body["channel"] == card["channel"]][-1]
    assert "toimenpide" in confirmation.body["text"].lower()
    # Ahmed, given the action, hears of it in his own DM and language: through the outbox, since it is not his act.
    await workspace.settled()
    told = [p for p in workspace.slack.called("chat.postMessage") if p.body["channel"] != card["channel"]]
    assert [p.body["text"] for p in told] == ["An action for you – Kotihoito"]
    assert "Vuorolistat kahdeksi viikoksi eteenpäin" in json.dumps(told[0].body["blocks"], ensure_ascii=False)


@pytest.mark.parametrize(
    ("language", "button_label", "submit", "due", "shown"),
    [
        ("en", "Add an action to target 1", "Save", "in two weeks", "7 Dec 2026"),
        ("sv", "Lägg till åtgärd i område 1", "Spara", "om två veckor", "7.12.2026"),
    ],
)
async def test_a_due_date_in_words_is_read_in_the_persons_language(
    workspace: Workspace, language: str, button_label: str, submit: str, due: str, shown: str
) -> None:
    pirjo = workspace.demo.supervisor("kotihoito")
    assert await workspace.command(pirjo, f"language {language}") == 200
    _, view = await open_action_form(workspace, pirjo, button_label)
    assert view["submit"]["text"] == submit
    typed = {"action_text": "Swap lists two weeks ahead", "action_due": due}
    status, body = await interact(workspace, submission(pirjo, view, typed))
    assert (status, body) == (200, "")
    saved = next(a for a in plan_of(workspace, "kotihoito").targets[0].actions if a.text == typed["action_text"])
    assert saved.due_on == date(2026, 12, 7)
    assert shown in json.dumps(workspace.slack.called("chat.update")[-1].body["blocks"], ensure_ascii=False)


async def test_an_unreadable_submission_closes_the_modal_and_saves_nothing(workspace: Workspace) -> None:
    pirjo = workspace.demo.supervisor("kotihoito")
    before = plan_of(workspace, "kotihoito")
    _, view = await open_action_form(workspace, pirjo, "Lisää toimenpide kohteeseen 1")
    forged = {**view, "private_metadata": "target:1"}  # not what the bot wrote there
    assert await interact(workspace, submission(pirjo, forged, {"action_text": "Jotain"})) == (200, "")
    assert plan_of(workspace, "kotihoito") == before
    assert workspace.slack.called("chat.update") == []


async def test_a_due_date_not_understood_keeps_the_modal_open_with_the_error_under_the_field(
    workspace: Workspace,
) -> None:
    pirjo = workspace.demo.supervisor("kotihoito")
    actions_before = plan_of(workspace, "kotihoito").targets[0].actions
    _, view = await open_action_form(workspace, pirjo, "Lisää toimenpide kohteeseen 1")
    typed = {"action_text": "Vuorolistat ajoissa", "action_due": "joskus keväällä"}
    status, body = await interact(workspace, submission(pirjo, view, typed))
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "errors" and list(answer["errors"]) == ["action_due"]
    assert answer["errors"]["action_due"].startswith("En saanut aikataulusta selvää")
    assert plan_of(workspace, "kotihoito").targets[0].actions == actions_before  # nothing saved
    assert workspace.slack.called("chat.update") == []


async def test_an_empty_text_is_told_under_the_text_field_in_english(workspace: Workspace) -> None:
    pirjo = workspace.demo.supervisor("kotihoito")
    assert await workspace.command(pirjo, "language en") == 200
    _, view = await open_action_form(workspace, pirjo, "Add an action to target 1")
    status, body = await interact(workspace, submission(pirjo, view, {"action_text": "  "}))
    assert status == 200
    assert json.loads(body) == {
        "response_action": "errors",
        "errors": {"action_text": "Write a few words: an empty strength, target or action can't be saved."},
    }


async def test_an_error_without_a_field_updates_the_modal_with_the_message_on_top(workspace: Workspace) -> None:
    pirjo = workspace.demo.supervisor("kotihoito")
    _, view = await open_action_form(workspace, pirjo, "Lisää toimenpide kohteeseen 1")
    # A target the person cannot edit (removed meanwhile, or forged): no single field is about that.
    forged = {**view, "private_metadata": json.dumps({"v": "target:999999", "c": "", "t": ""})}
    status, body = await interact(workspace, submission(pirjo, forged, {"action_text": "Jotain"}))
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "update"
    updated = answer["view"]
    assert updated["callback_id"] == view["callback_id"] and updated["private_metadata"] == forged["private_metadata"]
    assert updated["blocks"][0]["block_id"] == "plan_edit_error"
    assert updated["blocks"][1:] == view["blocks"]  # the inputs keep their ids, so Slack keeps what was typed
    assert workspace.slack.called("chat.update") == []


async def test_when_the_modal_cannot_open_the_form_comes_in_place_of_the_card(workspace: Workspace) -> None:
    pirjo = workspace.demo.supervisor("kotihoito")
    workspace.slack.fail("views.open", error="expired_trigger_id")
    card = await open_edit_card(workspace, pirjo)
    assert await press(workspace, pirjo, card, button(card, "plan.edit.strength.add", "Lisää vahvuus")) == 200
    (update,) = workspace.slack.called("chat.update")
    assert (update.body["channel"], update.body["ts"]) == (card["channel"], card["ts"])
    assert any(block["type"] == "input" for block in update.body["blocks"])  # the form, in place of the card


async def test_closing_the_modal_changes_nothing(workspace: Workspace) -> None:
    pirjo = workspace.demo.supervisor("kotihoito")
    before = plan_of(workspace, "kotihoito")
    _, view = await open_action_form(workspace, pirjo, "Lisää toimenpide kohteeseen 1")
    closed = {"type": "view_closed", "team": {"id": "T1"}, "user": user(pirjo), "view": {**view, "id": "V1"}}
    assert await interact(workspace, closed) == (200, "")
    assert plan_of(workspace, "kotihoito") == before
    assert workspace.slack.called("chat.update") == []


def shown_in(blocks: list[dict[str, Any]]) -> dict[str, str | None]:
    """What a message's input blocks show: their initial text or the value of their initial choice."""
    shown: dict[str, str | None] = {}
    for block in blocks:
        if block["type"] == "input":
            element = block["element"]
            initial = element.get("initial_option")
            shown[block["block_id"]] = initial["value"] if initial else element.get("initial_value")
    return shown


async def test_a_form_in_the_dm_refused_for_one_field_opens_as_a_modal_with_what_was_typed(
    workspace: Workspace,
) -> None:
    pirjo, ahmed = workspace.demo.supervisor("kotihoito"), workspace.demo.person("Ahmed")
    before = plan_of(workspace, "kotihoito")
    workspace.slack.fail("views.open", error="expired_trigger_id")  # the form comes in place of the card instead
    card = await open_edit_card(workspace, pirjo)
    assert (
        await press(workspace, pirjo, card, button(card, "plan.edit.action.add", "Lisää toimenpide kohteeseen 1"))
        == 200
    )
    form = {**card, "blocks": workspace.slack.called("chat.update")[-1].body["blocks"]}
    typed = {
        "action_text": "Vuorolistat ajoissa",
        "action_owner": str(ahmed.id),
        "action_due": "joskus keväällä",
        "action_status": "in_progress",
    }
    save = button(form, "plan.edit.action.save", "Tallenna")
    assert await press(workspace, pirjo, form, save, typed_state(form["blocks"], typed)) == 200
    # The refused form opens as a modal (this press's trigger_id works) with everything typed and the reason on top.
    opened = workspace.slack.accepted("views.open")[-1].body["view"]
    assert shown_in(opened["blocks"]) == typed
    assert "En saanut aikataulusta selvää" in json.dumps(opened["blocks"], ensure_ascii=False)
    assert len(workspace.slack.called("chat.update")) == 1  # the form in the DM stays as the person left it
    assert "”maaliskuun loppuun mennessä”" in workspace.slack.called("chat.postMessage")[-1].body["text"]
    assert plan_of(workspace, "kotihoito") == before
