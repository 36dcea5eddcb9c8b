"""Slack end to end: signed requests to /slack/events, the bot's answers as the fake Slack Web API received them."""

from __future__ import annotations

import asyncio
import json
import urllib.parse
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete

from adapters.server.jobs_wiring import job_runtime
from bot.flows.pulse_rounds import PulseRounds
from bot.i18n import translate
from bot.organisation import Member, Platform, PlatformIdentity
from scheduler import jobs
from storage.models import MemberIdentityRow
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.pulse_repository import PulseRepository
from tests.adapters.slack_e2e.conftest import Workspace, slack_id
from tests.bot.flows.conftest import START, Clock


async def test_requests_without_a_good_fresh_signature_get_401_and_do_nothing(workspace: Workspace) -> None:
    anna = workspace.demo.person("Anna")
    form = urllib.parse.urlencode({"command": "/tyhy", "text": "apua", "user_id": slack_id(anna), "team_id": "T1"})
    body = form.encode()
    kind = "application/x-www-form-urlencoded"
    assert await workspace.post(body, kind, secret="someone-else") == 401
    assert await workspace.post(body, kind, age=6 * 60) == 401  # older than five minutes: a replay
    async with workspace.http.post(workspace.url, data=body, headers={"Content-Type": kind}) as unsigned:
        assert unsigned.status == 401
    await workspace.adapter.idle()
    assert workspace.slack.called("chat.postMessage") == []


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"payload=null", "application/x-www-form-urlencoded"),
        (b'payload={"type":"block_actions","actions":[]}', "application/x-www-form-urlencoded"),
        (b"[]", "application/json"),
        (b'{"type":"event_callback","event":null}', "application/json"),
        (b"{not json", "application/json"),
    ],
)
async def test_a_signed_request_of_a_shape_slack_never_sends_gets_400_not_500(
    workspace: Workspace, body: bytes, kind: str
) -> None:
    assert await workspace.post(body, kind) == 400  # found by the fault suite's fuzzing: bolt answered 500
    await workspace.adapter.idle()
    assert workspace.slack.called("chat.postMessage") == []


async def test_a_body_that_is_not_utf8_is_not_signed_by_slack(workspace: Workspace) -> None:
    assert await workspace.post(b"\x80", "application/x-www-form-urlencoded") == 401


async def test_the_slash_command_answers_in_each_persons_language(workspace: Workspace) -> None:
    demo = workspace.demo
    asked = (("Anna", "apua", "suunnitelma"), ("Maria", "hjälp", "plan"), ("Ahmed", "help", "plan"))
    for name, word, expected in asked:
        assert await workspace.command(demo.person(name), word) == 200
        post = workspace.slack.called("chat.postMessage")[-1]
        assert post.body["channel"] == "D" + slack_id(demo.person(name)).lstrip("U")
        assert expected in post.body["text"].lower()
    finnish, swedish = (c.body["text"] for c in workspace.slack.called("chat.postMessage")[:2])
    assert finnish != swedish


async def test_a_stranger_is_told_the_bot_does_not_know_them(workspace: Workspace) -> None:
    form = {"command": "/tyhy", "text": "apua", "user_id": "UNKNOWN", "team_id": "T1", "channel_id": "DX"}
    assert await workspace.post(urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded") == 200
    await workspace.adapter.idle()
    (post,) = workspace.slack.called("chat.postMessage")
    assert post.body["channel"] == "DNKNOWN" and post.body["text"]


def _radio_state(blocks: list[dict[str, object]], picks: dict[str, str]) -> dict[str, object]:
    """state.values as Slack sends them with a button press: every input of the message, picked or not."""
    values: dict[str, object] = {}
    for block in blocks:
        element = block.get("element")
        if block["type"] != "input" or not isinstance(element, dict):
            continue
        block_id = str(block["block_id"])
        if element["type"] == "radio_buttons":
            option = next((o for o in element["options"] if o["value"] == picks.get(block_id)), None)
            values[block_id] = {block_id: {"type": "radio_buttons", "selected_option": option}}
        else:
            values[block_id] = {block_id: {"type": element["type"], "value": picks.get(block_id)}}
    return values


async def test_picks_stay_in_slack_until_send_and_no_pick_is_ever_written_to_the_dm(workspace: Workspace) -> None:
    demo = workspace.demo
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
    sent = await workspace.port.send(card)  # as the outbox sends it
    posted = workspace.slack.called("chat.postMessage")[-1].body
    radios = [b for b in posted["blocks"] if b["type"] == "input" and b["element"]["type"] == "radio_buttons"]
    # Radio buttons in input blocks without dispatch_action: Slack sends nothing when one is picked
    # (docs.slack.dev/reference/block-kit/blocks/input-block), so there is no tap to redraw the message with.
    assert len(radios) == 5 and all(b["dispatch_action"] is False for b in radios)
    [send] = [e for b in posted["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert send["action_id"].startswith("pulse.send") and send["value"] == f"{pulse_round.id}:-----"

    def pressed(picks: dict[str, str]) -> dict[str, object]:
        return {
            "type": "block_actions",
            "user": {"id": slack_id(anna), "team_id": "T1", "name": "anna"},
            "team": {"id": "T1"},
            "container": {"type": "message", "channel_id": sent.channel_id, "message_ts": sent.message_id},
            "channel": {"id": sent.channel_id},
            "message": {"ts": sent.message_id},
            "actions": [{"type": "button", "action_id": send["action_id"], "value": send["value"], "block_id": "x"}],
            "state": {"values": _radio_state(posted["blocks"], picks)},
        }

    # A Send with an answer missing: the card comes back once, with what was picked, and nothing is counted.
    picks = {"q1": "4", "q2": "5", "q4": "0", "q5": "2", "comment": "Hyvä"}
    assert await workspace.interact(pressed(picks)) == 200
    (back,) = workspace.slack.called("chat.update")
    assert (back.body["channel"], back.body["ts"]) == (sent.channel_id, sent.message_id)
    inputs = [b for b in back.body["blocks"] if b["type"] == "input"]
    shown = {b["block_id"]: b["element"].get("initial_option", {}).get("value") for b in inputs}
    assert [shown[f"q{n}"] for n in range(1, 6)] == ["4", "5", None, "0", "2"]
    assert not pulses.has_answered(pulse_round.id, anna.id)

    assert await workspace.interact(pressed({**picks, "q3": "3"})) == 200
    _, thanks = workspace.slack.called("chat.update")
    assert (thanks.body["channel"], thanks.body["ts"]) == (sent.channel_id, sent.message_id)
    written = json.dumps(thanks.body, ensure_ascii=False)
    assert "Kiitos vastauksistasi" in written
    assert "radio_buttons" not in written and "initial_option" not in written and "✓" not in written
    assert pulses.has_answered(pulse_round.id, anna.id)


async def test_a_retried_event_is_handled_once(workspace: Workspace) -> None:
    anna = workspace.demo.person("Anna")
    message = {"type": "message", "channel_type": "im", "channel": "D0001", "user": slack_id(anna), "text": "apua"}
    message["ts"] = "1700000100.000100"
    assert await workspace.event(message, "Ev1") == 200
    assert await workspace.event(message, "Ev1", retry=1) == 200  # Slack thought we missed it
    assert await workspace.event(message, "Ev1", retry=2) == 200
    assert len(workspace.slack.called("chat.postMessage")) == 1


async def test_a_supervisor_links_the_channel_and_its_members_join_the_team(workspace: Workspace) -> None:
    demo = workspace.demo
    newcomer = "UNEW1"
    workspace.slack.members["C777"] = [slack_id(demo.person("Pirjo")), slack_id(demo.person("Anna")), newcomer]
    workspace.slack.users[newcomer] = {"name": "uusi", "real_name": "Uusi Tulokas", "locale": "fi-FI"}
    assert await workspace.command(demo.person("Anna"), "team link kotihoito", channel="C777") == 200
    refusal = workspace.slack.called("chat.postMessage")[-1].body["text"]
    assert "Vain Kotihoito-tiimin esihenkilö" in refusal  # staff may not link

    assert await workspace.command(demo.person("Pirjo"), "tiimi linkitä kotihoito", channel="C777") == 200
    assert "Kotihoito" in workspace.slack.called("chat.postMessage")[-1].body["text"]
    team = OrganisationRepository(demo.db).get().team_by_key("kotihoito")  # type: ignore[union-attr]
    assert team is not None and team.home_channel(Platform.SLACK).channel_id == "C777"  # type: ignore[union-attr]
    joined = OrganisationRepository(demo.db).member_by_identity(Platform.SLACK, newcomer, "T1")
    assert joined is not None and joined.name == "Uusi Tulokas" and team.id in joined.team_ids

    # A success shared now is celebrated in the linked channel.
    assert await workspace.command(demo.person("Anna"), "onnistuminen Asiakaspalaute oli kiittävää!") == 200
    channel_posts = [c for c in workspace.slack.called("chat.postMessage") if c.body["channel"] == "C777"]
    assert len(channel_posts) == 1 and "Asiakaspalaute oli kiittävää!" in channel_posts[0].body["text"]

    # Someone leaving the channel leaves the team.
    left = {"type": "member_left_channel", "user": newcomer, "channel": "C777", "team": "T1"}
    assert await workspace.event(left, "Ev-left") == 200
    gone = OrganisationRepository(demo.db).member_by_identity(Platform.SLACK, newcomer, "T1")
    assert gone is not None and team.id not in gone.team_ids


async def test_linking_again_and_a_join_event_read_no_person_from_slack_a_second_time(workspace: Workspace) -> None:
    demo = workspace.demo
    people = [slack_id(m) for m in demo.staff("kotihoito")]
    workspace.slack.members["C777"] = people
    pirjo = demo.person("Pirjo")

    assert await workspace.command(pirjo, "tiimi linkitä kotihoito", channel="C777") == 200
    assert await workspace.command(pirjo, "tiimi linkitä kotihoito", channel="C777") == 200
    joined = {"type": "member_joined_channel", "user": people[0], "channel": "C777", "team": "T1"}
    assert await workspace.event(joined, "Ev-joined") == 200

    asked = [call.body["user"] for call in workspace.slack.called("users.info")]
    assert sorted(asked) == sorted(people)  # each once, though read three times
    answers = [c.body["text"] for c in workspace.slack.called("chat.postMessage")[-2:]]
    assert answers == [translate("fi", "slack.linked", name="Kotihoito", count=len(people))] * 2


async def test_a_person_slack_cannot_describe_is_left_out_and_the_channel_still_keeps_in_step(
    workspace: Workspace, caplog: pytest.LogCaptureFixture
) -> None:
    demo = workspace.demo
    pirjo = demo.person("Pirjo")
    workspace.slack.members["C777"] = [slack_id(pirjo)]
    assert await workspace.command(pirjo, "tiimi linkitä kotihoito", channel="C777") == 200
    workspace.slack.users["UBOT2"] = {"name": "kalenteri", "is_bot": True}
    workspace.slack.fail("users.info", error="user_not_found")

    for event_id, user in (("Ev-1", "UGONE"), ("Ev-2", "UBOT2"), ("Ev-3", "UNEW")):
        joined = {"type": "member_joined_channel", "user": user, "channel": "C777", "team": "T1"}
        assert await workspace.event(joined, event_id) == 200

    directory = OrganisationRepository(demo.db)
    assert directory.member_by_identity(Platform.SLACK, "UGONE", "T1") is None
    assert "a channel member who joined was not read" in caplog.text
    assert directory.member_by_identity(Platform.SLACK, "UBOT2", "T1") is None  # a bot is no member
    newcomer = directory.member_by_identity(Platform.SLACK, "UNEW", "T1")
    assert newcomer is not None and newcomer.team_ids == (demo.team("kotihoito").id,)


async def test_linking_matches_channel_members_to_the_org_file_by_email_and_creates_no_one_twice(
    workspace: Workspace,
) -> None:
    demo = workspace.demo
    juha = demo.person("Juha")
    with demo.db.transaction() as session:  # the org file gave Juha no Slack id, only his e-mail
        session.execute(delete(MemberIdentityRow).where(MemberIdentityRow.member_id == juha.id))
    workspace.slack.members["C777"] = [slack_id(demo.person("Pirjo")), "UJUHA"]
    workspace.slack.users["UJUHA"] = {"real_name": "Juha N.", "profile": {"email": "Juha.Nieminen@Esimerkkila.fi"}}
    before = len(OrganisationRepository(demo.db).members())

    assert await workspace.command(demo.person("Pirjo"), "tiimi linkitä kotihoito", channel="C777") == 200
    directory = OrganisationRepository(demo.db)
    assert len(directory.members()) == before
    found = directory.member_by_identity(Platform.SLACK, "UJUHA", "T1")
    assert found is not None and found.id == juha.id and found.name == "Juha Nieminen"
    assert found.identities == (PlatformIdentity(Platform.SLACK, "UJUHA", "T1"),)


async def test_opening_the_app_home_publishes_the_persons_plan(workspace: Workspace) -> None:
    pirjo = workspace.demo.person("Pirjo")
    opened = {"type": "app_home_opened", "user": slack_id(pirjo), "channel": "D1", "tab": "home"}
    assert await workspace.event(opened, "Ev-home") == 200
    (publish,) = workspace.slack.called("views.publish")
    assert publish.body["user_id"] == slack_id(pirjo)
    view = publish.body["view"] if isinstance(publish.body["view"], dict) else json.loads(publish.body["view"])
    assert view["type"] == "home" and "Kotihoito" in json.dumps(view, ensure_ascii=False)


async def test_the_servers_calls_to_slack_share_kept_alive_connections(workspace: Workspace) -> None:
    # Without a shared session slack_sdk opens a connection (against Slack: a TLS handshake) for every call.
    anna, outi = workspace.demo.person("Anna"), workspace.demo.person("Outi")
    for person in (anna, outi, anna, outi):
        assert await workspace.command(person, "help") == 200
    calls = workspace.slack.called("chat.postMessage")
    assert len(calls) == 4
    assert len({call.connection for call in calls}) == 1


async def test_at_the_close_slack_updates_each_unsent_card_to_a_closed_card_without_radio_buttons(
    workspace: Workspace, clock: Clock
) -> None:
    demo = workspace.demo
    anna, timo = demo.person("Anna"), demo.person("Timo")
    clock.now = START
    jobs.install(job_runtime(demo.db, clock, workspace.outbox.enqueue))
    try:
        assert await asyncio.to_thread(jobs.execute, "pulse_round:2026-11-23", "pulse_round", 0, False)
        await asyncio.to_thread(jobs.execute_housekeeping)  # what it sends anyway (an overdue follow-up's note)
        await workspace.worker.drain()
        [pulse_round] = PulseRepository(demo.db).closed_between(demo.org.id, START, START + timedelta(days=8))
        assert pulse_round.id is not None

        def card_of(member: Member) -> tuple[str, str, dict[str, Any]]:
            entry = workspace.outbox.entry(f"pulse_round:2026-11-23>member:{member.id}>pulse:{pulse_round.id}")
            assert entry is not None and entry.sent_channel and entry.sent_message_id
            posted = next(
                c.body
                for c in workspace.slack.accepted("chat.postMessage")
                if c.body["channel"] == entry.sent_channel and "radio_buttons" in json.dumps(c.body)
            )
            return entry.sent_channel, entry.sent_message_id, posted

        anna_channel, anna_ts, anna_card = card_of(anna)
        [send] = [e for b in anna_card["blocks"] if b["type"] == "actions" for e in b["elements"]]
        picks = {f"q{n}": "4" for n in range(1, 6)}
        pressed = {
            "type": "block_actions",
            "user": {"id": slack_id(anna), "team_id": "T1", "name": "anna"},
            "team": {"id": "T1"},
            "container": {"type": "message", "channel_id": anna_channel, "message_ts": anna_ts},
            "channel": {"id": anna_channel},
            "message": {"ts": anna_ts},
            "actions": [{"type": "button", "action_id": send["action_id"], "value": send["value"], "block_id": "x"}],
            "state": {"values": _radio_state(anna_card["blocks"], picks)},
        }
        assert await workspace.interact(pressed) == 200
        assert len(workspace.slack.called("chat.update")) == 1  # Anna's thank-you

        clock.now = pulse_round.closes_at
        assert await asyncio.to_thread(jobs.execute_housekeeping)
        await workspace.worker.drain()
    finally:
        jobs.install(None)

    closes = workspace.slack.accepted("chat.update")[1:]
    timo_channel, timo_ts, _ = card_of(timo)
    [timo_closed] = [c.body for c in closes if (c.body["channel"], c.body["ts"]) == (timo_channel, timo_ts)]
    assert "Tämä pulssikysely on päättynyt" in json.dumps(timo_closed, ensure_ascii=False)
    assert not [c for c in closes if c.body["channel"] == anna_channel]  # her thank-you stays
    for close in closes:  # nothing left to pick or send, on any of them
        assert "radio_buttons" not in json.dumps(close.body) and '"actions"' not in json.dumps(close.body)
    cards = [c for c in workspace.slack.accepted("chat.postMessage") if "radio_buttons" in json.dumps(c.body)]
    assert len(closes) == len(cards) - 1  # every card but the one Anna answered on, once
