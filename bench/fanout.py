"""A pulse round to N members: through the real server and its real Slack and Teams ports to their fakes (speed,
exactly once, the server's peak memory), and through the outbox alone to a loopback platform (the outbox's own
speed, and its efficiency under 429s). `python -m bench.fanout --members 10000 [--postgres]` prints JSON."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

import storage.outbox_models  # noqa: F401  # the outbox tables on Base, until storage/models.py imports them
from bench.child_server import child_server
from bench.databases import POSTGRES_URL, temporary_postgres, temporary_sqlite
from bench.fanout_org import build_org
from bench.fanout_run import Endpoint, Run, encoded_size, fan_out
from bench.fanout_servers import FAKES, real_rounds
from bench.repeats import REPEATS, summarised
from bot.flows.pulse_rounds import PulseRounds
from bot.messages import OutboundMessage
from bot.organisation import Platform
from scheduler.outbox_rate import Rate, SharedRateLimiter
from storage.db import Database
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.pulse_repository import PulseRepository

ROOT = Path(__file__).resolve().parents[1]
# Faster than either platform takes a bot's messages (Teams: about 50 a second per tenant; Slack: this bench's
# Slack-like endpoint below), so the real server is never what makes a round slow.
REAL_PORT_GOAL_PER_S = 200
ENDPOINT_PER_S = 200.0
ENDPOINT_BURST = 10.0  # Slack-like: a short burst, then the steady rate
# The production path, buckets included, at a rate no fan-out reaches: "no limit" still pays for the buckets.
NO_LIMIT = SharedRateLimiter({Platform.SLACK: Rate(per_second=1e6, burst=1e6)})
LIMITER_OFF = SharedRateLimiter({})  # no bucket at all: only the platform's 429s slow the worker down


def _now() -> datetime:
    return datetime.now(UTC)


@contextlib.asynccontextmanager
async def _endpoint() -> AsyncIterator[Endpoint]:
    """The fake platform in its own process on 127.0.0.1."""
    async with (
        child_server("bench.fanout_endpoint") as port,
        # Connections enough for every worker's concurrent sends; loopback only.
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64)) as session,
    ):
        yield Endpoint(f"http://127.0.0.1:{port}", session)


def _open_round(db: Database) -> tuple[list[OutboundMessage], dict[str, Any]]:
    """The real use case: ONE round for every team, its real cards."""
    directory = OrganisationRepository(db)
    organisation = directory.get()
    assert organisation is not None
    now = _now()
    started = time.perf_counter()
    _, reply = PulseRounds(directory, PulseRepository(db), PlanRepository(db)).open_round(
        organisation, organisation.teams, now + timedelta(days=7), now
    )
    return list(reply.messages), {"open_round_s": round(time.perf_counter() - started, 2)}


def _runs(messages: int, rate: float, quick: bool) -> dict[str, Run]:
    deadline = 3 * messages / rate + 30  # a limited run far slower than ideal is a finding, not a hang
    matched = SharedRateLimiter({Platform.SLACK: Rate(per_second=rate, burst=ENDPOINT_BURST)})
    runs = {
        "unlimited_1_worker": Run(1, NO_LIMIT, deadline_s=120),
        "unlimited_2_workers": Run(2, NO_LIMIT, deadline_s=120),
        "limited_matched_limiter_1_worker": Run(1, matched, rate, ENDPOINT_BURST, deadline),
        "limited_429_only_1_worker": Run(1, LIMITER_OFF, rate, ENDPOINT_BURST, deadline),
    }
    if not quick:
        # What the 1 s idle wait after an empty claim (the bucket ran dry) costs: the same run looking every 50 ms.
        runs["limited_matched_limiter_1_worker_idle_50ms"] = Run(1, matched, rate, ENDPOINT_BURST, deadline, 0.05)
    return runs


async def _measure(
    db: Database, members: int, teams: int, rate: float, quick: bool, only: list[str], repeats: int
) -> dict[str, Any]:
    started = time.perf_counter()
    await asyncio.to_thread(build_org, db, members, teams)
    report: dict[str, Any] = {"build_org_s": round(time.perf_counter() - started, 2)}
    messages, timings = await asyncio.to_thread(_open_round, db)
    report |= timings | {"cards": len(messages), "mean_message_bytes": encoded_size(messages)}
    # The bench keeps every card it queued (to check what arrived); the bot never holds a round in memory. Frozen,
    # they are left out of the collector's full passes, which would otherwise stall the loop for 150 ms at a time.
    gc.freeze()
    async with _endpoint() as endpoint:
        for name, run in _runs(len(messages), rate, quick).items():
            if only and name not in only:
                continue
            runs = [await fan_out(db, endpoint, messages, run) for _ in range(repeats)]
            report[name] = _repeated(runs)
    return report


def _repeated(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One configuration's repeats: rate and efficiency as medians with their spread, every duplicate and loss."""
    summary = summarised({key: run[key] for key in ("per_s", "efficiency") if run.get(key) is not None} for run in runs)
    return {
        **runs[-1],
        **summary,
        "duplicates": sum(run["duplicates"] for run in runs),
        "lost": sum(run["lost"] for run in runs),
        "still_queued": sum(run["still_queued"] for run in runs),
        "repeats": len(runs),
    }


def _backend(
    name: str, members: int, teams: int, rate: float, quick: bool, only: list[str], repeats: int
) -> dict[str, Any]:
    opener = temporary_sqlite if name == "sqlite" else temporary_postgres
    try:
        with opener("fanout") as db:
            return asyncio.run(_measure(db, members, teams, rate, quick, only, repeats))
    except Exception as error:  # PostgreSQL not running here: say so in the output rather than fail
        if name == "sqlite":
            raise
        return {"unavailable": f"{type(error).__name__}: {error}"[:200]}


def _headline(report: dict[str, Any]) -> dict[str, Any]:
    runs = [value for value in report.values() if isinstance(value, dict) and "duplicates" in value]
    unlimited = report.get("unlimited_1_worker", {})
    limited = report.get("limited_matched_limiter_1_worker", {})
    return {
        "unlimited_per_s": unlimited.get("per_s"),
        "unlimited_per_s_spread": unlimited.get("per_s_spread"),
        "limited_efficiency": limited.get("efficiency"),
        "limited_efficiency_spread": limited.get("efficiency_spread"),
        "duplicates": sum(run["duplicates"] for run in runs),
        "lost": sum(run["lost"] for run in runs),
        "still_queued_at_deadline": sum(run["still_queued"] for run in runs),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fanout", description=__doc__)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--teams", type=int, help="default: one team per 10 members")
    parser.add_argument("--quick", action="store_true", help="1,000 members and fewer runs")
    parser.add_argument("--rate", type=float, default=ENDPOINT_PER_S, help="the fake platform's limit per second")
    parser.add_argument(
        "--postgres", action="store_true", help=f"also on PostgreSQL ({POSTGRES_URL} or $TYHY_TEST_POSTGRES_URL)"
    )
    parser.add_argument("--only", action="append", default=[], metavar="RUN", help="only this run (repeatable)")
    parser.add_argument(
        "--rounds", type=int, default=REPEATS, help="rounds through each real port, and repeats of each outbox run"
    )
    args = parser.parse_args(argv)
    members = 1000 if args.quick else args.members
    teams = args.teams or max(1, members // 10)

    real = {platform: asyncio.run(real_rounds(platform, members, teams, args.rounds)) for platform in FAKES}
    backends = {"sqlite": _backend("sqlite", members, teams, args.rate, args.quick, args.only, args.rounds)}
    if args.postgres:
        backends["postgresql"] = _backend("postgresql", members, teams, args.rate, args.quick, args.only, args.rounds)
    result: dict[str, Any] = {
        **real,
        # The real server process's peak while its rounds went out, the larger of the two platforms'.
        "peak_rss_mb": max(run["peak_rss_mb"] for run in real.values()),
        **{f"outbox_{key}": value for key, value in _headline(backends["sqlite"]).items()},
        "members": members,
        "team_count": teams,
        "endpoint_per_s": args.rate,
        "endpoint_burst": ENDPOINT_BURST,
        "cpus": os.cpu_count(),
        "goals": {
            "slack.per_s": f">= {REAL_PORT_GOAL_PER_S}",
            "teams.per_s": f">= {REAL_PORT_GOAL_PER_S}",
            "slack.duplicates": 0,
            "slack.lost": 0,
            "teams.duplicates": 0,
            "teams.lost": 0,
            "peak_rss_mb": "<= 300",
            "outbox_unlimited_per_s": ">= 1000",
            "outbox_limited_efficiency": ">= 0.95",
        },
    }
    if "postgresql" in backends and "unavailable" not in backends["postgresql"]:
        result["postgresql"] = {f"outbox_{key}": value for key, value in _headline(backends["postgresql"]).items()}
    result |= {"backends": backends}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
