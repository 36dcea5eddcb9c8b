"""Peak memory of a bot process with N members and T teams: the year planned, one round opened and queued.

Run on its own (`python -m bench.fanout_memory 10000 1000`) so the figure is the bot's work alone, not the bench's
bookkeeping; prints one JSON object.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
from datetime import UTC, datetime, timedelta

from bench.databases import temporary_sqlite
from bench.fanout_org import build_org, plan_year
from bot.flows.pulse_rounds import PulseRounds
from scheduler.jobs import delivery_key
from storage.org_repository import OrganisationRepository
from storage.outbox_repository import OutboxRepository
from storage.plan_repository import PlanRepository
from storage.pulse_repository import PulseRepository


def _peak_rss_kib() -> int:
    """This process's own high-water mark. Not ru_maxrss: Linux carries that over from the parent across exec."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # not Linux: the best figure there is


def measure(members: int, teams: int) -> dict[str, float | int]:
    with temporary_sqlite("memory") as db:
        build_org(db, members, teams)
        now = datetime.now(UTC)
        directory = OrganisationRepository(db)
        organisation = directory.get()
        assert organisation is not None
        started = time.perf_counter()
        jobs = plan_year(organisation, now)  # kept alive, as the scheduler keeps its jobs
        planned_s = time.perf_counter() - started
        started = time.perf_counter()
        pulse_round, reply = PulseRounds(directory, PulseRepository(db), PlanRepository(db)).open_round(
            organisation, organisation.teams, now + timedelta(days=7), now
        )
        opened_s = time.perf_counter() - started
        queued = OutboxRepository(db).enqueue(
            (delivery_key(f"pulse_round:0:{pulse_round.id}", message), message) for message in reply.messages
        )
        gc.collect()
        return {
            "planned_jobs": len(jobs),
            "plan_year_s": round(planned_s, 2),
            "open_round_s": round(opened_s, 2),
            "queued": queued,
            "peak_rss_mb": round(_peak_rss_kib() / 1024, 1),
        }


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]), int(sys.argv[2]))))
