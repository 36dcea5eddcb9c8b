"""Rounds through the real server: `tyhy serve` sends every member's card through the real Slack or Teams port (Block
Kit or Adaptive Card rendering, the DM lookup, the SDK's client) to the platform's fake in a process of its own.

Reports per platform how fast the cards went out (from queueing the round to an empty outbox), whether each member
got exactly one card, and the server process's peak memory (VmHWM) over every round.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from bench.child_server import child_server
from bench.fanout_org import build_org
from bench.interaction import bench_database, delivered, replicas
from bench.repeats import REPEATS, summarised
from bench.teams_interaction import NOT_FOR_THIS_BENCH, use_teams
from storage.outbox_repository import OutboxRepository
from tests.fakes.slack_api import FakeSlack
from tests.process.conftest import queue_round, quiet_calendar, server_env
from tests.process.server_process import ServerProcess

FAKES = {"slack": "bench.fake_slack_server", "teams": "bench.fake_connector_server"}


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory so far (Linux: VmHWM in /proc/PID/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError("no VmHWM: peak memory is read from Linux's /proc")


def _server(platform: str, db_url: str, fake_url: str, log: Path) -> ServerProcess:
    if platform == "slack":
        env = server_env(db_url, FakeSlack(url=fake_url + "api/"), TYHY_LOG_LEVEL="WARNING")
        env["TYHY_RATE_SLACK_PER_MIN"] = "6000000"  # the fake has no limit: the sends are what is measured
        return ServerProcess(env, log)
    env = server_env(db_url, FakeSlack(), TYHY_LOG_LEVEL="WARNING", TEAMS_SERVICE_URL=fake_url)
    env["TYHY_RATE_TEAMS_PER_SEC"] = "100000"
    server = ServerProcess(env, log, args=["--local-chat"])  # Teams without an app id: the connector on loopback
    for key in [k for k in server.env if k.startswith(NOT_FOR_THIS_BENCH)]:
        del server.env[key]
    return server


async def _posted(http: aiohttp.ClientSession, fake_url: str) -> tuple[int, int]:
    async with http.get(fake_url + "bench/counts") as response:
        counts = await response.json()
    return int(counts["posted"]), int(counts["posted_conversations"])


async def real_rounds(platform: str, members: int, teams: int, rounds: int = REPEATS) -> dict[str, Any]:
    """`rounds` rounds one after another to every member through one real server process and its real port."""
    runs = []
    with tempfile.TemporaryDirectory() as folder, bench_database(Path(folder), postgres=False) as (db, url):
        build_org(db, members, teams)
        if platform == "teams":
            use_teams(db, members)
        quiet_calendar(db)  # only the bench's rounds
        async with (
            child_server(FAKES[platform]) as fake_port,
            aiohttp.ClientSession() as http,
        ):
            fake_url = f"http://127.0.0.1:{fake_port}/"

            def replica(number: int) -> ServerProcess:
                return _server(platform, url, fake_url, Path(folder) / f"server{number}.log")

            async with replicas(replica, 1) as (server,):
                assert server.process is not None
                resting_mb = peak_rss_mb(server.process.pid)
                for number in range(rounds):
                    posted_before, _ = await _posted(http, fake_url)
                    started = time.perf_counter()
                    # Queued here as the leader's job does it (opening the round, one card a member), then sent by
                    # the server: the rate covers both, from the job's start to the last card out.
                    queued = await asyncio.to_thread(queue_round, db, f"pulse_round:0:fanout-{number}")
                    queued_in = time.perf_counter() - started
                    await delivered(db, deadline=time.monotonic() + 1800)
                    seconds = time.perf_counter() - started
                    posted, conversations = await _posted(http, fake_url)
                    cards = posted - posted_before
                    runs.append(
                        {
                            "per_s": round(queued / seconds, 1),
                            "queued_in_s": round(queued_in, 1),
                            "cards": cards,
                            "duplicates": max(0, cards - queued),
                            "lost": max(0, queued - cards) + max(0, members - conversations),
                        }
                    )
                peak = peak_rss_mb(server.process.pid)
                undeliverable = await asyncio.to_thread(_undeliverable, db)
    summary = summarised(runs)
    return {
        "per_s": summary["per_s"],
        "per_s_spread": summary["per_s_spread"],
        "duplicates": sum(run["duplicates"] for run in runs),
        "lost": sum(run["lost"] for run in runs) + undeliverable,
        "peak_rss_mb": peak,
        "rss_before_rounds_mb": resting_mb,
        "rounds": runs,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def _undeliverable(db: Any) -> int:
    return len(OutboxRepository(db).undeliverable_by_recipient(1_000_000))
