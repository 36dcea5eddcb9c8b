"""The workshop a week ahead and on the day: the supervisor's agenda card and the reminder in the team's channel."""

from __future__ import annotations

from sqlalchemy import delete

from adapters.server.jobs_wiring import JobHandlers
from bot.dimensions import Dimension
from bot.flows.workshop_cards import day_card
from bot.survey import SurveyFigures, SurveyResults
from scheduler.planner import JobKind
from storage.plan_repository import PlanRepository
from storage.survey_models import SurveyGroupRow, SurveyImportRow
from storage.survey_repository import SurveyRepository
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.fake_chat import FakeChat, card_text
from tests.bot.flows.workshop_helpers import choose


def figures(respondents: int, invited: int, base: float) -> SurveyFigures:
    values = {d: base + i for i, d in enumerate(Dimension)}
    return SurveyFigures(respondents, invited, base + 1, values)


def without_surveys(demo: Demo) -> None:
    """The demo ships survey years; these tests want a team without one."""
    with demo.db.transaction() as session:
        session.execute(delete(SurveyGroupRow))
        session.execute(delete(SurveyImportRow))


def agenda(chat: FakeChat, demo: Demo, clock: Clock) -> str:
    chat.deliver(JobHandlers(demo.db)(JobKind.WORKSHOP_AGENDA, demo.team("kotihoito").id, False, clock.now))
    posted = chat.last_card(demo.supervisor("kotihoito"))
    assert posted.card.kind == "workshop.agenda"
    return card_text(posted.card)


def test_the_agenda_shows_the_survey_the_tally_without_names_the_starters_and_the_outline(
    chat: FakeChat, demo: Demo, clock: Clock
) -> None:
    team = demo.team("kotihoito")
    results = SurveyResults(2027, figures(40, 50, 75.0), {team.id: figures(12, 15, 76.5)})
    SurveyRepository(demo.db).save(demo.org.id, results, clock.now, replace=True)  # in place of the demo's year
    choose(demo, clock, pickers=6)
    text = agenda(chat, demo, clock)
    assert "Kehittämistyöpaja on 5.3.2027" in text  # the demo calendar's workshop, a week and more ahead
    assert "*Työhyvinvointikysely 2027*: vastasi 12/15 (80 %). QWL-indeksi 77,5 (koko organisaatio 76,0)" in text
    assert "• Fyysinen ja emotionaalinen turvallisuus: 76,5 % (organisaatio 75,0 %) ⚠ alle riskirajan 80,0 %" in text
    assert "Kehittämiskohteet: Fyysinen ja emotionaalinen turvallisuus (6) · Perehdytys (6)" in text
    assert "Vahvuudet: Yhteenkuuluvuus ja identiteetti (6)" in text
    assert "• 2 × 20 min: kiertävät pisteet" in text and "• 30 min: yhteinen keskustelu" in text
    assert "*Keskustelun avaajia pisteille:*" in text
    assert not [m.name for m in demo.staff("kotihoito") if m.name in text]  # the tally names no one
    assert not chat.inbox(demo.person("Anna"))  # the agenda is the supervisor's


def test_without_a_survey_the_agenda_shows_the_pulse_and_asks_for_the_choosing(
    chat: FakeChat, demo: Demo, clock: Clock
) -> None:
    without_surveys(demo)
    text = agenda(chat, demo, clock)
    assert "*Pulssikyselyjen tulokset*" in text and "Esihenkilötyö: 64 %" in text
    assert "komento valitaan aloittaa valinnan" in text


def test_a_choosing_too_small_to_show_is_not_tallied_and_a_small_survey_unit_falls_back_to_the_pulse(
    chat: FakeChat, demo: Demo, clock: Clock
) -> None:
    team = demo.team("kotihoito")
    results = SurveyResults(2027, figures(40, 50, 75.0), {team.id: figures(3, 15, 60.0)})
    SurveyRepository(demo.db).save(demo.org.id, results, clock.now, replace=True)  # in place of the demo's year
    choose(demo, clock, pickers=3)
    text = agenda(chat, demo, clock)
    assert "Työhyvinvointikysely" not in text and "*Pulssikyselyjen tulokset*" in text
    assert "Valintojen koontia ei näytetä" in text and "Perehdytys" not in text


def test_the_agenda_speaks_the_supervisors_language_and_its_button_opens_the_plan(
    chat: FakeChat, demo: Demo, clock: Clock
) -> None:
    pirjo = demo.supervisor("kotihoito")
    chat.say(pirjo, "kieli sv")
    demo.refresh()
    text = agenda(chat, demo, clock)
    assert "Utvecklingsverkstadens program: Kotihoito" in text and "roterande stationer" in text
    shown = chat.tap(pirjo, "Visa planen")
    assert "Työvuorot ennakoitaviksi" in shown[0].text


def test_on_the_day_the_team_channel_hears_of_the_workshop(chat: FakeChat, demo: Demo, clock: Clock) -> None:
    team = demo.team("kotihoito")
    chat.deliver(JobHandlers(demo.db)(JobKind.WORKSHOP, team.id, False, clock.now))
    posted = [p.card for p in chat.channel(team) if p.message.card is not None]
    reminder = next(card for card in posted if card.kind == "workshop.day")
    assert "Tänään on kehittämistyöpaja" in card_text(reminder)
    assert "1. Työvuorot ennakoitaviksi" in card_text(reminder)
    plan = PlanRepository(demo.db).current(team.id)
    assert "Today is the development workshop" in card_text(day_card(plan, "en"))
    assert "I dag är det utvecklingsverkstad" in card_text(day_card(plan, "sv"))
