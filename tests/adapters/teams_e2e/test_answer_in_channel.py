"""A command typed in a Teams channel: the team's own answer (its plan) in the thread, the rest in the 1:1 chat."""

from __future__ import annotations

from tests.adapters.teams_e2e.conftest import Tenant, teams_id
from tests.fakes.teams_activities import TEAM_ID, channel_message


def card_text(activity: dict[str, object]) -> str:
    return str(activity.get("attachments", "")) + str(activity.get("text", ""))


async def test_the_plan_asked_in_a_channel_is_answered_in_the_channel_thread(tenant: Tenant) -> None:
    anna = tenant.demo.person("Anna")
    asked = channel_message(tenant.connector.url, teams_id(anna), "suunnitelma")
    status, _ = await tenant.post(asked)
    assert status == 200

    (reply,) = tenant.connector.sent
    conversation, activity = reply
    assert conversation == asked["conversation"]["id"]  # "19:…;messageid=…": the thread of her post
    assert activity["replyToId"] == asked["id"]
    assert "Kotihoito" in card_text(activity)
    assert tenant.connector.conversations_created == []  # no 1:1 chat for the team's own answer


async def test_a_personal_answer_goes_to_the_1_to_1_chat_with_a_pointer_in_the_thread(tenant: Tenant) -> None:
    anna = tenant.demo.person("Anna")
    thread = "1763885000000"
    asked = channel_message(tenant.connector.url, teams_id(anna), "apua", thread=thread)
    status, _ = await tenant.post(asked)
    assert status == 200

    sent = dict(tenant.connector.sent)
    private = sent[f"a:{teams_id(anna)}"]
    assert "suunnitelma" in card_text(private)  # the help, in her 1:1 chat
    pointer = sent[f"{TEAM_ID};messageid={thread}"]
    assert pointer["text"] == "Vastasin sinulle yksityisesti: löydät vastauksen keskustelustamme."
    assert pointer["replyToId"] == asked["id"] and "suunnitelma" not in pointer["text"]


async def test_when_the_1_to_1_chat_cannot_be_opened_the_thread_says_so(tenant: Tenant) -> None:
    anna = tenant.demo.person("Anna")
    tenant.connector.fail("create", 403, code="BotNotInConversationRoster")
    asked = channel_message(tenant.connector.url, teams_id(anna), "help", locale="en-US")
    assert (await tenant.post(asked))[0] == 200
    ((conversation, pointer),) = tenant.connector.sent
    assert conversation == asked["conversation"]["id"]
    assert pointer["text"].startswith("I could not answer you privately")
