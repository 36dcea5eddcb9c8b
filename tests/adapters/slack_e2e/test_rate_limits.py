"""Slack answering 429 or refusing a channel: nothing a person did is lost or doubled, and they are told the truth.

A redrawn card is tried again in memory after Retry-After (its draft is never stored); channel posts, cards to
other people and answers that met a 429 go through the outbox; a channel without the bot is told to the sharer
and listed on the dashboard.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from adapters.web.dashboard.delivery_reasons import reason_text
from bot.flows.pulse_rounds import PulseRounds
from bot.i18n import translate
from bot.organisation import HomeChannel, Member, Platform
from storage.org_repository import OrganisationRepository
from storage.outbox_models import OutboxRow
from storage.plan_repository import PlanRepository
from storage.pulse_repository import PulseRepository
from tests.adapters.slack_e2e.conftest import Workspace, slack_id
from tests.bot.flows.conftest import START, Clock
from tests.fakes.http_date import http_date

CHANNEL = "C777"


def dm(member: Member) -> str:
    return "D" + slack_id(member).lstrip("U")  # the fake's conversations.open answer


def posts_to(workspace: Workspace, channel: str) -> list[str]:
    """The texts of the messages Slack accepted in a channel (a 429 is recorded too, so it is left out here)."""
    return [c.body.get("text", "") for c in workspace.slack.called("chat.postMessage") if c.body["channel"] == channel]


def outbox_rows(workspace: Workspace) -> int:
    with workspace.demo.db.transaction() as session:
        return int(session.execute(select(func.count()).select_from(OutboxRow)).scalar_one())


def link_kotihoito(workspace: Workspace) -> None:
    team = workspace.demo.team("kotihoito")
    OrganisationRepository(workspace.demo.db).set_home_channel(team.id, HomeChannel(Platform.SLACK, CHANNEL, "T1"))


async def press_send_without_answers(workspace: Workspace, member: Member) -> None:
    """Send on a fresh pulse card with nothing picked: the card comes back, drawn again, with a note."""
    demo = workspace.demo
    directory = OrganisationRepository(demo.db)
    organisation = directory.get()
    assert organisation is not None
    _, reply = PulseRounds(directory, PulseRepository(demo.db), PlanRepository(demo.db)).open_round(
        organisation, organisation.teams, START + timedelta(days=7), START
    )
    card = next(m for m in reply.messages if m.member_id == member.id)
    sent = await workspace.port.send(card)  # as the outbox sends it
    posted = workspace.slack.called("chat.postMessage")[-1].body
    button = next(b for block in posted["blocks"] if block["type"] == "actions" for b in block["elements"])
    payload = {
        "type": "block_actions",
        "user": {"id": slack_id(member), "team_id": "T1", "name": "anna"},
        "team": {"id": "T1"},
        "container": {"type": "message", "channel_id": sent.channel_id, "message_ts": sent.message_id},
        "channel": {"id": sent.channel_id},
        "message": {"ts": sent.message_id},
        "actions": [{"type": "button", "action_id": button["action_id"], "value": button["value"], "block_id": "q1"}],
        "state": {"values": {}},
    }
    assert await workspace.interact(payload) == 200


@pytest.mark.parametrize("retry_after", ["2", "date"])
async def test_a_card_redrawn_during_a_429_is_redrawn_after_retry_after_and_its_draft_is_never_stored(
    workspace: Workspace, retry_after: str
) -> None:
    workspace.slack.fail("chat.update", status=429, retry_after=http_date(2) if retry_after == "date" else 2)
    await press_send_without_answers(workspace, workspace.demo.person("Anna"))

    first, second = workspace.slack.called("chat.update")  # the 429, then the redraw Slack accepted
    assert first.body == second.body and "Vastaamatta 5/5" in str(second.body["blocks"])
    (waited,) = workspace.waits
    assert waited == 2.0 if retry_after == "2" else 0.0 <= waited <= 2.0  # an HTTP date has whole seconds only
    assert outbox_rows(workspace) == 0  # the draft stayed in memory


async def test_a_success_shared_during_a_429_is_posted_once_after_retry_after_and_the_sharer_told_so(
    workspace: Workspace, clock: Clock
) -> None:
    link_kotihoito(workspace)
    anna = workspace.demo.person("Anna")
    workspace.slack.fail("chat.postMessage", times=2, status=429, retry_after=3)  # the receipt's and the post's

    assert await workspace.command(anna, "onnistuminen Asiakaspalaute oli kiittävää!") == 200
    assert posts_to(workspace, CHANNEL) == ["🎉 Anna Korhonen jakoi onnistumisen: Asiakaspalaute oli kiittävää!"]
    assert len(posts_to(workspace, dm(anna))) == 1  # both were answered 429: nothing has arrived yet

    await drained_over_time(workspace, clock)
    celebrations = posts_to(workspace, CHANNEL)
    assert len(celebrations) == 2 and celebrations[0] == celebrations[1]  # the 429, then the post, once
    assert len([c for c in workspace.slack.accepted("chat.postMessage") if c.body["channel"] == CHANNEL]) == 1
    receipt = posts_to(workspace, dm(anna))[-1]
    assert receipt.startswith(translate("fi", "success.shared"))
    assert "näkyy pian tiimin kanavalla" in receipt
    assert workspace.outbox.depth() == 0 and workspace.outbox.undeliverable_by_recipient() == []


async def test_a_channel_without_the_bot_refuses_the_post_and_the_sharer_and_the_dashboard_are_told(
    workspace: Workspace,
) -> None:
    link_kotihoito(workspace)
    workspace.slack.outside.add(CHANNEL)
    anna = workspace.demo.person("Anna")

    assert await workspace.command(anna, "onnistuminen Asiakaspalaute oli kiittävää!") == 200
    await workspace.worker.drain()  # the notice the refusal queued

    told = posts_to(workspace, dm(anna))
    assert len(told) == 2 and told[1] == translate("fi", "success.channel_refused", team="Kotihoito")
    assert "Lisää botti kanavalle" in told[1]
    (listed,) = workspace.outbox.undeliverable_by_recipient()
    assert listed.member_id is None and listed.reason == "the app is not in the channel"
    assert reason_text(listed.reason, "fi") == "Botti ei ole tiimin kanavalla: lisää botti kanavalle"
    assert workspace.outbox.depth() == 0


async def test_cards_fanned_out_to_a_team_during_a_429_reach_everyone_once(workspace: Workspace, clock: Clock) -> None:
    demo = workspace.demo
    pirjo = demo.person("Pirjo")
    team = demo.team("kotihoito")
    others = [m for m in demo.members if team.id in m.team_ids and m.id != pirjo.id]
    workspace.slack.fail("chat.postMessage", times=3, status=429, retry_after=1)

    assert await workspace.command(pirjo, "valitaan") == 200
    await drained_over_time(workspace, clock)

    received = Counter(call.body["channel"] for call in workspace.slack.accepted("chat.postMessage"))
    assert {dm(member): received[dm(member)] for member in others} == {dm(member): 1 for member in others}
    assert received[dm(pirjo)] == 2  # the session's control card and Pirjo's own card to choose with
    assert workspace.outbox.undeliverable_by_recipient() == []


async def drained_over_time(workspace: Workspace, clock: Clock, seconds: int = 30) -> None:
    """Let the test's clock run a second at a time, the outbox sending what falls due, until it is empty."""
    for _ in range(seconds):
        if workspace.outbox.depth() == 0:
            return
        clock.advance(seconds=1)
        await workspace.worker.drain()
    raise AssertionError(f"{workspace.outbox.depth()} messages still waiting after {seconds} s")


@pytest.mark.parametrize("retry_after", ["1", "date"])
async def test_a_team_link_during_a_users_info_429_finishes_after_retry_after(
    workspace: Workspace, retry_after: str
) -> None:
    demo = workspace.demo
    pirjo, anna = demo.person("Pirjo"), demo.person("Anna")
    workspace.slack.members[CHANNEL] = [slack_id(pirjo), slack_id(anna)]
    workspace.slack.fail("users.info", status=429, retry_after=http_date(1) if retry_after == "date" else 1)

    assert await workspace.command(pirjo, "tiimi linkitä kotihoito", channel=CHANNEL) == 200
    answer = posts_to(workspace, dm(pirjo))[-1]
    assert answer == translate("fi", "slack.linked", name="Kotihoito", count=2)
    assert len(workspace.waits) == 1 and 0.0 <= workspace.waits[0] <= 1.0
    assert len(workspace.slack.called("users.info")) == 3  # the 429 and each person once


async def test_a_team_link_slack_keeps_refusing_tells_the_supervisor_the_members_were_not_read(
    workspace: Workspace,
) -> None:
    demo = workspace.demo
    pirjo = demo.person("Pirjo")
    workspace.slack.members[CHANNEL] = [slack_id(pirjo)]
    workspace.slack.fail("users.info", times=10, status=429, retry_after=120)  # longer than the supervisor waits

    assert await workspace.command(pirjo, "tiimi linkitä kotihoito", channel=CHANNEL) == 200
    answer = posts_to(workspace, dm(pirjo))[-1]
    assert answer == translate("fi", "slack.link_members_unread", name="Kotihoito")
    team = OrganisationRepository(demo.db).get().team_by_key("kotihoito")  # type: ignore[union-attr]
    assert team is not None and team.home_channel(Platform.SLACK) == HomeChannel(Platform.SLACK, CHANNEL, "T1")
