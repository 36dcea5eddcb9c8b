"""`tyhy chat`: a person in a terminal plays a member; numbers tap buttons and letters fill inputs."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from adapters.console.app import find_member
from adapters.console.render import render_message
from adapters.console.session import ConsoleSession
from adapters.server.wiring import build_conversation
from bot.commands import Command, ParsedCommand
from bot.conversation import Conversation, Flow
from bot.events import ActionSubmitted, CommandText
from bot.flows.pulse_rounds import PulseRounds
from bot.i18n import translate
from bot.messages import (
    Address,
    Button,
    Buttons,
    Card,
    Choice,
    Heading,
    OutboundMessage,
    Question,
    Reply,
    Select,
    Text,
    TextInput,
)
from bot.organisation import Member, Platform
from bot.person import Person
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.pulse_repository import PulseRepository
from tests.bot.flows.conftest import Clock, Demo


class EchoFlow:
    """A tiny flow that shows a form and echoes what the person filled and tapped."""

    commands = frozenset({Command.SUCCESS})
    action_prefix = "echo."

    def on_command(self, person: Person, command: ParsedCommand, event: CommandText) -> Reply:
        card = Card(
            "echo",
            "Echo",
            (
                Heading("Form"),
                TextInput("note", "Note"),
                Select("pick", "Pick", (Choice("One", "1"), Choice("Two", "2"), Choice("Three", "3")), multiple=True),
                Buttons((Button("echo.send", "Send", "v1"),)),
            ),
        )
        return Reply((OutboundMessage(person.address, card=card),))

    def on_action(self, person: Person, event: ActionSubmitted) -> Reply:
        text = f"{event.action} {event.value} note={event.form.get('note')} pick={event.form.get('pick')}"
        return Reply(
            (OutboundMessage(person.address, text=text), OutboundMessage(Address(Platform.WEB, user_id="0"), text="x"))
        )


def test_numbers_tap_and_letters_fill(demo: Demo, clock: Clock) -> None:
    anna = demo.person("Anna")
    flows: list[Flow] = [EchoFlow()]
    session = ConsoleSession(Conversation(_directory(demo), clock, flows), anna, demo.team("kotihoito"), "en")
    shown = session.handle_line("success")
    assert "[1] Send" in shown[0] and "(a) Note" in shown[0] and "1=One" in shown[0]
    assert session.handle_line("a: Hello there") == ["(a) ✔ Hello there"]
    assert session.handle_line("b=1, 3, 9") == ["(b) ✔ 1,3"]
    out = session.handle_line("1")
    assert out[0] == "echo.send v1 note=Hello there pick=1,3"
    assert out[1] == "(+1 messages to others)"
    assert session.handle_line("7") == ["Pick a number from 1 to 1."]


def test_the_real_flows_answer_in_the_terminal(demo: Demo, clock: Clock) -> None:
    juha = demo.person("Juha")
    session = ConsoleSession(build_conversation(demo.db, clock), juha, demo.team("kotihoito"), "fi")
    assert "Työvuorot ennakoitaviksi" in session.handle_line("suunnitelma")[0]
    assert "English" in session.handle_line("kieli en")[0]


def test_find_member_is_forgiving_and_honest_about_ambiguity() -> None:
    people = [Member(1, "Päivi Saarinen"), Member(2, "Juha Nieminen"), Member(3, "Jari Laaksonen")]
    assert [m.id for m in find_member(people, "paivi saarinen")] == [1]
    assert [m.id for m in find_member(people, "J")] == [2, 3]
    assert find_member(people, "Nobody") == []


def test_the_terminal_shows_emphasis_as_plain_words_not_slack_marks() -> None:
    overdue = translate("fi", "followup.overdue", days="3 päivää", date="4.1.2027")
    card = Card("f", "f", (Text(overdue), Text("tiedosto team_plan_2027.xlsx ja 2*3*4")))
    screen = render_message(OutboundMessage(Address(Platform.WEB, user_id="1"), card=card))
    assert "⚠️ Seuranta on 3 päivää myöhässä: se piti pitää viimeistään 4.1.2027." in screen.text
    assert "*" not in screen.text.replace("2*3*4", "")
    assert "team_plan_2027.xlsx" in screen.text  # a name with underscores is not italic
    plain_text = render_message(OutboundMessage(Address(Platform.WEB, user_id="1"), text=overdue))
    assert plain_text.text.startswith("⚠️ Seuranta on 3 päivää myöhässä:")


def test_render_marks_the_selected_choice() -> None:
    choices = (Choice("Good", "5"), Choice("Bad", "1"))
    card = Card("q", "q", (Question("q1", "How?", "pulse.answer", choices, selected="5"),))
    screen = render_message(OutboundMessage(Address(Platform.WEB, user_id="1"), card=card))
    assert "[1] ✔ Good" in screen.text and "[2] Bad" in screen.text


def test_tyhy_chat_in_a_real_terminal_process(demo: Demo, tmp_path: Path) -> None:
    if demo.db.dialect == "sqlite":
        _run_chat(demo.db.url, extra_env={})
    else:  # the test schema is chosen per connection; libpq reads it from PGOPTIONS in the child process
        _run_chat(demo.db.engine.url.render_as_string(hide_password=False), extra_env={"PGOPTIONS": _search_path(demo)})


def _search_path(demo: Demo) -> str:
    with demo.db.engine.connect() as connection:
        schema = connection.exec_driver_sql("SELECT current_schema()").scalar()
    return f"-csearch_path={schema}"


def _run_chat(url: str, extra_env: dict[str, str]) -> None:
    env = {**os.environ, "TYHY_DATABASE_URL": url, "TYHY_LANGUAGE": "fi", **extra_env}
    listed = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "chat"], env=env, capture_output=True, text=True, timeout=60
    )
    assert (
        listed.returncode == 0
        and len(listed.stdout.splitlines()) == 25
        and "Pirjo Mäkelä · esihenkilö" in listed.stdout
    )
    talk = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "chat", "--as", "pirjo makela"],
        input="suunnitelma\nmitä?\n:pulssi\n1\n:q\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert talk.returncode == 0, talk.stderr
    assert "Olet nyt Pirjo Mäkelä" in talk.stdout and "Työvuorot ennakoitaviksi" in talk.stdout
    assert "En ymmärtänyt viestiä ”mitä?”" in talk.stdout
    assert "Pulssikysely: Kotihoito" in talk.stdout and "[1] ✔" in talk.stdout  # a round opened; the tap shows


def _directory(demo: Demo) -> OrganisationRepository:
    return OrganisationRepository(demo.db)


def test_pulse_answers_are_picked_by_number_in_the_terminal_and_only_send_reaches_the_bot(
    demo: Demo, clock: Clock
) -> None:
    anna = demo.person("Anna")
    kotihoito = demo.team("kotihoito")
    repo = PulseRepository(demo.db)
    rounds = PulseRounds(_directory(demo), repo, PlanRepository(demo.db))
    created, reply = rounds.open_round(demo.org, [kotihoito], clock.now + timedelta(days=7), clock.now)
    assert created.id is not None
    session = ConsoleSession(build_conversation(demo.db, clock), anna, kotihoito, "fi")
    session.show(Reply(tuple(m for m in reply.messages if m.to.user_id == str(anna.id))))
    assert session.current is not None
    choices = 6  # five points of agreement and "can't say" per question
    picked = session.handle_line("4")  # question 1, the fourth choice: drawn here, sent nowhere
    assert "[4] ✔" in picked[0] and "(päivitetty)" not in picked[0]
    for question in range(1, 5):
        session.handle_line(str(question * choices + 2))
    assert not repo.has_answered(created.id, anna.id)
    thanks = session.handle_line(str(5 * choices + 1))  # the Send button follows the thirty choices
    assert "Kiitos vastauksistasi" in thanks[0]
    assert repo.has_answered(created.id, anna.id)
