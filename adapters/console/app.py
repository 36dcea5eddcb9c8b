"""`tyhy chat`: the terminal loop; input is read on a worker thread so the event loop never blocks (P17)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable

from adapters.console.session import ConsoleSession
from adapters.server.wiring import build_conversation
from bot.commands import fold
from bot.errors import DomainError
from bot.flows.pulse_rounds import PulseRounds
from bot.i18n import translate
from bot.organisation import Member
from bot.person import person_for
from bot.pulse import round_closes_at
from scheduler.planner import PULSE_OPEN_DAYS
from storage.db import Database
from storage.demo_clock_store import DemoClockStore
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.pulse_repository import PulseRepository

QUIT = {":q", ":quit", ":lopeta", ":avsluta", ":exit"}
OPEN_PULSE = {":pulse", ":pulssi", ":puls"}  # what the scheduler does on a pulse Monday, now, for trying it out


def find_member(members: list[Member], name: str) -> list[Member]:
    """Members whose name matches: the whole name, else the start of it, ignoring case and diacritics."""
    wanted = fold(" ".join(name.split()))
    exact = [m for m in members if fold(m.name) == wanted]
    return exact or [m for m in members if fold(m.name).startswith(wanted) or fold(m.email or "") == wanted]


def list_people(db: Database, language: str) -> list[str]:
    """One line per person one can be: name, role and team."""
    repo = OrganisationRepository(db)
    org = repo.get()
    teams = {t.id: t.name for t in org.teams} if org else {}
    return [
        f"{m.name} · {translate(language, f'role.{m.role.value}')} · {', '.join(teams[t] for t in m.team_ids)}"
        for m in repo.members()
    ]


async def chat(db: Database, member: Member, read_line: Callable[[], str] = sys.stdin.readline) -> None:
    """Talk to the bot as `member` until end of input or :q."""
    org = OrganisationRepository(db).get()
    assert org is not None  # the caller found the member in it
    person = person_for(member, org)
    # The demo's clock when the web chat has moved it: one demo time for every process on the database.
    conversation = build_conversation(db, DemoClockStore(db).now)
    session = ConsoleSession(conversation, member, person.team, person.language)
    print(translate(person.language, "console.intro", name=member.name), flush=True)
    while True:
        line = await asyncio.to_thread(read_line)
        if not line or line.strip().lower() in QUIT:
            return
        if line.strip().lower() in OPEN_PULSE:
            blocks = await asyncio.to_thread(open_pulse_round, db, session)
        else:
            blocks = await asyncio.to_thread(session.handle_line, line)
        for block in blocks:
            print(block + "\n", flush=True)


def open_pulse_round(db: Database, session: ConsoleSession) -> list[str]:
    """Open a week-long pulse round for the whole organisation now, and show this person's card."""
    org = OrganisationRepository(db).get()
    assert org is not None
    rounds = PulseRounds(OrganisationRepository(db), PulseRepository(db), PlanRepository(db))
    now = DemoClockStore(db).now()
    try:
        _, reply = rounds.open_round(org, org.teams, round_closes_at(now, PULSE_OPEN_DAYS, org.timezone), now)
    except DomainError as error:
        return [error.message(session.language)]
    return session.show(reply)
