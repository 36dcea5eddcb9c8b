"""A real server speaking Slack and Teams at once: half the members on each, their Sends, and what /metrics says."""

from __future__ import annotations

import re
import time
from collections import Counter
from typing import Any

import aiohttp
from sqlalchemy import select, update

from bench.slack_interaction import click
from bench.teams_interaction import submit, teams_user
from storage.db import Database
from storage.models import MemberIdentityRow, PulseRoundTeamRow
from tests.adapters.slack_e2e.conftest import signed
from tests.fakes.bf_connector import FakeConnector
from tests.fakes.slack_api import FakeSlack
from tests.fakes.teams_activities import TENANT
from tests.process.conftest import cards_by_channel, server_env, teams_card_round

SECRET = "test-secret"  # server_env's Slack signing secret
SERVE_ARGS = ("--local-chat",)  # Teams without an app id is connected only for this computer


def on_teams(member: int) -> bool:
    """Member n (build_org's numbering, id n + 1) is on Teams when n is odd, else on Slack."""
    return member % 2 == 1


def split_platforms(db: Database, members: int) -> None:
    """Move the odd members of build_org's organisation from Slack to Teams, in the test tenant."""
    with db.transaction() as session:
        for n in range(1, members, 2):
            session.execute(
                update(MemberIdentityRow)
                .where(MemberIdentityRow.member_id == n + 1)
                .values(platform="teams", workspace=TENANT, user_id=teams_user(n))
            )


def env_for_both(db_url: str, slack: FakeSlack, connector: FakeConnector, **extra: str) -> dict[str, str]:
    """The server's environment: the fake Slack with a bot token, and the fake connector without an app id."""
    return {
        **server_env(db_url, slack, **extra),
        "TEAMS_SERVICE_URL": connector.url,
        "TYHY_RATE_TEAMS_PER_SEC": extra.get("TYHY_RATE_TEAMS_PER_SEC", "100000"),
        "MICROSOFT_APP_ID": "",  # whatever the shell running the tests holds: no tokens with the fake connector
        "MICROSOFT_APP_PASSWORD": "",
    }


async def send(
    http: aiohttp.ClientSession, port: int, connector: FakeConnector, member: int, round_id: int, answers: str
) -> tuple[int, float]:
    """Member n presses Send on their pulse card, on their platform; the HTTP status and the seconds it took."""
    started = time.monotonic()
    if on_teams(member):
        url = f"http://127.0.0.1:{port}/api/messages"
        body = submit(connector.url, member, round_id, answers)  # Teams names its connector in each activity
        headers = {"Content-Type": "application/json"}
    else:
        url = f"http://127.0.0.1:{port}/slack/events"
        body = click(member, round_id, answers)
        headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(body, secret=SECRET)}
    async with http.post(url, data=body, headers=headers) as response:
        await response.read()
        return response.status, time.monotonic() - started


def question_counts(db: Database, round_id: int) -> dict[int, int]:
    """How many questions each team's card asks in the round (a Send must answer them all)."""
    with db.transaction() as session:
        rows = session.execute(
            select(PulseRoundTeamRow.team_id, PulseRoundTeamRow.question_ids).where(
                PulseRoundTeamRow.round_id == round_id
            )
        ).all()
    return {team_id: len([q for q in ids.split(",") if q]) for team_id, ids in rows}


def teams_cards(connector: FakeConnector, round_id: int) -> Counter[str]:
    """How many of the round's cards each personal chat ("a:…") received."""
    received: Counter[str] = Counter()
    for conversation, activity in list(connector.sent):
        if conversation.startswith("a:") and teams_card_round(activity) == round_id:
            received[conversation] += 1
    return received


def cards_received(slack: FakeSlack, connector: FakeConnector, round_id: int) -> Counter[str]:
    """The round's cards per recipient, on both platforms."""
    return cards_by_channel(slack, round_id) + teams_cards(connector, round_id)


_BUCKET = re.compile(r'^tyhy_event_loop_held_seconds_bucket\{le="([^"]+)"\} (\S+)$', re.MULTILINE)


def loop_held(metrics: str) -> dict[float, int]:
    """The event-loop histogram of a /metrics text: ticks held up to each bound (inf: all ticks)."""
    return {float(bound): int(float(count)) for bound, count in _BUCKET.findall(metrics)}


def held_longer_than(before: dict[float, int], after: dict[float, int], seconds: float) -> dict[str, Any]:
    """Ticks between two readings held past `seconds`, and in which buckets (for the failure message)."""
    total = after[float("inf")] - before.get(float("inf"), 0)
    within = after[seconds] - before.get(seconds, 0)
    buckets = {f"<= {bound:g} s": after[bound] - before.get(bound, 0) for bound in sorted(after)}
    return {"ticks": total, "held_longer": total - within, "buckets": buckets}
