"""The year preview: the demo organisation's 2027 prompt by prompt, with the right recipients, writing nothing."""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from adapters.cli.calendar_commands import parse_day, preview, preview_lines
from adapters.cli.demo import seed_demo
from adapters.cli.preview import Timeline, build_timeline
from bot.errors import DomainError
from bot.organisation import Organisation
from bot.plan import PlanAction
from bot.workdays import WorkingDays
from scheduler.planner import JobKind
from storage.calendar_repository import CalendarRepository
from storage.db import Database
from storage.escalation_repository import EscalationRepository
from storage.job_run_repository import JobRunRepository
from storage.migrate import upgrade
from storage.models import Base
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from tests.demo_copy import demo_in

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday, 10:00 in Helsinki: the demo is seeded as of then
HELSINKI = ZoneInfo("Europe/Helsinki")
PEOPLE = {"perusturva": 4, "kotihoito": 14, "ruokapalvelu": 7}
STEPS = (
    JobKind.SURVEY,
    JobKind.RESULTS_REVIEW,
    JobKind.CHOOSE_TARGETS,
    JobKind.WORKSHOP_AGENDA,
    JobKind.WORKSHOP,
    JobKind.PLAN,
)


@pytest.fixture
def demo_db(db: Database) -> Database:
    demo_in(db, NOW)
    return db


def timeline(db: Database, first: date, last: date, team: str | None = None, now: datetime = NOW) -> Timeline:
    org = OrganisationRepository(db).get()
    assert org is not None
    return build_timeline(
        org,
        OrganisationRepository(db).members(),
        CalendarRepository(db).get(org.id),
        {p.team_id: p for p in PlanRepository(db).all_current()},
        start=datetime.combine(first, datetime.min.time(), tzinfo=HELSINKI),
        end=datetime.combine(last, datetime.min.time(), tzinfo=HELSINKI),
        now=now,
        which_ran=JobRunRepository(db).which_ran,
        escalated=EscalationRepository(db).escalated,
        team=org.team_by_key(team) if team else None,
    )


def year_2027(db: Database, team: str | None = None) -> Timeline:
    return timeline(db, date(2027, 1, 1), date(2028, 1, 1), team)


def test_every_prompt_of_2027_lands_on_a_working_day_at_nine_in_time_order(demo_db: Database) -> None:
    prompts = year_2027(demo_db).prompts
    finland = WorkingDays()
    assert prompts
    for prompt in prompts:
        assert (prompt.at.hour, prompt.at.minute) == (9, 0), prompt
        assert finland.is_working_day(prompt.at.date()), prompt
    assert [p.at for p in prompts] == sorted(p.at for p in prompts)


def test_the_recipients_are_counted_as_the_bot_sends(demo_db: Database) -> None:
    prompts = year_2027(demo_db).prompts
    for prompt in prompts:
        if prompt.kind in (JobKind.SURVEY, JobKind.PULSE_ROUND, JobKind.PULSE_REMINDER):
            assert prompt.recipients == PEOPLE[prompt.team.key], prompt  # everyone in the team
        else:
            assert prompt.recipients == 1, prompt  # each demo team has one supervisor
    kinds = Counter((p.kind, p.team.key) for p in prompts)
    for team in PEOPLE:
        assert [kinds[(kind, team)] for kind in (*STEPS, JobKind.EVALUATION)] == [1] * 7
        assert kinds[(JobKind.PULSE_ROUND, team)] == kinds[(JobKind.PULSE_REMINDER, team)] == 10
    survey = next(p for p in prompts if p.kind is JobKind.SURVEY)
    assert survey.at.date() == date(2027, 1, 15)
    steps_and_pulses = 3 * 7 + 3 * 20  # the workshop's agenda a week ahead is a step of its own
    # Both plans' follow-ups are late before the year starts: if nobody holds them, each supervisor gets the card
    # 52 times, the officer hears of kotihoito's miss once (ruokapalvelu's went in 2026) and gets 12 digests.
    late = Counter((p.kind, p.team.key) for p in prompts if p.overdue)
    assert late == {
        (JobKind.FOLLOW_UP, "kotihoito"): 52,
        (JobKind.FOLLOW_UP, "ruokapalvelu"): 52,
        (JobKind.FOLLOW_UP_ESCALATION, "kotihoito"): 1,
        (JobKind.FOLLOW_UP_DIGEST, ""): 12,
    }
    late_rhythm = 52 + 52 + 1 + 12  # one recipient each
    assert (len(prompts), year_2027(demo_db).messages) == (
        steps_and_pulses + late_rhythm,
        25 + 3 * 6 + 10 * 2 * 25 + late_rhythm,
    )


def test_follow_ups_due_before_the_year_are_noted_and_their_overdue_cards_listed(demo_db: Database) -> None:
    year = year_2027(demo_db)
    # No card before the limit in the year: both limits are past when it starts, so every card is an overdue one.
    assert all(p.overdue for p in year.prompts if p.kind is JobKind.FOLLOW_UP)
    # Seeded as of NOW: kotihoito last met 9 weeks ago, ruokapalvelu 18 weeks ago (already overdue).
    due = {e.team.key: e.due for e in year.earlier_follow_ups}
    assert due == {"kotihoito": date(2026, 12, 21), "ruokapalvelu": date(2026, 10, 20)}


def test_a_held_follow_up_puts_the_next_one_in_the_year_for_the_supervisor(demo_db: Database) -> None:
    org = OrganisationRepository(demo_db).get()
    assert org is not None
    plan = PlanRepository(demo_db).current(_team(org, "kotihoito"))
    assert plan is not None and plan.id is not None
    PlanRepository(demo_db).record_follow_up(plan.id, date(2026, 12, 14))  # next due 14.3.2027
    follow_ups = [p for p in year_2027(demo_db, "kotihoito").prompts if p.kind is JobKind.FOLLOW_UP]
    # Two weeks before the limit is Sunday 28.2., so Monday 1.3. at nine, to Pirjo alone. The limit is a while
    # ahead: the overdue rhythm is planned only once it has passed (a re-plan then sees it).
    assert [(p.team.key, p.at.date(), p.recipients) for p in follow_ups] == [("kotihoito", date(2027, 3, 1), 1)]


def test_an_overdue_follow_up_goes_out_now_when_the_period_includes_now(demo_db: Database) -> None:
    prompts = timeline(demo_db, date(2026, 11, 23), date(2026, 12, 1)).prompts
    overdue = [(p.team.key, p.at, p.recipients, p.escalation) for p in prompts if p.overdue]
    # The supervisor's card of this week, and the note to the one wellbeing officer (due at +14 days, 3.11.),
    # both at once; then the card again next Wednesday.
    now = NOW.astimezone(HELSINKI)
    wednesday = datetime(2026, 11, 25, 9, tzinfo=HELSINKI)
    late = "ruokapalvelu"
    assert overdue == [(late, now, 1, False), (late, now, 1, True), (late, wednesday, 1, False)]


def test_team_filter_keeps_one_team_and_its_share_of_pulse_rounds(demo_db: Database) -> None:
    whole = year_2027(demo_db).prompts
    kotihoito = year_2027(demo_db, "kotihoito")
    assert {p.team.key for p in kotihoito.prompts} == {"kotihoito"}
    assert list(kotihoito.prompts) == [p for p in whole if p.team.key == "kotihoito"]
    assert kotihoito.messages == 14 + 6 + 20 * 14 + 52 + 1  # and the late follow-up's cards and escalation
    assert [e.team.key for e in kotihoito.earlier_follow_ups] == ["kotihoito"]
    assert JobKind.FOLLOW_UP_DIGEST not in {p.kind for p in kotihoito.prompts}  # the organisation's, not a team's


def test_the_timeline_reads_well_in_finnish_and_english(demo_db: Database) -> None:
    fi = preview_lines(demo_db, "fi", NOW, start="1.1.2027", end="31.12.2027", team_key=None)
    assert fi[0] == "Esimerkkilän kunta: botin lähetykset 1.1.2027–31.12.2027. Esikatselu ei lähetä mitään."
    assert fi[1].split() == ["Aika", "Tiimi", "Mitä", "Vastaanottajia"]
    assert words(fi[2]) == "ma 4.1.2027 klo 9.00 Esimerkkilän kunta " + (
        "Koonti myöhässä olevista seurannoista, työhyvinvointikoordinaattorille 1"
    )
    assert words(fi[4]) == "ti 5.1.2027 klo 9.00 Kotihoito Suunnitelman seuranta (myöhässä, muistutetaan uudelleen) 1"
    assert fi[9].split() == ["pe", "15.1.2027", "klo", "9.00", "Kotihoito", "Työhyvinvointikysely", "14"]
    assert "Ruokapalvelu: suunnitelman seuranta erääntyy 20.10.2026" in "\n".join(fi)
    assert fi[-1] == "Lähetyksiä yhteensä 198, viestejä 660."
    en = preview_lines(demo_db, "en", NOW, start="2027-01-01", end="2027-12-31", team_key="KOTIHOITO")
    assert en[0] == "Kotihoito: the bot's prompts 1 Jan 2027 – 31 Dec 2027. The preview sends nothing."
    assert words(en[2]) == "Mon 4 Jan 2027 9:00 Kotihoito Overdue follow-up, to the wellbeing officer 1"
    assert "Plan follow-up (overdue, reminding again)" in en[-4]
    assert en[-1] == "Prompts in total: 80; messages: 353."
    # Columns line up: every row of the table is as wide as the header's last column ends.
    table = [line for line in en if line.startswith(("When", "Fri", "Mon", "Tue", "Thu"))]
    assert len({len(line) for line in table}) == 1


def test_the_last_day_is_included_and_an_empty_period_says_so(demo_db: Database) -> None:
    one_day = preview_lines(demo_db, "en", NOW, start="15.1.2027", end="15.1.2027", team_key=None)
    assert len(one_day) == 2 + 3 + 2 + 1 and one_day[-1] == "Prompts in total: 3; messages: 25."  # 2: due before
    quiet = preview_lines(demo_db, "fi", NOW, start="2027-12-24", end="2027-12-31", team_key="perusturva")
    assert quiet[1:] == ["Tälle ajalle ei ole lähetyksiä.", "Lähetyksiä yhteensä 0, viestejä 0."]


def test_the_preview_writes_nothing(demo_db: Database) -> None:
    before = _row_counts(demo_db)
    preview_lines(demo_db, "fi", NOW, start="1.11.2026", end="31.12.2027", team_key=None)
    assert _row_counts(demo_db) == before


@pytest.mark.parametrize(
    ("start", "end", "team", "key"),
    [
        ("1.1.2027", "31.12.2027", "nosuchteam", "team.unknown"),
        ("31.12.2027", "1.1.2027", None, "calendar_preview.bad_range"),
        ("30.2.2027", "31.12.2027", None, "calendar_preview.bad_date"),
        ("1.1.2027", "2027-13-01", None, "calendar_preview.bad_date"),
        ("1/1/2027", "31.12.2027", None, "calendar_preview.bad_date"),
        ("1.1.2027", "1.1.2099", None, "calendar_preview.too_long"),
    ],
)
def test_bad_arguments_are_one_clear_line(demo_db: Database, start: str, end: str, team: str | None, key: str) -> None:
    with pytest.raises(DomainError) as caught:
        preview_lines(demo_db, "fi", NOW, start=start, end=end, team_key=team)
    assert caught.value.key == key
    message = caught.value.message("fi")
    assert len(message.splitlines()) == 1 and "{" not in message


def test_days_are_read_the_finnish_way_and_the_iso_way() -> None:
    assert parse_day("1.1.2027") == parse_day("2027-01-01") == parse_day(" 01.01.2027 ") == date(2027, 1, 1)
    for bad in ("1.1.", "huomenna", "2027-1-1", ""):
        with pytest.raises(DomainError):
            parse_day(bad)


def test_the_command_prints_the_timeline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'tyhy.db'}"
    database = Database(url)
    upgrade(database)
    seed_demo(database, NOW)
    database.dispose()
    monkeypatch.setenv("TYHY_LANGUAGE", "en")
    args = argparse.Namespace(database=url, start="2027-01-15", end="15.1.2027", team="ruokapalvelu")
    assert preview(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[2].split() == ["Fri", "15", "Jan", "2027", "9:00", "Ruokapalvelu", "Wellbeing", "survey", "7"]
    assert out[-1] == "Prompts in total: 1; messages: 7."


def words(line: str) -> str:
    """A table row with its padding squeezed to single spaces."""
    return " ".join(line.split())


def _team(org: Organisation, key: str) -> int:
    team = org.team_by_key(key)
    assert team is not None
    return team.id


def _row_counts(db: Database) -> dict[str, int]:
    with db.transaction() as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables}


def test_an_owners_reminder_a_week_before_their_actions_day_is_listed_with_one_message_per_action(
    demo_db: Database,
) -> None:
    plans = PlanRepository(demo_db)
    plan = plans.current(OrganisationRepository(demo_db).get().team_by_key("kotihoito").id)  # type: ignore[union-attr]
    assert plan is not None
    owner = plan.targets[0].actions[0].owner_id
    extra = (
        PlanAction("Varahenkilölista tauluun", owner, date(2027, 3, 19)),
        PlanAction("Kummit", owner, date(2027, 3, 19)),
    )
    first = replace(plan.targets[0], actions=(*plan.targets[0].actions, *extra))
    plans.save(replace(plan, targets=(first, *plan.targets[1:])))
    lines = preview_lines(demo_db, "fi", NOW, start="8.3.2027", end="14.3.2027", team_key="kotihoito")
    assert "pe 12.3.2027 klo 9.00 Kotihoito Muistutus toimenpiteen vastuuhenkilölle 2" in [
        words(line) for line in lines
    ]
    en = preview_lines(demo_db, "en", NOW, start="8.3.2027", end="14.3.2027", team_key="kotihoito")
    assert "Fri 12 Mar 2027 9:00 Kotihoito Reminder to an action's owner 2" in [words(line) for line in en]
