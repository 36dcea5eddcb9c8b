"""Teams end to end: activities POSTed to /api/messages, the bot's answers as the fake connector received them."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

import pytest

from bot.flows.pulse_rounds import PulseRounds
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.platform_repository import PERSON, PlatformRepository
from storage.pulse_repository import PulseRepository
from tests.adapters.teams_e2e.conftest import Tenant, teams_id
from tests.bot.flows.conftest import START
from tests.fakes import teams_activities as make
from tests.fakes.bf_connector import CREATE, SEND, UPDATE


async def test_help_is_answered_in_the_persons_own_chat_in_their_language(tenant: Tenant) -> None:
    demo, url = tenant.demo, tenant.connector.url
    asked = (("Anna", "apua", "suunnitelma"), ("Maria", "hjälp", "plan"), ("Ahmed", "help", "plan"))
    for name, word, expected in asked:
        status, _ = await tenant.post(make.message(url, teams_id(demo.person(name)), word))
        assert status == 200
        conversation, activity = tenant.connector.sent[-1]
        assert conversation == f"a:{teams_id(demo.person(name))}"
        assert activity["type"] == "message" and activity["textFormat"] == "markdown"
        assert expected in activity["text"].lower()
    # The person's chat came in with the message: the reply went straight into it, no conversation was created.
    assert tenant.connector.of(CREATE) == []
    finnish, swedish = (body["text"] for _, body in tenant.connector.sent[:2])
    assert finnish != swedish


async def test_every_message_stores_the_persons_chat_with_its_service_url(tenant: Tenant) -> None:
    anna = teams_id(tenant.demo.person("Anna"))
    await tenant.post(make.message(tenant.connector.url, anna, "apua"))
    stored = PlatformRepository(tenant.demo.db).conversation("teams", make.TENANT, PERSON, anna)
    assert stored is not None
    assert (stored.conversation_id, stored.service_url) == (f"a:{anna}", tenant.connector.url)
    reference = json.loads(stored.reference)
    assert reference["serviceUrl"] == tenant.connector.url and reference["user"]["id"] == anna
    assert reference["conversation"]["id"] == f"a:{anna}" and reference["bot"] == make.BOT


async def test_a_stranger_is_told_the_bot_does_not_know_them(tenant: Tenant) -> None:
    status, _ = await tenant.post(make.message(tenant.connector.url, "29:nobody-we-know", "apua"))
    assert status == 200
    ((conversation, activity),) = tenant.connector.sent
    assert conversation == "a:29:nobody-we-know" and activity["text"]


async def test_picks_stay_in_teams_until_send_and_the_thank_you_carries_none(tenant: Tenant) -> None:
    demo, connector = tenant.demo, tenant.connector
    directory = OrganisationRepository(demo.db)
    organisation = directory.get()
    assert organisation is not None
    anna = demo.person("Anna")
    pulses = PulseRepository(demo.db)
    pulse_round, reply = PulseRounds(directory, pulses, PlanRepository(demo.db)).open_round(
        organisation, organisation.teams, START + timedelta(days=7), START
    )
    assert pulse_round.id is not None
    card = next(m for m in reply.messages if m.member_id == anna.id)
    sent = await tenant.port.send(card)  # as the outbox sends it: the 1:1 chat is created and stored
    posted = connector.sent[-1][1]
    body = posted["attachments"][0]["content"]["body"]
    choice_sets = [e for e in body if e["type"] == "Input.ChoiceSet"]
    assert len(choice_sets) == 5 and all(e["style"] == "expanded" and "value" not in e for e in choice_sets)
    [send] = submits(posted)  # the only button: a pick is no Action.Submit, so Teams sends nothing for it
    assert send["data"] == {"tyhy.action": "pulse.send", "tyhy.value": f"{pulse_round.id}:-----"}

    # Action.Submit merges the card's inputs into its data (learn.microsoft.com/adaptive-cards, Action.Submit).
    picks = {"q1": "4", "q2": "5", "q3": "3", "q4": "0", "q5": "2", "comment": ""}
    submit = make.card_submit(connector.url, teams_id(anna), {**send["data"], **picks}, reply_to=sent.message_id)
    status, _ = await tenant.post(submit)
    assert status == 200
    ((conversation, activity_id, updated),) = connector.updated
    assert (conversation, activity_id) == (sent.channel_id, sent.message_id)
    written = json.dumps(updated, ensure_ascii=False)
    assert "Kiitos vastauksistasi" in written and "Input." not in written and "✓" not in written
    assert [request.kind for request in connector.requests] == [CREATE, SEND, UPDATE]
    assert pulses.has_answered(pulse_round.id, anna.id)


def submits(activity: dict[str, Any]) -> list[dict[str, Any]]:
    """The card's Action.Submit buttons, in order."""
    body = activity["attachments"][0]["content"]["body"]
    return [a for element in body for a in element.get("actions", ()) if a["type"] == "Action.Submit"]


async def test_a_message_shared_as_a_success_is_celebrated_in_the_teams_channel(tenant: Tenant) -> None:
    connector, url = tenant.connector, tenant.connector.url
    pirjo = tenant.demo.person("Pirjo")
    connector.roster[make.TEAM_ID] = [{"id": teams_id(pirjo), "name": pirjo.name}]
    await tenant.post(make.installation_add(url, teams_id(pirjo), "Kotihoito"))  # Kotihoito's channel is linked
    greeted = len(connector.posted())  # the install's welcome is in the channel first

    html = "<p>Joulukuun vuorolista valmis &amp; kaikki toiveet mukana!</p><p>Kiitos <b>hienosta</b> työstä.</p>"
    status, body = await tenant.post(make.share_success(url, teams_id(pirjo), html))
    assert (status, body) == (200, "")  # the invoke's answer: the dialog closes, the work goes on after

    (celebration,) = [activity for channel, activity in connector.posted()[greeted:] if channel == make.TEAM_ID]
    shared = "Joulukuun vuorolista valmis & kaikki toiveet mukana!\n\nKiitos hienosta työstä."
    # The message's writer, whom the team's roster does not list, is named as Teams names them.
    assert celebration["summary"] == f"🎉 Pirjo Mäkelä jakoi onnistumisen, jonka kirjoitti Anna: {shared}"
    assert celebration["attachments"][0]["content"]["body"] == [
        {
            "type": "TextBlock",
            "text": "🎉 Onnistuminen!",
            "wrap": True,
            "size": "Large",
            "weight": "Bolder",
            "style": "heading",
        },
        {"type": "TextBlock", "text": shared, "wrap": True},
        {
            "type": "FactSet",
            "facts": [{"title": "Kirjoitti", "value": "Anna"}, {"title": "Jakoi", "value": "Pirjo Mäkelä"}],
        },
    ]
    # A new top-level post in the channel, not a reply into the thread of the shared message (aesthetics P5).
    (_, create) = [request.body for request in connector.of(CREATE) if request.body.get("isGroup")]  # welcome first
    assert create["channelData"]["channel"] == {"id": make.TEAM_ID}
    assert create["activity"]["summary"] == celebration["summary"]
    ((chat, receipt),) = [(c, a) for c, a in connector.posted() if c != make.TEAM_ID]
    assert chat == f"a:{teams_id(pirjo)}" and receipt["attachments"][0]["content"]["body"][1]["text"].startswith(
        "Joulukuun vuorolista"
    )


async def test_a_success_shows_in_the_channel_card_as_it_was_written(tenant: Tenant) -> None:
    connector, url = tenant.connector, tenant.connector.url
    anna = tenant.demo.person("Anna")
    connector.roster[make.TEAM_ID] = [{"id": teams_id(anna), "name": anna.name}]
    await tenant.post(make.installation_add(url, teams_id(anna), "Kotihoito"))
    greeted = len(connector.posted())  # the install's welcome is in the channel first

    written = "Uusi ohje: [klikkaa](https://evil.example) ja **lue heti**! Kiitos @Elina Salo"
    await tenant.post(make.message(url, teams_id(anna), f"onnistuminen {written}"))

    (celebration,) = [activity for channel, activity in connector.posted()[greeted:] if channel == make.TEAM_ID]
    text = celebration["attachments"][0]["content"]["body"][1]["text"]
    # What Teams renders from this is the text as typed: no link, no bold; the @name the bot wrote stays as it is.
    assert text == r"Uusi ohje: \[klikkaa\]\(https://evil.example) ja \*\*lue heti\*\*! Kiitos @Elina Salo"
    assert celebration["summary"] == f"🎉 Anna Korhonen jakoi onnistumisen: {written}"  # a notification is plain


async def test_a_reply_the_connector_fails_goes_through_the_outbox_and_arrives_once(
    tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "adapters.common.interactions")
    tenant.connector.fail(SEND, 502)
    status, _ = await tenant.post(make.message(tenant.connector.url, teams_id(tenant.demo.person("Anna")), "apua"))
    assert status == 200  # Teams gets its answer at once, whatever the connector says afterwards
    assert len(tenant.connector.sent) == 1 and len(tenant.connector.of(SEND)) == 2  # the 502, then the answer
    assert "reply to teams queued after Teams error (502)" in caplog.text


async def test_an_activity_delivered_twice_is_handled_once(tenant: Tenant) -> None:
    activity = make.message(tenant.connector.url, teams_id(tenant.demo.person("Anna")), "apua")
    assert (await tenant.post(activity))[0] == 200
    assert (await tenant.post(activity))[0] == 200  # Bot Framework thought the first was lost
    assert len(tenant.connector.sent) == 1


async def test_a_universal_action_invoke_is_answered_in_the_response_body(tenant: Tenant) -> None:
    anna = teams_id(tenant.demo.person("Anna"))
    data = {"tyhy.action": "help", "tyhy.value": ""}
    status, body = await tenant.post(make.universal_action(tenant.connector.url, anna, data, reply_to="17"))
    assert status == 200
    assert json.loads(body) == {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": ""}
    assert [conversation for conversation, _ in tenant.connector.posted()] == [f"a:{anna}"]  # the core answered
