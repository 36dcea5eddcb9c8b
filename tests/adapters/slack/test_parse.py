"""Slack payloads, written after Slack's documented formats, become exactly the neutral events the core expects."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from adapters.slack.parse import (
    HomeOpened,
    SlackPayloadError,
    Uninstalled,
    event_id,
    parse_command,
    parse_event,
    parse_interaction,
)
from bot.events import ActionSubmitted, CommandText, Installed, MembersChanged, Sender
from bot.messages import SentRef
from bot.organisation import Platform

PAYLOADS = Path(__file__).resolve().parent / "payloads"
SLACK = Platform.SLACK
TEAM = "T07TYHY01"
ANNA = Sender(SLACK, "U07ANNA01", TEAM, None, "anna.korhonen")
PIRJO = Sender(SLACK, "U07PIRJO1", TEAM, None, "pirjo.makela")


def payload(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


# --- Interactions -----------------------------------------------------------------------------------------------


def test_a_pulse_answer_tap_names_the_action_value_message_and_an_empty_comment() -> None:
    assert parse_interaction(payload("block_actions_pulse_answer")) == ActionSubmitted(
        sender=ANNA,
        action="pulse.answer",  # "pulse.answer:4:4----" without render.py's suffix
        value="4:4----",
        source=SentRef(SLACK, "D07ANNA01", "1795420800.000200", TEAM),
        form={"comment": ""},  # an empty text input arrives as null
    )


def test_send_carries_the_radio_picks_the_comment_as_typed_and_the_locale_slack_reports() -> None:
    event = parse_interaction(payload("block_actions_pulse_send"))
    assert event == ActionSubmitted(
        sender=Sender(SLACK, "U07ANNA01", TEAM, "fi-FI", "anna.korhonen"),
        action="pulse.send",
        value="4:-----",
        source=SentRef(SLACK, "D07ANNA01", "1795420800.000200", TEAM),
        form={
            "q1": "4",
            "q2": "5",
            "q3": "3",
            "q4": "0",
            "q5": "",  # radio buttons left unpicked arrive with "selected_option": null
            "comment": "Kiire on kova, mutta tiimi & esihenkilö <3 auttavat.",
        },
    )


def test_a_form_on_a_message_arrives_whole_with_selects_and_multi_selects_as_values() -> None:
    event = parse_interaction(payload("block_actions_plan_edit_save"))
    assert event == ActionSubmitted(
        sender=PIRJO,
        action="plan.edit.action.save",
        value="action:2",
        source=SentRef(SLACK, "D07PIRJO1", "1795430000.000400", TEAM),
        form={
            "action_text": "Varahenkilöiden lista päivitetään",
            "action_owner": "9",
            "action_due": "",
            "action_status": "",  # a select with nothing chosen
            "target_dimensions": "PR,FE",  # a multi-select joined with commas, as Teams sends it
        },
    )


def test_a_select_action_gives_its_option_and_the_workspace_not_the_enterprise() -> None:
    event = parse_interaction(payload("block_actions_select"))
    assert event == ActionSubmitted(
        sender=PIRJO,  # team.id, though user.team_id names the Enterprise Grid org
        action="choose.pick",
        value="PR",
        source=SentRef(SLACK, "C07KOTI01", "1795430000.000400", TEAM),
        form={"choose_target": "PR"},
    )


def test_a_button_on_the_home_tab_has_no_message_to_update_and_reads_the_views_inputs() -> None:
    event = parse_interaction(payload("block_actions_home"))
    assert event == ActionSubmitted(
        sender=Sender(SLACK, "U07JUHA01", TEAM, None, "juha.nieminen"),
        action="followup.remind",
        value="plan:1",
        source=None,
        form={"followup_when": "huomenna klo 14"},
    )


def test_a_modal_submission_is_its_callback_id_with_the_private_metadata_as_value() -> None:
    assert parse_interaction(payload("view_submission")) == ActionSubmitted(
        sender=PIRJO,
        action="plan.edit.action.save",
        value="action:2",
        source=None,
        form={
            "action_text": "Varahenkilöiden lista päivitetään kuukausittain",
            "action_owner": "9",
            "action_due": "ensi perjantaina",
        },
    )


def test_a_closed_modal_is_ignored() -> None:
    assert parse_interaction(payload("view_closed")) is None


def test_sharing_a_message_as_a_success_gives_its_text_author_and_channel() -> None:
    assert parse_interaction(payload("message_action_share_success")) == ActionSubmitted(
        sender=PIRJO,
        action="success.from_message",
        value="",
        source=None,
        form={
            # Mentions stay for the core to name; the channel link, the entity and the rest read as typed.
            "text": "Joulukuun vuorolista valmis & jaettu #kotihoito! Kiitos <@U07ANNA01> ja <@U07JUHA01|juha> :tada:",
            "channel": "C07KOTI01",
        },
        author=Sender(SLACK, "U07ELINA1", TEAM),  # who wrote the message, not who shared it
    )


def test_a_shared_message_a_bot_wrote_names_the_bot() -> None:
    shared = payload("message_action_share_success")
    shared["message"] = {
        "type": "message",
        "subtype": "bot_message",
        "bot_id": "B07ROTA01",
        "username": "Vuorolistarobotti",
        "ts": "1795459000.000300",
        "text": "Vuorolista julkaistu",
    }
    event = parse_interaction(shared)
    assert isinstance(event, ActionSubmitted)
    assert event.author == Sender(SLACK, "", TEAM, display_name="Vuorolistarobotti")
    assert event.sender == PIRJO


def test_another_message_shortcut_is_ignored_and_a_global_shortcut_is_named_after_its_callback() -> None:
    other = payload("message_action_share_success")
    other["callback_id"] = "something_else"
    assert parse_interaction(other) is None
    assert parse_interaction(payload("shortcut")) == ActionSubmitted(
        sender=Sender(SLACK, "U07ANNA01", TEAM, None, "anna.korhonen"),  # only "username" in this payload
        action="shortcut.share_success_global",
        value="",
    )


def test_a_button_without_a_value_gives_an_empty_value() -> None:
    body = payload("block_actions_pulse_answer")
    del body["actions"][0]["value"]
    body["actions"][0]["action_id"] = "command.plan:1"
    event = parse_interaction(body)
    assert isinstance(event, ActionSubmitted) and (event.action, event.value) == ("command.plan", "")


def test_a_message_action_without_a_container_falls_back_to_channel_and_message() -> None:
    body = payload("block_actions_pulse_answer")
    del body["container"]
    event = parse_interaction(body)
    assert isinstance(event, ActionSubmitted)
    assert event.source == SentRef(SLACK, "D07ANNA01", "1795420800.000200", TEAM)


# --- Slash commands ---------------------------------------------------------------------------------------------


def test_a_slash_command_in_a_direct_message_keeps_mentions_for_the_core() -> None:
    assert parse_command(payload("slash_command_dm")) == CommandText(
        sender=ANNA,
        text="onnistuminen Uusi toivetaulukko & vuorolista valmiina! Kiitos <@U07ELINA1|elina.salo>",
        channel_id="D07ANNA01",
        is_direct=True,
        mentioned_user_ids=("U07ELINA1",),
    )


def test_a_slash_command_in_a_channel_is_not_direct() -> None:
    assert parse_command(payload("slash_command_channel")) == CommandText(
        sender=PIRJO, text="suunnitelma", channel_id="C07KOTI01", is_direct=False
    )
    form = payload("slash_command_channel") | {"channel_id": "D07PIRJO1", "channel_name": "privategroup"}
    assert parse_command(form).is_direct  # a "D…" id is a direct message whatever the name says


# --- Events API -------------------------------------------------------------------------------------------------


def test_a_direct_message_is_a_command() -> None:
    body = payload("event_message_im")
    assert parse_event(body) == CommandText(
        sender=Sender(SLACK, "U07MARIA1", TEAM), text="hjälp", channel_id="D07MARIA1", is_direct=True
    )
    assert event_id(body) == "Ev07IM00001"


@pytest.mark.parametrize("name", ["event_message_im_bot", "event_message_changed", "url_verification"])
def test_bots_edits_and_the_url_check_are_ignored(name: str) -> None:
    assert parse_event(payload(name)) is None


def test_a_channel_message_without_a_mention_is_ignored() -> None:
    body = payload("event_message_im")
    body["event"]["channel_type"] = "channel"
    assert parse_event(body) is None  # it reaches the bot as app_mention when it mentions the bot


def test_a_mention_loses_the_bots_own_name_and_lists_the_others() -> None:
    assert parse_event(payload("event_app_mention")) == CommandText(
        sender=Sender(SLACK, "U07ANNA01", TEAM),
        text=(
            "onnistuminen Joulukuun vuorolista valmis <3 viikkoa> etuajassa! Kiitos <@U07ELINA1> ja "
            "<@U07JUHA01|juha>, katso vuorolista (https://intra.example.fi/vuorot) @here"
        ),
        channel_id="C07KOTI01",
        is_direct=False,
        mentioned_user_ids=("U07ELINA1", "U07JUHA01"),
    )


def test_without_authorizations_the_bots_mention_stays_for_the_core_to_strip() -> None:
    body = payload("event_app_mention")
    del body["authorizations"]
    event = parse_event(body)
    assert isinstance(event, CommandText)
    assert event.text.startswith("<@U07TYHYBOT> onnistuminen")  # bot/commands.py strips a leading mention
    assert event.mentioned_user_ids == ("U07TYHYBOT", "U07ELINA1", "U07JUHA01")


def test_people_joining_and_leaving_a_channel() -> None:
    assert parse_event(payload("event_member_joined_channel")) == MembersChanged(
        SLACK, TEAM, "C07KOTI01", added=("U07UUSI01",)
    )
    assert parse_event(payload("event_member_left_channel")) == MembersChanged(
        SLACK, TEAM, "C07KOTI01", removed=("U07JUHA01",)
    )


def test_the_app_itself_joining_a_channel_is_an_installation_there() -> None:
    assert parse_event(payload("event_member_joined_channel_bot")) == Installed(
        SLACK, TEAM, "C07KOTI01", installer=Sender(SLACK, "U07PIRJO1", TEAM)
    )


def test_the_home_tab_opened_and_the_messages_tab_ignored() -> None:
    assert parse_event(payload("event_app_home_opened")) == HomeOpened("U07JUHA01", TEAM)
    assert parse_event(payload("event_app_home_opened_messages")) is None


def test_uninstalling_and_revoking_the_bot_token_end_the_installation() -> None:
    assert parse_event(payload("event_app_uninstalled")) == Uninstalled(TEAM)
    assert parse_event(payload("event_tokens_revoked")) == Uninstalled(TEAM)
    assert parse_event(payload("event_tokens_revoked_user_only")) is None  # the bot still works


# --- Garbage ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("parse", [parse_interaction, parse_event])
@pytest.mark.parametrize("garbage", [{}, {"type": None}, {"type": 7}, {"type": "nonsense"}, {"anything": []}])
def test_what_is_not_a_known_payload_is_ignored(parse: Any, garbage: dict[str, Any]) -> None:
    assert parse(garbage) is None


@pytest.mark.parametrize("garbage", [None, [], "payload", 3, b"{}"])
def test_what_is_not_a_json_object_is_a_payload_error(garbage: object) -> None:
    for parse in (parse_interaction, parse_event, parse_command):
        with pytest.raises(SlackPayloadError):
            parse(garbage)  # type: ignore[arg-type]
    assert event_id(garbage) is None


BROKEN_INTERACTIONS = [
    ("block_actions_pulse_answer", ["actions"], None),
    ("block_actions_pulse_answer", ["actions"], []),
    ("block_actions_pulse_answer", ["actions"], ["button"]),
    ("block_actions_pulse_answer", ["actions", 0, "action_id"], 42),
    ("block_actions_pulse_answer", ["actions", 0, "action_id"], ":4:4----"),
    ("block_actions_pulse_answer", ["user"], "U07ANNA01"),
    ("block_actions_pulse_answer", ["user", "id"], None),
    ("block_actions_pulse_answer", ["container", "message_ts"], None),
    ("view_submission", ["view"], None),
    ("view_submission", ["view", "callback_id"], ""),
    ("shortcut", ["callback_id"], {"id": "x"}),
    ("message_action_share_success", ["user"], None),
]


@pytest.mark.parametrize(("name", "path", "value"), BROKEN_INTERACTIONS)
def test_a_known_interaction_with_a_part_missing_is_a_payload_error(name: str, path: list[Any], value: Any) -> None:
    body = payload(name)
    if path == ["container", "message_ts"]:
        del body["message"]  # no ts to fall back on either
    _set(body, path, value)
    with pytest.raises(SlackPayloadError):
        parse_interaction(body)


@pytest.mark.parametrize(
    ("name", "path", "value"),
    [
        ("event_message_im", ["event"], "message"),
        ("event_message_im", ["event", "user"], None),
        ("event_app_mention", ["event", "channel"], 5),
        ("event_member_joined_channel", ["event", "user"], ["U1"]),
        ("event_app_home_opened", ["event", "user"], ""),
    ],
)
def test_a_known_event_with_a_part_missing_is_a_payload_error(name: str, path: list[Any], value: Any) -> None:
    body = payload(name)
    _set(body, path, value)
    with pytest.raises(SlackPayloadError):
        parse_event(body)


def test_a_slash_command_without_a_user_is_a_payload_error() -> None:
    with pytest.raises(SlackPayloadError):
        parse_command({"text": "apua", "team_id": TEAM})


def test_odd_form_values_are_read_as_empty_not_as_a_crash() -> None:
    body = payload("block_actions_plan_edit_save")
    values = body["state"]["values"]
    values["action_owner"]["action_owner"]["selected_option"] = "9"  # not an object
    values["target_dimensions"]["target_dimensions"]["selected_options"] = [None, {"value": 3}, {"value": "PR"}]
    values["odd"] = "not an object"
    event = parse_interaction(copy.deepcopy(body))
    assert isinstance(event, ActionSubmitted)
    assert event.form["action_owner"] == "" and event.form["target_dimensions"] == "PR" and "odd" not in event.form


def _set(body: Any, path: list[Any], value: Any) -> None:
    for key in path[:-1]:
        body = body[key]
    body[path[-1]] = value
