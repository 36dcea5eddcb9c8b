"""`tyhy preview` shows a late follow-up's whole rhythm: weekly cards, calendar days, escalation, digest, snoozes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.cli.calendar_commands import preview_lines
from bot.flows.followup_model import REMINDER_KIND, Reminder
from storage.db import Database
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.reminder_repository import ReminderRepository
from tests.adapters.cli.test_preview import NOW, words
from tests.demo_copy import demo_in

DIGEST = "Esimerkkilän kunta Koonti myöhässä olevista seurannoista, työhyvinvointikoordinaattorille 1"


@pytest.fixture
def demo_db(db: Database) -> Database:
    demo_in(db, NOW)
    return db


def test_a_late_follow_ups_rhythm_is_listed_whole(demo_db: Database) -> None:
    lines = [words(line) for line in preview_lines(demo_db, "fi", NOW, start="1.5.2027", end="2.6.2027", team_key=None)]
    rows = [line for line in lines if " klo " in line and "seuran" in line.lower()]
    assert rows == [
        f"ma 3.5.2027 klo 9.00 {DIGEST}",
        "ti 4.5.2027 klo 9.00 Kotihoito Suunnitelman seuranta (myöhässä, muistutetaan uudelleen) 1",
        "ke 5.5.2027 klo 9.00 Ruokapalvelu Suunnitelman seuranta (myöhässä, muistutetaan uudelleen) 1",
        "ti 11.5.2027 klo 9.00 Kotihoito Suunnitelman seuranta (myöhässä, muistutetaan uudelleen) 1",
        "ke 12.5.2027 klo 9.00 Ruokapalvelu Suunnitelman seuranta (myöhässä, muistutetaan uudelleen) 1",
        "ti 18.5.2027 klo 9.00 Kotihoito Suunnitelman seuranta (myöhässä, muistutetaan uudelleen) 1",
        "ke 19.5.2027 klo 9.00 Ruokapalvelu Suunnitelman seuranta (myöhässä, muistutetaan uudelleen) 1",
        # The calendar's spring follow-up day still goes out, in place of the weekly card nearest it.
        "pe 28.5.2027 klo 9.00 Kotihoito Suunnitelman seuranta (myöhässä, muistutetaan uudelleen) 1",
        "pe 28.5.2027 klo 9.00 Ruokapalvelu Suunnitelman seuranta (myöhässä, muistutetaan uudelleen) 1",
        f"ti 1.6.2027 klo 9.00 {DIGEST}",
        "ti 1.6.2027 klo 9.00 Kotihoito Suunnitelman seuranta (myöhässä, muistutetaan uudelleen) 1",
        "ke 2.6.2027 klo 9.00 Ruokapalvelu Suunnitelman seuranta (myöhässä, muistutetaan uudelleen) 1",
    ]


def test_a_snooze_shows_as_its_reminder_and_the_weekly_card_it_holds_back(demo_db: Database) -> None:
    org = OrganisationRepository(demo_db).get()
    assert org is not None
    kotihoito = org.team_by_key("kotihoito")
    assert kotihoito is not None
    plan = PlanRepository(demo_db).current(kotihoito.id)
    pirjo = next(m for m in OrganisationRepository(demo_db).members() if m.name.startswith("Pirjo"))
    assert plan is not None and plan.id is not None
    snoozed_to = datetime(2027, 1, 7, 10, 0, tzinfo=UTC)  # Thursday 12.00 in Helsinki
    ReminderRepository(demo_db).schedule(Reminder(pirjo.id, REMINDER_KIND, plan.id, snoozed_to))

    lines = preview_lines(demo_db, "fi", NOW, start="4.1.2027", end="12.1.2027", team_key="kotihoito")
    rows = [words(line) for line in lines[2:5]]
    assert rows == [
        "ma 4.1.2027 klo 9.00 Kotihoito Myöhässä oleva seuranta, tiedoksi työhyvinvointikoordinaattorille 1",
        "ti 5.1.2027 klo 9.00 Kotihoito Suunnitelman seuranta (myöhässä, muistutetaan uudelleen) "
        "(odottaa pyydettyä muistutusta: 1) 0",
        "to 7.1.2027 klo 12.00 Kotihoito Seuranta, muistutus jota esihenkilö pyysi 1",
    ]
    assert words(lines[5]).startswith("ti 12.1.2027 klo 9.00 Kotihoito Suunnitelman seuranta")  # and on it goes
    en = preview_lines(demo_db, "en", NOW, start="5.1.2027", end="5.1.2027", team_key="kotihoito")
    assert "(waiting for the reminder they asked for: 1)" in en[2]
