"""The demo organisation: a small municipality with a plan, the default calendar, past pulse rounds, successes and
two years of survey results."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

from adapters.files.org_file import read_org_file
from bot.calendar import default_calendar
from bot.comments import CommentAnswer
from bot.dimensions import Dimension
from bot.organisation import Member, Organisation, Team, zone_or_default
from bot.plan import ActionStatus, DevelopmentPlan, PlanAction, Strength, Target
from bot.pulse import PulseRound, round_closes_at
from bot.success import Success
from bot.survey import SurveyFigures, SurveyResults
from scheduler.planner import PULSE_OPEN_DAYS
from storage.calendar_repository import CalendarRepository
from storage.comment_answers import CommentAnswerRepository
from storage.db import Database
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.pulse_repository import PulseRepository
from storage.success_repository import SuccessRepository
from storage.survey_repository import SurveyRepository

DEMO_FILE = Path(__file__).with_name("demo_org.yaml")
# Which questions each unit was asked: kotihoito's targets touch processes and supervisor work.
DEMO_QUESTIONS = {
    "perusturva": ("FE1", "YI1", "PL1", "LE1"),
    "kotihoito": ("PR1", "SW1", "FE1", "YI2"),
    "ruokapalvelu": ("YI1", "FE2", "OC1", "CO1"),
}
# How many answer each round, of how many asked; ruokapalvelu stays under the anonymity threshold.
DEMO_RESPONDENTS = {"perusturva": 3, "kotihoito": 10, "ruokapalvelu": 4}
# Home care's comments in the round before the newest (enough commenters, 3 or more, for them to be shown), and the
# supervisor's answer to the team ("you said – we do"): the team's dashboard page shows both.
COMMENTED_WEEKS_AGO = 14
DEMO_COMMENTS = (
    "Aamupalaverit ovat lyhentyneet, ja asiat tulevat silti sovituksi.",
    "Iltavuoroissa on edelleen liian vähän sijaisia.",
    "Uusi perehdytyskansio auttoi kesätyöntekijää paljon.",
    "Taukoja ei ehdi pitää, kun käyntejä on liikaa.",
)
DEMO_COMMENT_ANSWER = (
    "Kiitos kommenteista! Sijaistarpeesta on sovittu palvelupäällikön kanssa, ja käyntilistat käydään läpi "
    "seuraavassa tiimipalaverissa, jotta tauoille jää aikaa."
)
# The vendor's survey results, as (respondents, invited, QWL, FE, YI, PL, SW, CO, LE, PR, OC): the survey of the
# coming results review and the year before. Kotihoito's PL is under its risk limit (70 %) this year and its FE
# was under 80 % last year; ruokapalvelu's 4 respondents stay under the threshold, so it is hidden and rolls up.
DEMO_SURVEY: dict[str, dict[str, tuple[float, ...]]] = {
    "this": {
        "": (19, 25, 71.9, 80.1, 75.6, 68.7, 73.4, 81.0, 66.2, 62.3, 71.2),
        "perusturva": (3, 4, 68.0, 75.0, 70.0, 66.0, 70.0, 78.0, 60.0, 58.0, 69.0),
        "kotihoito": (12, 14, 73.2, 81.5, 77.0, 68.5, 74.5, 82.0, 67.5, 63.0, 72.0),
        "ruokapalvelu": (4, 7, 70.5, 79.0, 75.5, 70.5, 73.0, 80.0, 67.0, 63.5, 70.5),
    },
    "previous": {
        "": (20, 25, 70.2, 78.4, 74.0, 69.0, 71.6, 80.2, 64.8, 59.6, 69.8),
        "perusturva": (3, 4, 67.0, 76.0, 71.0, 67.0, 69.0, 77.0, 61.0, 57.0, 68.0),
        "kotihoito": (12, 14, 71.0, 78.0, 74.5, 70.5, 72.0, 81.0, 65.0, 60.0, 70.0),
        "ruokapalvelu": (5, 7, 70.0, 80.0, 75.0, 66.0, 71.5, 80.5, 66.5, 60.5, 70.5),
    },
}


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
    plans = PlanRepository(db)
    plan = plans.save(_kotihoito_plan(teams["kotihoito"], members, today))
    kitchen = plans.save(_ruokapalvelu_plan(teams["ruokapalvelu"], today))
    _follow_ups(plans, plan, kitchen, today)
    _past_rounds(db, org, teams, members, now)
    _successes(db, teams["kotihoito"], members, plan, now)
    _survey_years(db, org, teams, now)
    return org


def demo_survey_year(today: date) -> int:
    """The year whose results the next results review of the default calendar looks at."""
    review = default_calendar().date_of("results_review", today.year)
    return today.year if today <= review else today.year + 1


def _survey_years(db: Database, org: Organisation, teams: dict[str, Team], now: datetime) -> None:
    year = demo_survey_year(now.astimezone(zone_or_default(org.timezone)).date())
    for which, number in (("previous", year - 1), ("this", year)):
        rows = {key: _survey_figures(values) for key, values in DEMO_SURVEY[which].items()}
        units = {teams[key].id: figures for key, figures in rows.items() if key}
        SurveyRepository(db).save(org.id, SurveyResults(number, rows[""], units), now, replace=True)


def _survey_figures(values: tuple[float, ...]) -> SurveyFigures:
    respondents, invited, qwl, *dimensions = values
    return SurveyFigures(int(respondents), int(invited), qwl, dict(zip(Dimension, dimensions, strict=True)))


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
                "Työvuorot ennakoitaviksi",
                goal="Vuorolista on valmiina kolme viikkoa etukäteen.",
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
                "Palautetta säännöllisesti",
                goal="Jokainen saa palautetta säännöllisesti, ei vain silloin kun jokin menee pieleen.",
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
                "Perehdytys kuntoon",
                goal="Uusi työntekijä tietää ensimmäisellä viikolla, keneltä kysyä.",
                dimensions=(Dimension.COMPETENCE,),
                practice="Perehdytyslista ja nimetty kummi jokaiselle uudelle.",
                follow_up="Uusilta kysytään kuukauden kohdalla.",
                actions=(PlanAction("Perehdytyslista kirjoitetaan", None, agreed + timedelta(weeks=6)),),
            ),
        ),
        agreed_on=agreed,
        last_follow_up_on=today - timedelta(weeks=18),  # overdue: the demo shows what that looks like
    )


def _follow_ups(plans: PlanRepository, home_care: DevelopmentPlan, kitchen: DevelopmentPlan, today: date) -> None:
    """The plans' history so far, each ending on the day its plan says it was last followed up."""
    assert home_care.id is not None and kitchen.id is not None  # saved just before
    held = (
        (home_care.id, 25, "Toivetaulukko on käytössä. Varahenkilölistaa ei ole ehditty aloittaa: Anna kokoaa sen."),
        (home_care.id, 16, ""),
        (home_care.id, 9, "Varahenkilölista on puolivälissä. Kahdenkeskiset keskustelut ovat jumissa: sovitaan ajat."),
        (kitchen.id, 18, "Perehdytyslistan luonnos käytiin läpi; kummit nimetään seuraavassa palaverissa."),
    )
    for plan_id, weeks_ago, note in held:
        plans.record_follow_up(plan_id, today - timedelta(weeks=weeks_ago), note)


def _past_rounds(db: Database, org: Organisation, teams: dict[str, Team], members: list[Member], now: datetime) -> None:
    pulses = PulseRepository(db)
    rng = random.Random(2026)  # the same demo every time
    for weeks_ago, mood in ((26, 3.3), (14, 3.6), (3, 3.9)):  # the targets start to show: answers improve
        # Opened at the calendar's sending hour on the organisation's clock, closed as the scheduler closes a round.
        opened_on = (now - timedelta(weeks=weeks_ago, days=PULSE_OPEN_DAYS)).astimezone(zone_or_default(org.timezone))
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
            comments = DEMO_COMMENTS if key == "kotihoito" and weeks_ago == COMMENTED_WEEKS_AGO else ()
            for number, member_id in enumerate(respondents):
                values = {q: _answer(rng, mood) for q in questions}
                comment = comments[number] if number < len(comments) else None
                pulses.record_answers(pulse_round.id, member_id, teams[key].id, values, comment)
        pulses.settle(pulse_round.id)  # a closed round: what waits below the threshold is mixed in
        if weeks_ago == COMMENTED_WEEKS_AGO:
            home_care = teams["kotihoito"]
            answer = CommentAnswer(
                pulse_round.id, home_care.id, DEMO_COMMENT_ANSWER, pulse_round.closes_at + timedelta(days=6)
            )
            CommentAnswerRepository(db).add(answer, _supervisor(home_care, members))


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
