"""The demo organisation: a small municipality with a plan, the default calendar, past pulse rounds and successes."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

from adapters.files.org_file import read_org_file
from bot.calendar import default_calendar
from bot.dimensions import Dimension
from bot.organisation import Member, Organisation, Team, zone_named
from bot.plan import ActionStatus, DevelopmentPlan, PlanAction, Strength, Target
from bot.pulse import PulseRound, round_closes_at
from bot.success import Success
from scheduler.planner import PULSE_OPEN_DAYS
from storage.calendar_repository import CalendarRepository
from storage.db import Database
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.pulse_repository import PulseRepository
from storage.success_repository import SuccessRepository

DEMO_FILE = Path(__file__).with_name("demo_org.yaml")
# Which questions each unit was asked: kotihoito's targets touch processes and supervisor work.
DEMO_QUESTIONS = {
    "perusturva": ("FE1", "YI1", "PL1", "LE1"),
    "kotihoito": ("PR1", "SW1", "FE1", "YI2"),
    "ruokapalvelu": ("YI1", "FE2", "OC1", "CO1"),
}
# How many answer each round, of how many asked; ruokapalvelu stays under the anonymity threshold.
DEMO_RESPONDENTS = {"perusturva": 3, "kotihoito": 10, "ruokapalvelu": 4}


def seed_demo(db: Database, now: datetime) -> Organisation:
    """Fill an empty database with the demo organisation, dated relative to `now` so it always looks current."""
    orgs = OrganisationRepository(db)
    orgs.apply_import(read_org_file(DEMO_FILE))
    org = orgs.get()
    assert org is not None  # the import just created it
    CalendarRepository(db).save(org.id, default_calendar())
    teams = {t.key: t for t in org.teams}
    members = orgs.members()
    today = now.date()
    plan = PlanRepository(db).save(_kotihoito_plan(teams["kotihoito"], members, today))
    PlanRepository(db).save(_ruokapalvelu_plan(teams["ruokapalvelu"], today))
    _past_rounds(db, org, teams, members, now)
    _successes(db, teams["kotihoito"], members, plan, now)
    return org


def _supervisor(team: Team, members: list[Member]) -> int:
    return next(m.id for m in members if team.id in m.team_ids and m.role.value == "supervisor")


def _staff(team: Team, members: list[Member]) -> list[int]:
    return [m.id for m in members if team.id in m.team_ids]


def _kotihoito_plan(team: Team, members: list[Member], today: date) -> DevelopmentPlan:
    staff = _staff(team, members)
    agreed = today - timedelta(weeks=36)
    return DevelopmentPlan(
        team_id=team.id,
        year=agreed.year,
        strengths=(
            Strength("Autamme toisiamme kiireen keskellä.", Dimension.BELONGING),
            Strength("Asiakkaat kiittävät lämpimästä ja ammattitaitoisesta hoidosta.", Dimension.GOALS),
        ),
        targets=(
            Target(
                goal="Työvuorot ennakoitaviksi: vuorolista valmiina kolme viikkoa etukäteen.",
                dimensions=(Dimension.PROCESSES, Dimension.SAFETY),
                practice="Toiveet kerätään yhteiseen taulukkoon; vuorolista julkaistaan joka kolmas perjantai.",
                follow_up="Tiimipalaverissa kuukausittain: montako listaa valmistui ajallaan.",
                actions=(
                    PlanAction(
                        "Yhteinen toivetaulukko käyttöön", staff[1], agreed + timedelta(weeks=4), ActionStatus.DONE
                    ),
                    PlanAction(
                        "Varahenkilöiden lista päivitetään",
                        staff[2],
                        agreed + timedelta(weeks=12),
                        ActionStatus.IN_PROGRESS,
                    ),
                ),
            ),
            Target(
                goal="Palautetta säännöllisesti, ei vain silloin kun jokin menee pieleen.",
                dimensions=(Dimension.SUPERVISOR_WORK, Dimension.CULTURE),
                practice="Jokaisen viikkopalaverin alussa viisi minuuttia onnistumisille.",
                follow_up="Pulssikysely ja kehityskeskustelut.",
                actions=(
                    PlanAction(
                        "Onnistumiset viikkopalaverin vakiokohdaksi",
                        _supervisor(team, members),
                        None,
                        ActionStatus.DONE,
                    ),
                    PlanAction(
                        "Kahdenkeskiset keskustelut kaikkien kanssa",
                        _supervisor(team, members),
                        agreed + timedelta(weeks=20),
                        ActionStatus.STUCK,
                    ),
                ),
            ),
        ),
        agreed_on=agreed,
        last_follow_up_on=today - timedelta(weeks=9),
    )


def _ruokapalvelu_plan(team: Team, today: date) -> DevelopmentPlan:
    agreed = today - timedelta(weeks=36)
    return DevelopmentPlan(
        team_id=team.id,
        year=agreed.year,
        strengths=(Strength("Keittiössä on hyvä yhteishenki.", Dimension.BELONGING),),
        targets=(
            Target(
                goal="Perehdytys kuntoon: uusi työntekijä tietää ensimmäisellä viikolla, keneltä kysyä.",
                dimensions=(Dimension.COMPETENCE,),
                practice="Perehdytyslista ja nimetty kummi jokaiselle uudelle.",
                follow_up="Uusilta kysytään kuukauden kohdalla.",
                actions=(PlanAction("Perehdytyslista kirjoitetaan", None, agreed + timedelta(weeks=6)),),
            ),
        ),
        agreed_on=agreed,
        last_follow_up_on=today - timedelta(weeks=18),  # overdue: the demo shows what that looks like
    )


def _past_rounds(db: Database, org: Organisation, teams: dict[str, Team], members: list[Member], now: datetime) -> None:
    pulses = PulseRepository(db)
    rng = random.Random(2026)  # the same demo every time
    for weeks_ago, mood in ((26, 3.3), (14, 3.6), (3, 3.9)):  # the targets start to show: answers improve
        # Opened at the calendar's sending hour on the organisation's clock, closed as the scheduler closes a round.
        opened_on = (now - timedelta(weeks=weeks_ago, days=PULSE_OPEN_DAYS)).astimezone(zone_named(org.timezone))
        opens = opened_on.replace(hour=default_calendar().send_hour, minute=0, second=0, microsecond=0)
        pulse_round = pulses.create_round(
            org.id,
            PulseRound(
                opens_at=opens,
                closes_at=round_closes_at(opens, PULSE_OPEN_DAYS, org.timezone),
                team_questions={teams[k].id: q for k, q in DEMO_QUESTIONS.items()},
            ),
            invited={teams[k].id: len(_staff(teams[k], members)) for k in DEMO_QUESTIONS},
        )
        assert pulse_round.id is not None
        for key, questions in DEMO_QUESTIONS.items():
            respondents = rng.sample(_staff(teams[key], members), DEMO_RESPONDENTS[key])
            for member_id in respondents:
                values = {q: _answer(rng, mood) for q in questions}
                pulses.record_answers(pulse_round.id, member_id, teams[key].id, values)
        pulses.settle(pulse_round.id)  # a closed round: what waits below the threshold is mixed in


def _answer(rng: random.Random, mood: float) -> int:
    if rng.random() < 0.05:
        return 0  # "can't say"
    return max(1, min(5, round(rng.gauss(mood, 0.9))))


def _successes(db: Database, team: Team, members: list[Member], plan: DevelopmentPlan, now: datetime) -> None:
    staff = _staff(team, members)
    first_target = plan.targets[0].id
    repo = SuccessRepository(db)
    repo.add(
        Success(
            team.id,
            "Marraskuun vuorolista valmistui kolme viikkoa etuajassa!",
            now - timedelta(days=12),
            staff[1],
            target_id=first_target,
        )
    )
    repo.add(
        Success(
            team.id,
            "Uusi toivetaulukko säästi puoli tuntia jokaisen viikkoa.",
            now - timedelta(days=40),
            staff[3],
            (staff[1],),
            target_id=first_target,
        )
    )
    repo.add(
        Success(team.id, "Asiakkaan omainen lähetti kiitoskortin koko tiimille.", now - timedelta(days=5), staff[4])
    )
