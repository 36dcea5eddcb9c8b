"""The calendar's step prompts: who gets them, in which language, and their buttons act like typed commands."""

from __future__ import annotations

from bot.calendar import StepKind
from bot.flows.calendar_prompts import step_prompt
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.fake_chat import FakeChat


def test_the_survey_reaches_everyone_in_their_own_language(chat: FakeChat, demo: Demo) -> None:
    team = demo.team("kotihoito")
    chat.deliver(step_prompt(StepKind.SURVEY, team, demo.org, demo.members))
    assert all(chat.inbox(m) for m in demo.staff("kotihoito"))
    assert "työhyvinvointikysely" in chat.last(demo.person("Anna")).text
    assert "arbetshälsoenkäten" in chat.last(demo.person("Maria")).text
    assert "wellbeing survey" in chat.last(demo.person("Ahmed")).text
    assert not chat.inbox(demo.person("Marja"))  # ruokapalvelu is not asked


def test_the_evaluation_step_goes_to_the_supervisor_and_its_button_opens_the_form(chat: FakeChat, demo: Demo) -> None:
    team = demo.team("kotihoito")
    pirjo = demo.supervisor("kotihoito")
    chat.deliver(step_prompt(StepKind.EVALUATION, team, demo.org, demo.members))
    assert [m.name for m in demo.staff("kotihoito") if chat.inbox(m)] == [pirjo.name]
    assert "arvioi" in chat.last(pirjo).text
    shown = chat.tap(pirjo, "Arvioi vuosi")
    assert "Työvuorot ennakoitaviksi" in shown[0].text and "Saavutettiinko?" in shown[0].text


def test_a_team_without_a_supervisor_is_prompted_through_the_wellbeing_officer(chat: FakeChat, demo: Demo) -> None:
    from dataclasses import replace

    from bot.organisation import Role

    team = demo.team("ruokapalvelu")
    members = [replace(m, role=Role.STAFF) if m.role is Role.SUPERVISOR else m for m in demo.members]
    chat.deliver(step_prompt(StepKind.PLAN, team, demo.org, members))
    assert "suunnitelma" in chat.last(demo.person("Outi")).text


def test_the_workshop_posts_a_discussion_starter_and_the_evaluation_counts_successes(
    chat: FakeChat, demo: Demo, clock: Clock
) -> None:
    from adapters.server.jobs_wiring import JobHandlers
    from scheduler.planner import JobKind

    handlers = JobHandlers(demo.db)
    team = demo.team("kotihoito")
    chat.deliver(handlers(JobKind.WORKSHOP, team.id, False, clock.now))
    assert len(chat.channel(team)) == 2  # the day's reminder and a starter, for everyone in the team's channel
    chat.deliver(handlers(JobKind.EVALUATION, team.id, False, clock.now))
    evaluation = chat.last(demo.supervisor("kotihoito")).text
    assert "Työvuorot ennakoitaviksi" in evaluation  # the demo's two successes tied to the first target
