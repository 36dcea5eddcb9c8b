"""The outbox on both backends: queued once, sent and marked, retried with backoff, given up with a reason."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import OperationalError

import storage.outbox_models  # noqa: F401  # registers the outbox tables until storage/models.py imports them
from bot.messages import Address, Card, Heading, OutboundMessage, SentRef
from bot.organisation import Member, Platform
from bot.ports import DeliveryError
from scheduler.outbox import OutboxWorker, lease_from_env, refusal_key
from scheduler.outbox_backoff import Backoff
from scheduler.outbox_rate import Rate, SharedRateLimiter
from storage.db import Database
from storage.org_repository import OrganisationRepository
from storage.outbox_models import OutboxRow
from storage.outbox_repository import Claimed, OutboxRepository, UndeliverableRecipient
from tests.outbox_fakes import FakePort, SimClock, not_installed, rate_limited, unavailable
from tests.storage_helpers import make_org

NO_LIMITS = SharedRateLimiter({})
NO_JITTER = Backoff(random=lambda: 0.0)


def dm(user: str, text: str = "Hei!", member_id: int | None = None) -> OutboundMessage:
    return OutboundMessage(to=Address(Platform.SLACK, user_id=user, workspace="T1"), text=text, member_id=member_id)


@pytest.fixture
def clock() -> SimClock:
    return SimClock()


@pytest.fixture
def repo(db: Database, clock: SimClock) -> OutboxRepository:
    return OutboxRepository(db, clock)


@pytest.fixture
def port(clock: SimClock) -> FakePort:
    return FakePort(Platform.SLACK, clock)


@pytest.fixture
def worker(repo: OutboxRepository, port: FakePort, clock: SimClock) -> OutboxWorker:
    return OutboxWorker(repo, {Platform.SLACK: port}, NO_LIMITS, clock, backoff=NO_JITTER)


@pytest.fixture
def members(db: Database) -> list[Member]:
    make_org(db, {"kotihoito": 3})
    return OrganisationRepository(db).members()


async def test_queueing_the_same_occurrence_twice_sends_it_once(
    repo: OutboxRepository, worker: OutboxWorker, port: FakePort
) -> None:
    first = [("pulse:12:member:1", dm("U1")), ("pulse:12:member:2", dm("U2")), ("pulse:12:member:1", dm("U1"))]
    assert repo.enqueue(first) == 2
    assert repo.enqueue([*first, ("pulse:12:member:3", dm("U3"))]) == 1
    assert await worker.drain() == 3
    assert repo.enqueue(first) == 0  # even after it was sent
    assert await worker.drain() == 0
    assert sorted(d.message.to.user_id for d in port.delivered) == ["U1", "U2", "U3"]


async def test_a_sent_row_keeps_the_platform_reference_and_drops_the_text(
    repo: OutboxRepository, worker: OutboxWorker, port: FakePort, clock: SimClock
) -> None:
    repo.enqueue([("k", dm("U1", "Muista pulssi"))])
    clock.advance(5)
    assert await worker.run_once() == 1
    entry = repo.entry("k")
    assert entry is not None
    assert (entry.status, entry.attempts, entry.sent_channel, entry.sent_message_id) == ("sent", 1, "DU1", "m1")
    assert entry.sent_at == clock.now and entry.last_error is None
    assert not entry.has_payload
    assert port.sent_to("U1")[0].text == "Muista pulssi"


async def test_a_card_with_replaces_is_updated_in_place(
    repo: OutboxRepository, worker: OutboxWorker, port: FakePort
) -> None:
    earlier = SentRef(Platform.SLACK, "D9", "1732350000.000100", "T1")
    card = Card("pulse_closed", "Kysely on päättynyt", (Heading("Kiitos!"),))
    message = OutboundMessage(Address(Platform.SLACK, user_id="U9", workspace="T1"), card=card, replaces=earlier)
    repo.enqueue([("close:1:member:9", message)])
    await worker.run_once()
    assert port.delivered[0].updated == earlier and port.delivered[0].message == message
    entry = repo.entry("close:1:member:9")
    assert entry is not None and (entry.sent_channel, entry.sent_message_id) == ("D9", "1732350000.000100")


async def test_a_429_waits_at_least_as_long_as_retry_after_says(
    repo: OutboxRepository, worker: OutboxWorker, port: FakePort, clock: SimClock
) -> None:
    port.fail("U1", rate_limited(retry_after=30), times=1)
    repo.enqueue([("k", dm("U1"))])
    started = clock.now
    await worker.run_once()
    entry = repo.entry("k")
    assert entry is not None
    # A 429 is the platform pacing us: it does not count towards giving up.
    assert (entry.status, entry.attempts, entry.last_error) == ("pending", 0, "rate limited (429)")
    assert entry.not_before >= started + timedelta(seconds=30)
    clock.advance(29)
    assert await worker.run_once() == 0
    clock.advance(1)
    assert await worker.run_once() == 1
    assert len(port.sent_to("U1")) == 1 and port.attempts == ["U1", "U1"]


async def test_5xx_backoff_doubles_from_2_s_and_gives_up_after_8_attempts(
    repo: OutboxRepository, worker: OutboxWorker, port: FakePort, clock: SimClock
) -> None:
    port.fail("U1", unavailable())
    repo.enqueue([("k", dm("U1"))])
    waits = []
    for _ in range(7):
        assert await worker.run_once() == 1
        entry = repo.entry("k")
        assert entry is not None and entry.status == "pending"
        waits.append((entry.not_before - clock.now).total_seconds())
        clock.now = entry.not_before
    assert waits == [2, 4, 8, 16, 32, 64, 128]
    assert await worker.run_once() == 1
    entry = repo.entry("k")
    assert entry is not None and entry.status == "undeliverable" and entry.attempts == 8
    assert entry.last_error == "gave up after 8 attempts: service unavailable (503)"
    clock.advance(3600)
    assert await worker.run_once() == 0
    assert len(port.attempts) == 8


async def test_a_permanent_failure_is_undeliverable_with_its_reason_and_never_retried(
    repo: OutboxRepository, worker: OutboxWorker, port: FakePort, clock: SimClock, members: list[Member]
) -> None:
    anna, bertil = members[0], members[1]
    port.fail("U2", not_installed())
    repo.enqueue([("k1", dm("U1", member_id=anna.id)), ("k2", dm("U2", member_id=bertil.id))])
    await worker.drain()
    assert repo.undeliverable_by_recipient() == [
        UndeliverableRecipient(bertil.id, "slack", "app not installed (403)", clock.now, 1)
    ]
    entry = repo.entry("k2")
    assert entry is not None and not entry.has_payload
    clock.advance(7 * 24 * 3600)
    assert await worker.drain() == 0
    assert port.attempts.count("U2") == 1 and len(port.sent_to("U1")) == 1


async def test_undeliverable_rows_group_by_recipient_with_the_latest_reason_and_the_count(
    repo: OutboxRepository, worker: OutboxWorker, port: FakePort, clock: SimClock, members: list[Member]
) -> None:
    anna, bertil = members[0], members[1]
    for who in ("U1", "U2", "C1"):
        port.fail(who, not_installed())
    repo.enqueue([("a1", dm("U1", member_id=anna.id)), ("a2", dm("U1", member_id=anna.id))])
    await worker.drain()
    first = clock.now
    clock.advance(60)
    channel = OutboundMessage(Address(Platform.SLACK, channel_id="C1", workspace="T1"), text="Hei!")
    repo.enqueue([("b1", dm("U2", member_id=bertil.id)), ("c1", channel), ("c2", channel)])
    await worker.drain()
    grouped = [(r.member_id, r.failed, r.when) for r in repo.undeliverable_by_recipient()]
    assert sorted(grouped[:2], key=str) == sorted([(bertil.id, 1, clock.now), (None, 2, clock.now)], key=str)
    assert grouped[2] == (anna.id, 2, first)  # two messages, one row; the oldest failure last
    assert len(repo.undeliverable_by_recipient(limit=1)) == 1


async def test_a_crashed_workers_rows_come_back_when_its_lease_runs_out(
    repo: OutboxRepository, worker: OutboxWorker, port: FakePort, clock: SimClock
) -> None:
    repo.enqueue([("k", dm("U1"))])
    crashed = repo.claim(
        clock.now, platforms=["slack"], batch=10, lease=worker.lease, limiter=NO_LIMITS, max_attempts=8
    )
    assert [row.key for row in crashed] == ["k"]  # ...and that worker dies before sending
    assert await worker.run_once() == 0  # still leased
    clock.advance(worker.lease.total_seconds() + 1)
    assert await worker.run_once() == 1
    entry = repo.entry("k")
    assert entry is not None and (entry.status, entry.attempts) == ("sent", 2)
    # Were the crashed worker to wake up and report a failure, the row stays sent.
    assert not repo.retry_later(crashed[0], clock.now, "late")
    assert len(port.delivered) == 1


def test_a_late_report_from_a_worker_whose_lease_ran_out_changes_nothing(
    repo: OutboxRepository, clock: SimClock
) -> None:
    repo.enqueue([("k", dm("U1"))])
    lease = timedelta(seconds=60)
    (slow,) = repo.claim(clock.now, platforms=["slack"], batch=1, lease=lease, limiter=NO_LIMITS, max_attempts=8)
    clock.advance(61)
    (again,) = repo.claim(clock.now, platforms=["slack"], batch=1, lease=lease, limiter=NO_LIMITS, max_attempts=8)
    assert not repo.retry_later(slow, clock.now, "late failure")  # reported before the re-claimer's success
    ref = SentRef(Platform.SLACK, "DU1", "m7")
    assert repo.mark_all_sent([(slow, ref), (again, ref)], clock.now) == 1  # only the current claim's report counts
    entry = repo.entry("k")
    assert entry is not None and (entry.status, entry.sent_message_id) == ("sent", "m7")


async def test_a_row_that_kills_its_worker_every_time_is_given_up(
    repo: OutboxRepository, port: FakePort, clock: SimClock
) -> None:
    worker = OutboxWorker(repo, {Platform.SLACK: port}, NO_LIMITS, clock, max_attempts=2, lease=timedelta(seconds=60))
    repo.enqueue([("k", dm("U1"))])
    for _ in range(2):
        assert (
            len(
                repo.claim(
                    clock.now, platforms=["slack"], batch=1, lease=worker.lease, limiter=NO_LIMITS, max_attempts=2
                )
            )
            == 1
        )
        clock.advance(61)
    assert await worker.run_once() == 0
    assert repo.undeliverable_by_recipient()[0].reason == "gave up after 2 attempts"
    assert port.attempts == []


async def test_an_unexpected_exception_is_retried_and_logged_without_the_message(
    repo: OutboxRepository, worker: OutboxWorker, port: FakePort, clock: SimClock, caplog: pytest.LogCaptureFixture
) -> None:
    port.fail("U1", RuntimeError("could not post 'Hei Anna, miten jaksat?'"), times=1)
    repo.enqueue([("k", dm("U1", "Hei Anna, miten jaksat?"))])
    with caplog.at_level(logging.DEBUG):
        await worker.run_once()
    entry = repo.entry("k")
    assert entry is not None and (entry.status, entry.last_error) == ("pending", "unexpected RuntimeError")
    assert "RuntimeError" in caplog.text and "Anna" not in caplog.text and "jaksat" not in caplog.text
    # Where it was raised, to find the bug by: the port's frame, though not what the exception said.
    assert "RuntimeError at tests/outbox_fakes.py:" in caplog.text
    clock.now = entry.not_before
    assert await worker.run_once() == 1 and len(port.sent_to("U1")) == 1


async def test_rows_for_a_platform_this_replica_cannot_reach_are_left_alone(
    repo: OutboxRepository, worker: OutboxWorker
) -> None:
    teams = OutboundMessage(to=Address(Platform.TEAMS, user_id="29:x", workspace="tenant"), text="Hei")
    repo.enqueue([("k", teams)])
    assert await worker.run_once() == 0
    entry = repo.entry("k")
    assert entry is not None and (entry.status, entry.attempts) == ("pending", 0)


async def test_an_unreadable_stored_message_is_undeliverable_not_a_crash(
    db: Database, repo: OutboxRepository, worker: OutboxWorker, clock: SimClock
) -> None:
    with db.transaction() as session:
        values = {"platform": "slack", "workspace": "T1", "status": "pending", "attempts": 0}
        session.execute(
            insert(OutboxRow).values(
                key="bad", payload="{not json", not_before=clock.now, created_at=clock.now, **values
            )
        )
    repo.enqueue([("good", dm("U1"))])
    assert await worker.drain() == 2
    assert [row.reason for row in repo.undeliverable_by_recipient()] == ["unreadable message"]
    entry = repo.entry("good")
    assert entry is not None and entry.status == "sent"


async def test_depth_and_age_count_what_still_waits(
    repo: OutboxRepository, worker: OutboxWorker, port: FakePort, clock: SimClock
) -> None:
    assert (repo.depth(), repo.oldest_pending_age(clock.now)) == (0, None)
    repo.enqueue([("a", dm("U1"))])
    clock.advance(90)
    repo.enqueue([("b", dm("U2"))])
    port.fail("U2", unavailable(), times=1)
    assert (repo.depth(), repo.oldest_pending_age(clock.now)) == (2, timedelta(seconds=90))
    await worker.run_once()
    assert (repo.depth(), repo.oldest_pending_age(clock.now)) == (1, timedelta(0))


async def test_purge_deletes_only_finished_rows_older_than_asked(
    repo: OutboxRepository, worker: OutboxWorker, port: FakePort, clock: SimClock
) -> None:
    port.fail("U3", not_installed())
    repo.enqueue([("sent", dm("U1")), ("gone", dm("U3"))])
    await worker.drain()
    clock.advance(10)
    repo.enqueue([("waiting", dm("U2", "later"))])
    assert repo.purge(created_before=clock.now) == 2
    assert repo.entry("sent") is None and repo.entry("gone") is None and repo.entry("waiting") is not None


def test_a_forgotten_persons_queued_messages_go_with_them(
    db: Database, repo: OutboxRepository, members: list[Member]
) -> None:
    repo.enqueue([("k", dm("U1", member_id=members[0].id))])
    with db.transaction() as session:
        from storage.models import MemberRow

        session.execute(MemberRow.__table__.delete().where(MemberRow.id == members[0].id))
    assert repo.entry("k") is None


def test_a_key_too_long_for_the_table_is_refused(repo: OutboxRepository) -> None:
    with pytest.raises(ValueError):
        repo.enqueue([("x" * 301, dm("U1"))])
    assert repo.depth() == 0


async def test_a_busy_workspace_does_not_hold_up_the_others(
    repo: OutboxRepository, port: FakePort, clock: SimClock
) -> None:
    worker = OutboxWorker(repo, {Platform.SLACK: port}, NO_LIMITS, clock, batch=2)
    busy = [(f"a{n}", dm(f"a{n}")) for n in range(5)]
    other = OutboundMessage(to=Address(Platform.SLACK, user_id="c0", workspace="T3"), text="Hei")
    repo.enqueue([*busy, ("b0", OutboundMessage(Address(Platform.SLACK, user_id="b0", workspace="T2"), text="Hei"))])
    repo.enqueue([("c0", other)])
    await worker.run_once()
    await worker.run_once()
    assert [d.message.to.user_id for d in port.delivered] == ["a0", "b0", "a1", "c0"]


async def test_a_running_worker_sends_as_soon_as_it_is_woken(
    repo: OutboxRepository, worker: OutboxWorker, port: FakePort
) -> None:
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop, idle_seconds=3600))
    await asyncio.sleep(0)
    repo.enqueue([("k", dm("U1"))])
    worker.wake()

    async def delivered() -> None:
        while not port.delivered:  # the idle wait is an hour: only wake() can start this batch
            await asyncio.sleep(0.01)

    await asyncio.wait_for(delivered(), timeout=30)  # a guard against hanging, not a measurement
    stop.set()
    await asyncio.wait_for(running, timeout=10)
    assert port.sent_to("U1")[0].text == "Hei!"


async def test_a_send_that_never_answers_is_abandoned_and_retried_later(
    repo: OutboxRepository, port: FakePort, clock: SimClock
) -> None:
    worker = OutboxWorker(repo, {Platform.SLACK: port}, NO_LIMITS, clock, send_timeout=0.01)
    port.hang("U1")
    repo.enqueue([("k", dm("U1")), ("k2", dm("U2"))])
    assert await worker.run_once() == 2
    entry = repo.entry("k")
    assert entry is not None and (entry.status, entry.last_error) == ("pending", "unexpected TimeoutError")
    port.recover("U1")
    clock.now = entry.not_before
    assert await worker.run_once() == 1
    assert [d.message.to.user_id for d in port.delivered] == ["U2", "U1"]


def test_a_claim_books_each_row_a_slot_at_the_rate_and_says_when_the_next_claim_is_worth_making(
    repo: OutboxRepository, clock: SimClock
) -> None:
    ten_a_second = SharedRateLimiter({Platform.SLACK: Rate(per_second=10, burst=4)})
    repo.enqueue([(f"k{n}", dm(f"U{n}")) for n in range(30)])
    claim = {"platforms": ["slack"], "lease": timedelta(seconds=60), "limiter": ten_a_second, "max_attempts": 8}
    first = repo.claim(clock.now, batch=30, **claim)
    # The burst's four go at once, then one every 0.1 s, booked up to a second ahead.
    assert [row.send_after_s for row in first] == pytest.approx([0, 0, 0, 0, *[n / 10 for n in range(1, 11)]])
    assert first.wait_s == pytest.approx(0.9)  # then half a second's booking (plus the burst) is worth a claim
    clock.advance(0.5)
    second = repo.claim(clock.now, batch=30, **claim)
    # Its slots follow the first claim's last one (1.0 s after it began, 0.5 s from now) without a gap or overlap.
    assert [row.send_after_s for row in second] == pytest.approx([0.6, 0.7, 0.8, 0.9, 1.0])
    unlimited = repo.claim(clock.now, batch=30, **(claim | {"limiter": NO_LIMITS}))
    assert len(unlimited) == 11 and unlimited.wait_s is None
    assert {row.send_after_s for row in unlimited} == {0.0}


def test_a_restarted_single_process_sends_its_interrupted_rows_at_once(repo: OutboxRepository, clock: SimClock) -> None:
    repo.enqueue([("k1", dm("U1")), ("k2", dm("U2"))])
    lease = timedelta(minutes=5)
    repo.claim(clock.now, platforms=["slack"], batch=1, lease=lease, limiter=NO_LIMITS, max_attempts=8)
    assert repo.release_leases(clock.now) == 1
    again = repo.claim(clock.now, platforms=["slack"], batch=2, lease=lease, limiter=NO_LIMITS, max_attempts=8)
    assert sorted(row.key for row in again) == ["k1", "k2"]


def test_the_lease_is_a_setting() -> None:
    assert lease_from_env({}) == timedelta(minutes=5)
    assert lease_from_env({"TYHY_OUTBOX_LEASE_SECONDS": "7.5"}) == timedelta(seconds=7.5)
    for bad in ("soon", "0", "-1"):
        with pytest.raises(ValueError, match="TYHY_OUTBOX_LEASE_SECONDS"):
            lease_from_env({"TYHY_OUTBOX_LEASE_SECONDS": bad})


class _DatabaseAwayOnRetry(OutboxRepository):
    """The database goes away just as a failed send is to be put back for later."""

    def retry_later(self, row: Claimed, not_before: datetime, reason: str) -> bool:
        raise OperationalError("UPDATE outbox", {}, Exception("connection refused"))


async def test_a_retry_that_cannot_be_recorded_leaves_the_row_to_its_lease_and_the_batch_goes_on(
    db: Database, port: FakePort, clock: SimClock
) -> None:
    repo = _DatabaseAwayOnRetry(db, clock)
    worker = OutboxWorker(repo, {Platform.SLACK: port}, NO_LIMITS, clock)
    port.fail("U1", unavailable(), times=1)
    repo.enqueue([("k1", dm("U1")), ("k2", dm("U2"))])
    assert await worker.run_once() == 2
    sent, failed = repo.entry("k2"), repo.entry("k1")
    assert sent is not None and sent.status == "sent"  # the delivery beside it is still recorded
    assert failed is not None and failed.status == "sending"  # back to the queue when its lease runs out


async def test_rows_answered_429_again_and_again_are_never_given_up(
    repo: OutboxRepository, port: FakePort, clock: SimClock
) -> None:
    worker = OutboxWorker(repo, {Platform.SLACK: port}, NO_LIMITS, clock, max_attempts=3)
    port.fail("U1", rate_limited(retry_after=1), times=10)  # far more 429s than attempts allowed
    repo.enqueue([("k", dm("U1"))])
    for _ in range(11):
        await worker.run_once()
        clock.advance(5)
    entry = repo.entry("k")
    assert entry is not None and entry.status == "sent"  # was: undeliverable after the third 429
    assert len(port.sent_to("U1")) == 1


async def test_a_channel_post_refused_for_good_tells_the_person_whose_act_it_carried_once(
    repo: OutboxRepository, worker: OutboxWorker, port: FakePort
) -> None:
    notice = dm("U1", "Kanava ei ottanut onnistumistasi vastaan", member_id=None)
    post = OutboundMessage(to=Address(Platform.SLACK, channel_id="C1", workspace="T1"), text="🎉", if_refused=notice)
    port.fail("C1", DeliveryError("the app is not in the channel", permanent=True))
    repo.enqueue([("success:1:channel", post)])
    await worker.drain()
    assert port.sent_to("U1") == [notice] and port.sent_to("C1") == []
    entry = repo.entry("success:1:channel")
    assert entry is not None and (entry.status, entry.last_error) == ("undeliverable", "the app is not in the channel")
    assert refusal_key("success:1:channel") == "success:1:channel:refused"
    assert refusal_key("k" * 300).startswith("refused:") and len(refusal_key("k" * 300)) <= 300


# --- A live message: one waiting redraw, the newest -----------------------------------------------------------


def redraw(count: int) -> OutboundMessage:
    card = Card("choose.control", f"{count} / 14", (Heading(f"{count} / 14"),))
    return OutboundMessage(dm("U1").to, card=card, replaces=SentRef(Platform.SLACK, "DU1", "m1", "T1"))


async def test_redraws_of_a_live_message_coalesce_into_the_newest_and_keep_the_earliest_time(
    repo: OutboxRepository, worker: OutboxWorker, port: FakePort, clock: SimClock
) -> None:
    assert repo.enqueue_latest("live:choose:1>U1:", redraw(1), after=timedelta(seconds=3)) is True
    clock.advance(1)
    assert repo.enqueue_latest("live:choose:1>U1:", redraw(2), after=timedelta(seconds=3)) is False
    assert repo.enqueue_latest("live:choose:2>U1:", redraw(7), after=timedelta(seconds=3)) is True  # another topic
    assert repo.depth() == 2
    clock.advance(1)
    assert await worker.drain() == 0  # not due yet: the first redraw's three seconds hold
    clock.advance(1)
    assert await worker.drain() == 1
    (sent,) = port.delivered
    assert sent.updated == SentRef(Platform.SLACK, "DU1", "m1", "T1") and sent.message.fallback_text == "2 / 14"

    # Once sent, the next redraw is a row of its own; one the person asked for goes at once.
    assert repo.enqueue_latest("live:choose:1>U1:", redraw(3), after=timedelta(0)) is True
    assert await worker.drain() == 1
    assert [d.message.fallback_text for d in port.delivered] == ["2 / 14", "3 / 14"]
    clock.advance(2)
    assert await worker.drain() == 1 and port.delivered[-1].message.fallback_text == "7 / 14"
