"""The dashboard's Excel export for a large organisation: how long it takes and how many SQL statements it sends.

The export is one pass over the organisation: the statements it sends must not grow with the number of teams. The
bench builds the same organisation at two sizes and reports both counts beside the time; its floor ("bare") is
openpyxl writing the very same sheets from views already in memory, so `read_s` is what reading the database costs.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event

from adapters.web.dashboard.export import export_xlsx
from adapters.web.dashboard.workbook import workbook_views
from bench.databases import temporary_sqlite
from bench.fanout_org import build_org
from bench.repeats import REPEATS, spread
from bot.plan import ActionStatus, DevelopmentPlan, PlanAction, Strength, Target
from bot.pulse import PulseRound
from bot.success import Success
from storage.db import Database
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.pulse_repository import PulseRepository
from storage.success_repository import SuccessRepository

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
# The officer waits for the download; most of it is openpyxl writing a thousand sheets (the floor printed beside).
GOALS = {"export_s": "<= 30", "statements_growth": "0"}


def fill(db: Database, teams: int, members_per_team: int) -> None:
    """Teams with members, an agreed plan each with two targets, three successes and two closed pulse rounds."""
    build_org(db, teams * members_per_team, teams)
    organisation = OrganisationRepository(db).get()
    assert organisation is not None
    plans, successes = PlanRepository(db), SuccessRepository(db)
    agreed = (NOW - timedelta(weeks=10)).date()
    for team in organisation.teams:
        targets = tuple(
            Target(
                f"Tavoite {n}",
                (),
                "Käytäntö",
                "Seuranta",
                actions=(PlanAction("Toimenpide", None, None, ActionStatus.IN_PROGRESS),),
            )
            for n in (1, 2)
        )
        plan = plans.save(
            DevelopmentPlan(team.id, agreed.year, agreed_on=agreed, strengths=(Strength("Vahvuus"),), targets=targets)
        )
        plans.record_follow_up(plan.id or 0, agreed + timedelta(days=14))
        for n in range(3):
            target_id = plan.targets[0].id if n == 0 else None
            successes.add(Success(team.id, f"Onnistuminen {n}", NOW - timedelta(days=10 * n + 1), target_id=target_id))
    members = OrganisationRepository(db).members()
    staff: dict[int, list[int]] = {}
    for member in members:
        for team_id in member.team_ids:
            staff.setdefault(team_id, []).append(member.id)
    pulses = PulseRepository(db)
    for weeks in (8, 4):
        closes = NOW - timedelta(weeks=weeks)
        questions = {t.id: ("FE1", "OS1") for t in organisation.teams}
        created = pulses.create_round(
            organisation.id,
            PulseRound(closes - timedelta(days=7), closes, questions),
            {team_id: len(ids) for team_id, ids in staff.items()},
        )
        assert created.id is not None
        for team_id, ids in staff.items():
            for member_id in ids[: max(0, len(ids) - 2)]:
                pulses.record_answers(created.id, member_id, team_id, {"FE1": 4, "OS1": 3})
        pulses.settle(created.id)


def _params(args: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--small-teams", type=int, default=100, help="the second size, for the statements' growth")
    parser.add_argument("--members-per-team", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    return parser.parse_args(args)


@contextmanager
def counted(db: Database) -> Iterator[list[int]]:
    """The number of SQL statements sent while inside, in a one-item list."""
    count = [0]

    def tick(*_: Any) -> None:
        count[0] += 1

    event.listen(db.engine, "before_cursor_execute", tick)
    try:
        yield count
    finally:
        event.remove(db.engine, "before_cursor_execute", tick)


def measure(db: Database, repeats: int) -> dict[str, Any]:
    """Alternating runs of the whole export and of openpyxl alone writing the same views (the floor)."""
    whole, bare, statements = [], [], 0
    for _ in range(repeats):
        with counted(db) as count:
            started = time.perf_counter()
            views = workbook_views(db, NOW, "fi", None, officer=True)
            body = export_xlsx(*views)
            whole.append(time.perf_counter() - started)
        statements = count[0]
        started = time.perf_counter()
        export_xlsx(*views)
        bare.append(time.perf_counter() - started)
    return {"whole": whole, "bare": bare, "statements": statements, "bytes": len(body), "sheets": len(views)}


def main(args: Sequence[str] | None = None) -> None:
    params = _params(args)
    sizes = {}
    for teams in (params.small_teams, params.teams):
        with temporary_sqlite(f"export{teams}") as db:
            fill(db, teams, params.members_per_team)
            sizes[teams] = measure(db, params.repeats)
    big, small = sizes[params.teams], sizes[params.small_teams]
    whole, bare = spread(big["whole"]), spread(big["bare"])
    result = {
        "teams": params.teams,
        "members": params.teams * params.members_per_team,
        "repeats": params.repeats,
        "sheets": big["sheets"],
        "export_s": whole["median"],
        "export_s_spread": whole,
        "bare_openpyxl_s": bare["median"],
        "bare_openpyxl_s_spread": bare,
        "read_s": round(whole["median"] - bare["median"], 3),
        "statements": big["statements"],
        f"statements_at_{params.small_teams}_teams": small["statements"],
        "statements_growth": big["statements"] - small["statements"],
        "goals": GOALS,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
