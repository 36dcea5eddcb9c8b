"""A large organisation for the fan-out bench, written with bulk inserts, and a year of jobs planned for it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import insert, text

from bot.calendar import default_calendar
from bot.organisation import Organisation
from bot.plan import DevelopmentPlan
from scheduler.planner import JobSpec, plan_jobs
from storage.db import Database
from storage.models import Base

ORG_ID = 1
CHUNK = 2000  # rows per INSERT: well under SQLite's and psycopg's parameter limits


def build_org(db: Database, members: int, teams: int) -> None:
    """One organisation, `teams` teams of about equal size, `members` people with a Slack id each (1st: supervisor).

    Bulk inserts rather than OrganisationRepository.apply_import, which looks each person up and flushes one at
    a time: the import is not what this bench measures.
    """
    tables = Base.metadata.tables
    team_rows = [
        {"id": t + 1, "org_id": ORG_ID, "key": f"t{t:04d}", "name": f"Tiimi {t}", "timezone": "Europe/Helsinki"}
        for t in range(teams)
    ]
    member_rows, links, identities = [], [], []
    for n in range(members):
        team = n % teams
        member_rows.append(
            {
                "id": n + 1,
                "org_id": ORG_ID,
                "name": f"Henkilö {n:05d}",
                "email": f"h{n}@example.fi",
                "role": "supervisor" if n < teams else "staff",
                "language": None,
            }
        )
        links.append({"team_id": team + 1, "member_id": n + 1})
        identities.append(
            {"id": n + 1, "member_id": n + 1, "platform": "slack", "workspace": "", "user_id": f"U{n:07d}"}
        )
    with db.engine.begin() as connection:
        connection.execute(
            insert(tables["organisations"]),
            [
                {
                    "id": ORG_ID,
                    "name": "Suurkaupunki",
                    "language": "fi",
                    "timezone": "Europe/Helsinki",
                    "anonymity_threshold": 5,
                }
            ],
        )
        for name, rows in (
            ("teams", team_rows),
            ("members", member_rows),
            ("team_members", links),
            ("member_identities", identities),
        ):
            for start in range(0, len(rows), CHUNK):
                connection.execute(insert(tables[name]), rows[start : start + CHUNK])
        if db.dialect == "postgresql":
            # Ids were given explicitly: move the sequences past them, so later inserts get fresh ids.
            for name in ("organisations", "teams", "members", "member_identities"):
                connection.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))")
                )


def plan_year(organisation: Organisation, start: datetime) -> list[JobSpec]:
    """A year of jobs for every team, each with an agreed plan whose follow-ups are planned too."""
    agreed = start.date() - timedelta(weeks=10)
    plans = {
        team.id: DevelopmentPlan(team.id, agreed.year, agreed_on=agreed, last_follow_up_on=_monday(agreed))
        for team in organisation.teams
    }
    return plan_jobs(default_calendar(), organisation.teams, plans, start=start, end=start + timedelta(days=365))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
