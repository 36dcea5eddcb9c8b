"""Teams activities, in the formats Microsoft documents, become exactly the neutral events the core reads."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.teams.parse import (
    TeamsPayloadError,
    Uninstalled,
    html_to_text,
    parse_activity,
    parse_message_action,
)
from bot.events import ActionSubmitted, CommandText, Installed, MembersChanged, Sender
from bot.messages import SentRef
from bot.organisation import Platform
from tests.adapters.teams.conftest import ACTIVITIES, activity

TENANT = "5d2f8c41-7b3e-4a19-9c6d-0e8f1a2b3c4d"
ANNA = "29:1q8KvXz3Lm0pRt7YwB2nHc5JdFgS4aE6uIoP9kTlVxMbNyQrZsW-3hGfDeCa2B1"
PIRJO = "29:1Zp4Wq7Ey2Rt9Uo3Ia6Sd8Fg1Hj5Kl0ZxCvBnMqWeRtYuIoPaSdFgHjKlZxC-9"
ELINA = "29:1Ex7Rt2Yu9Io4Pa1Sd6Fg3Hj8Kl5Zx0CvBnMqWeRtYuIoPaSdFgHjKlZxCvBn-4"
PERSONAL = "a:1Tq9XyZ2mKp8Lr4Vn6Bw0Cs3Df5Gh7Jk1Qe-8Wr2Ty4Ui6Op8As0Dd2Ff4Gg6Hh8Jj0Kk"
TEAM = "19:Kx3vQ9yL2mN8pR4tW6zA1bC5dE7fG0hJ@thread.tacv2"
CHANNEL = "19:f3b8a1c2d4e5468f9a0b1c2d3e4f5a6b@thread.tacv2"
GROUP = "19:7e1f0a9b2c3d4e5f6a7b8c9d0e1f2a3b@thread.v2"

ANNA_FI = Sender(Platform.TEAMS, ANNA, TENANT, "fi-FI", "Anna Korhonen")
PIRJO_FI = Sender(Platform.TEAMS, PIRJO, TENANT, "fi-FI", "Pirjo Mäkelä")
ANNA_AAD = "8e1b3c5d-2f4a-4b6c-9d8e-7f0a1b2c3d4e"  # Anna's Azure AD object id


def test_a_personal_message_is_a_direct_command() -> None:
    assert parse_activity(activity("message_personal")) == CommandText(ANNA_FI, "apua", PERSONAL, is_direct=True)


def test_a_channel_message_loses_the_bots_mention_and_lists_the_people_mentioned() -> None:
    event = parse_activity(activity("message_channel_mention"))
    # The bot's <at> is gone, entities are decoded (&nbsp; as a space), other mentions stay for the core to name.
    assert event == CommandText(
        ANNA_FI,
        "onnistuminen Joulukuun vuorolista valmis jo nyt! Kiitos <at>Elina Salo</at> & koko tiimi",
        channel_id=CHANNEL,  # the channel itself, not the thread ";messageid=…" the message came in
        is_direct=False,
        mentioned_user_ids=(ELINA,),
    )


def test_a_group_chat_message_is_not_direct_and_a_tag_is_no_person() -> None:
    event = parse_activity(activity("message_group_chat"))
    sender = Sender(Platform.TEAMS, PIRJO, TENANT, "sv-FI", "Pirjo Mäkelä")
    assert event == CommandText(sender, "plan <at>Kotihoito</at>", GROUP, is_direct=False, mentioned_user_ids=())


def test_a_card_submit_is_the_action_with_its_inputs_and_the_card_it_came_from() -> None:
    assert parse_activity(activity("submit_pulse_answer")) == ActionSubmitted(
        ANNA_FI,
        "pulse.answer",
        "1:4----",
        source=SentRef(Platform.TEAMS, PERSONAL, "1763885645999", TENANT),
        form={"comment": ""},
    )


def test_a_form_submit_carries_every_input_with_a_multi_select_as_one_string() -> None:
    event = parse_activity(activity("submit_plan_form"))
    assert event == ActionSubmitted(
        Sender(Platform.TEAMS, PIRJO, TENANT, "fi-FI", "Pirjo Mäkelä"),
        "plan.edit.target.save",
        "target:1",
        source=SentRef(Platform.TEAMS, PERSONAL, "1763885790777", TENANT),
        form={
            "target_goal": "Työvuorot ennakoitaviksi: vuorolista valmiina kolme viikkoa etukäteen.",
            "target_dimensions": "PR,SW",
            "target_practice": "Toiveet kerätään yhteiseen taulukkoon.\r\n"
            "Vuorolista julkaistaan joka kolmas perjantai.",
            "target_follow_up": "",
        },
    )


def test_odd_input_values_become_the_strings_the_core_reads() -> None:
    submit = activity("submit_pulse_answer")
    submit["value"] = {
        "tyhy.action": "plan.edit.target.save",
        "tyhy.value": "target:1",
        "dims": ["PR", "SW"],  # a client that sends a list rather than Teams' comma-separated string
        "cleared": None,
        "count": 3,
        "agreed": True,
        "msteams": {"type": "messageBack"},  # no input of ours sends an object: left out
    }
    event = parse_activity(submit)
    assert isinstance(event, ActionSubmitted)
    assert event.form == {"dims": "PR,SW", "cleared": "", "count": "3", "agreed": "true"}


def test_a_universal_action_invoke_reads_like_a_submit() -> None:
    assert parse_activity(activity("invoke_adaptive_card_action")) == ActionSubmitted(
        ANNA_FI,
        "pulse.answer",
        "1:4----",
        source=SentRef(Platform.TEAMS, PERSONAL, "1763885645999", TENANT),
        form={"comment": "Hyvä kysely"},
    )


def test_the_bot_added_to_a_team_is_an_install_into_its_general_channel() -> None:
    # This activity has no conversation.tenantId: the tenant comes from channelData.
    event = parse_activity(activity("conversation_update_installed_team"))
    installer = Sender(Platform.TEAMS, PIRJO, TENANT, None, "Pirjo Mäkelä")
    assert event == Installed(Platform.TEAMS, TENANT, TEAM, "Kotihoito", installer)


def test_the_bot_added_to_a_personal_chat_is_an_install_without_a_channel() -> None:
    event = parse_activity(activity("conversation_update_installed_personal"))
    installer = Sender(Platform.TEAMS, ANNA, TENANT, None, "Anna Korhonen")
    assert event == Installed(Platform.TEAMS, TENANT, "", "", installer)


def test_people_joining_and_leaving_a_team_change_its_members() -> None:
    assert parse_activity(activity("conversation_update_members_added")) == MembersChanged(
        Platform.TEAMS, TENANT, TEAM, added=(ANNA, ELINA)
    )
    assert parse_activity(activity("conversation_update_members_removed")) == MembersChanged(
        Platform.TEAMS, TENANT, TEAM, removed=(ELINA,)
    )


def test_a_renamed_team_reactions_and_typing_are_ignored() -> None:
    for name in ("conversation_update_team_renamed", "message_reaction", "typing"):
        assert parse_activity(activity(name)) is None, name


def test_installation_updates_install_and_uninstall() -> None:
    assert parse_activity(activity("installation_update_add")) == Installed(
        Platform.TEAMS, TENANT, TEAM, "Kotihoito", PIRJO_FI
    )
    upgrade = activity("installation_update_add")
    upgrade["action"] = "add-upgrade"
    assert parse_activity(upgrade) == parse_activity(activity("installation_update_add"))
    assert parse_activity(activity("installation_update_remove")) == Uninstalled(TENANT, TEAM)
    still_there = activity("installation_update_remove")
    still_there["action"] = "remove-upgrade"
    assert parse_activity(still_there) is None


def test_the_bot_removed_from_a_team_is_an_uninstall() -> None:
    removed = activity("conversation_update_members_removed")
    removed["membersRemoved"] = [{"id": removed["recipient"]["id"]}]
    assert parse_activity(removed) == Uninstalled(TENANT, TEAM)


def test_sharing_a_message_as_a_success_reads_its_text_and_author() -> None:
    share = activity("compose_extension_share_success")
    assert parse_activity(share) is None  # not a card action: the adapter routes it to parse_message_action
    assert parse_message_action(share) == ActionSubmitted(
        PIRJO_FI,
        "success.from_message",
        "",
        source=None,
        form={
            "text": "Joulukuun vuorolista valmis jo nyt & kaikki toiveet mukana!\n\n"
            "Kiitos @Elina Salo ja @Juha hienosta työstä.\n🎉",
            "channel": CHANNEL,
        },
        # Its writer as Teams names them: by Azure AD object id, which the adapter swaps for their Teams id.
        author=Sender(Platform.TEAMS, ANNA_AAD, TENANT, display_name="Anna Korhonen"),
    )


def test_a_message_a_bot_wrote_is_shared_with_the_bots_name() -> None:
    share = activity("compose_extension_share_success")
    share["value"]["messagePayload"]["from"] = {
        "user": None,
        "application": {"applicationIdentityType": "bot", "id": "28:workflows", "displayName": "Workflows"},
    }
    shared = parse_message_action(share)
    assert shared is not None and shared.form["text"].startswith("Joulukuun vuorolista")
    assert shared.author == Sender(Platform.TEAMS, "", TENANT, display_name="Workflows")  # a name, never an id


def test_a_message_whose_writer_teams_does_not_name_is_still_shared() -> None:
    share = activity("compose_extension_share_success")
    for unnamed in (None, {}, {"user": None, "application": None}, {"user": {"id": 7}}):
        share["value"]["messagePayload"]["from"] = unnamed
        shared = parse_message_action(share)
        assert shared is not None and shared.author is None and shared.form["text"]


def test_the_sharers_note_comes_with_the_shared_message() -> None:
    share = activity("compose_extension_share_success")
    share["value"]["data"] = {"note": "  Tästä iso kiitos!  "}
    shared = parse_message_action(share)
    assert shared is not None and shared.form["note"] == "Tästä iso kiitos!"
    share["value"]["data"] = {"note": "   "}
    shared = parse_message_action(share)
    assert shared is not None and "note" not in shared.form


def test_other_message_actions_and_activities_are_not_a_shared_success() -> None:
    other = activity("compose_extension_share_success")
    other["value"]["commandId"] = "somethingElse"
    assert parse_message_action(other) is None
    assert parse_message_action(activity("message_personal")) is None


def test_html_becomes_the_text_a_person_reads() -> None:
    html = "<div>Hei&nbsp;<b>kaikki</b></div><div>toinen &lt;rivi&gt;</div>"
    assert html_to_text(html) == "Hei kaikki\n\ntoinen <rivi>"
    assert html_to_text("plain text") == "plain text"


def test_messages_without_words_are_ignored() -> None:
    picture = activity("message_personal")
    picture["text"] = " \n"
    picture["attachments"] = [{"contentType": "image/*", "contentUrl": "https://example.invalid/p.png"}]
    assert parse_activity(picture) is None
    del picture["text"]
    assert parse_activity(picture) is None


def test_the_locale_falls_back_to_the_client_info_entity() -> None:
    message = activity("message_personal")
    del message["locale"]
    message["entities"][0]["locale"] = "sv-SE"
    event = parse_activity(message)
    assert isinstance(event, CommandText) and event.sender.locale == "sv-SE"


# --- Garbage --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "path", "bad"),
    [
        ("submit_pulse_answer", ("value", "tyhy.action"), 7),
        ("submit_pulse_answer", ("value", "tyhy.value"), ["x"]),
        ("submit_pulse_answer", ("from",), "Anna"),
        ("submit_pulse_answer", ("from", "id"), None),
        ("submit_pulse_answer", ("conversation",), None),
        ("message_personal", ("from",), None),
        ("invoke_adaptive_card_action", ("value", "action"), "submit"),
        ("invoke_adaptive_card_action", ("value", "action", "data"), None),
        ("conversation_update_members_added", ("recipient",), []),
        ("installation_update_remove", ("conversation",), "19:x"),
    ],
)
def test_a_broken_activity_the_bot_should_act_on_is_a_payload_error(name: str, path: tuple[str, ...], bad: Any) -> None:
    broken = activity(name)
    parent = broken
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = bad
    with pytest.raises(TeamsPayloadError):
        parse_activity(broken)


def test_not_an_object_at_all_is_a_payload_error() -> None:
    garbage: Any
    for garbage in (None, [], "message", 3):
        with pytest.raises(TeamsPayloadError):
            parse_activity(garbage)
        with pytest.raises(TeamsPayloadError):
            parse_message_action(garbage)


def test_an_empty_or_unknown_activity_is_ignored() -> None:
    assert parse_activity({}) is None
    assert parse_activity({"type": "event", "name": "application/vnd.microsoft.meetingStart"}) is None
    assert parse_message_action({}) is None


EVENTS = (CommandText, ActionSubmitted, Installed, MembersChanged, Uninstalled)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
_FIXTURES = [
    "message_personal",
    "message_channel_mention",
    "submit_plan_form",
    "invoke_adaptive_card_action",
    "conversation_update_installed_team",
    "conversation_update_members_added",
    "installation_update_add",
    "compose_extension_share_success",
]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, child in node.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += _paths(child, (*prefix, index))
    return found


WRONG: tuple[Any, ...] = (None, 0, True, "x", "", [], {}, [{}], {"id": 5})


@pytest.mark.parametrize("name", sorted(p.stem for p in ACTIVITIES.glob("*.json")))
def test_every_part_of_every_fixture_replaced_by_each_wrong_kind_parses_cleanly(name: str) -> None:
    for path in _paths(activity(name)):
        for wrong in WRONG:
            broken = activity(name)
            parent = broken
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = wrong
            assert_parses_cleanly(broken)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_FIXTURES), st.data(), _JSON)
def test_any_part_replaced_by_anything_gives_an_event_none_or_a_payload_error(
    name: str, data: st.DataObject, replacement: Any
) -> None:
    broken = copy.deepcopy(activity(name))
    path = data.draw(st.sampled_from(_paths(broken)))
    parent = broken
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = replacement
    assert_parses_cleanly(broken)


@settings(max_examples=200, deadline=None)
@given(_JSON)
def test_any_json_at_all_gives_an_event_none_or_a_payload_error(garbage: Any) -> None:
    assert_parses_cleanly(garbage)


def assert_parses_cleanly(payload: Any) -> None:
    """Never a KeyError or TypeError: an event, None, or TeamsPayloadError."""
    for parse in (parse_activity, parse_message_action):
        try:
            result = parse(payload)
        except TeamsPayloadError:
            continue
        assert result is None or isinstance(result, EVENTS), result
