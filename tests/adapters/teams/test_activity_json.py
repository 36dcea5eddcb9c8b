"""An activity's JSON read without the SDK's models gives what the SDK would: the same reference, the same refusals."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from adapters.teams.activity_json import conversation_reference, misshapen, token_envelope
from tests.adapters.teams.conftest import ACTIVITIES, activity

FIXTURES = sorted(path.stem for path in ACTIVITIES.glob("*.json"))


def sdk_reference(body: dict[str, Any]) -> dict[str, Any]:
    """The SDK's reference for the activity, less the activity id that a reference for proactive use must not carry."""
    reference: dict[str, Any] = TurnContext.get_conversation_reference(Activity().deserialize(body)).serialize()
    reference.pop("activityId", None)
    return reference


@pytest.mark.parametrize("name", FIXTURES)
def test_the_reference_is_the_one_the_sdk_makes(name: str) -> None:
    body = activity(name)

    assert conversation_reference(body) == sdk_reference(body)


def test_fields_teams_adds_to_an_account_are_not_part_of_the_reference() -> None:
    body = activity("message_personal")
    body["from"] = {**body["from"], "userPrincipalName": "anna@example.fi", "email": "anna@example.fi"}
    body["conversation"] = {**body["conversation"], "extra": {"nested": True}}

    reference = conversation_reference(body)

    assert reference == sdk_reference(body)
    assert "userPrincipalName" not in reference["user"]
    assert "extra" not in reference["conversation"]


def test_two_messages_from_a_person_give_the_same_reference() -> None:
    first, second = activity("submit_pulse_answer"), activity("submit_pulse_answer")
    second["id"], second["timestamp"], second["replyToId"] = "f:another", "2027-01-05T09:01:00.000Z", "1700000000009"

    assert conversation_reference(first) == conversation_reference(second)
    assert "activityId" not in conversation_reference(first)


@pytest.mark.parametrize("name", FIXTURES)
def test_every_captured_activity_has_the_shape_the_bot_reads(name: str) -> None:
    assert misshapen(activity(name)) is None


@pytest.mark.parametrize(
    ("key", "value"),
    [("from", "not an account"), ("conversation", ["a:1"]), ("serviceUrl", 42), ("id", {"x": 1}), ("text", 7)],
)
def test_a_part_of_the_wrong_type_is_named(key: str, value: object) -> None:
    body = copy.deepcopy(activity("message_personal"))
    body[key] = value

    assert misshapen(body) == key


def test_the_token_check_sees_the_channel_and_the_service_url() -> None:
    envelope = token_envelope(activity("message_personal"))

    assert envelope.channel_id == "msteams"
    assert envelope.service_url == activity("message_personal")["serviceUrl"]
