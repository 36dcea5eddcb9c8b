"""The conversation core through the in-memory chat: help, unknown commands, language, strangers, the plan."""

from __future__ import annotations

from bot.events import CommandText, Sender
from bot.organisation import Platform
from tests.bot.flows.conftest import Demo
from tests.bot.flows.fake_chat import FakeChat


def test_help_in_each_language(chat: FakeChat, demo: Demo) -> None:
    anna, maria, ahmed = demo.person("Anna"), demo.person("Maria"), demo.person("Ahmed")
    assert "suunnitelma" in chat.say(anna, "apua")[0].text
    assert "framgång" in chat.say(maria, "hjälp")[0].text  # Maria chose Swedish in the org file
    assert "success" in chat.say(ahmed, "help")[0].text


def test_staff_are_offered_only_what_they_may_do_and_supervisors_everything(chat: FakeChat, demo: Demo) -> None:
    staff = chat.say(demo.person("Anna"), "apua")[0].text
    assert "pulssi" in staff and "onnistuminen" in staff
    assert "muistuta" not in staff and "päivitä" not in staff and "esihenkilö" not in staff.lower()
    supervisor = chat.say(demo.supervisor("kotihoito"), "apua")[0].text
    assert supervisor.startswith(staff) and "Esihenkilönä voit lisäksi" in supervisor and "• muistuta" in supervisor


def test_an_unknown_command_gets_the_help_text_not_silence(chat: FakeChat, demo: Demo) -> None:
    reply = chat.say(demo.person("Anna"), "mitä kuuluu?")
    assert len(reply) == 1
    assert "mitä kuuluu?" in reply[0].text and "suunnitelma" in reply[0].text


def test_language_switch_sticks_and_is_confirmed_in_the_new_language(chat: FakeChat, demo: Demo) -> None:
    anna = demo.person("Anna")
    assert "svenska" in chat.say(anna, "kieli sv")[0].text
    assert "Så här använder du mig" in chat.say(anna, "apua")[0].text
    assert "English" in chat.say(anna, "<@U0BOT> SPRÅK   en")[0].text
    refused = chat.say(anna, "language klingon")[0].text
    assert "klingon" in refused and "fi, sv, en" in refused
    assert "Here's how" in chat.say(anna, "help")[0].text  # the refused switch changed nothing


def test_a_stranger_is_told_who_can_help_in_their_locale(chat: FakeChat) -> None:
    reply = chat.conversation.handle(CommandText(Sender(Platform.SLACK, "U0NOBODY", locale="sv-FI"), "hjälp"))
    assert len(reply.messages) == 1
    assert "arbetshälsokoordinatorn" in (reply.messages[0].text or "")


def test_anyone_in_the_team_sees_its_plan(chat: FakeChat, demo: Demo) -> None:
    reply = chat.say(demo.person("Juha"), "suunnitelma")
    assert len(reply) == 1
    text = reply[0].text
    assert "Kotihoito" in text and "Työvuorot ennakoitaviksi" in text and "Anna Korhonen" in text
    assert "tehty" in text and "jumissa" in text


def test_a_team_without_a_plan_is_told_so(chat: FakeChat, demo: Demo) -> None:
    assert "Perusturva" in chat.say(demo.person("Mikko"), "plan")[0].text


def test_an_unknown_button_is_answered_kindly(chat: FakeChat, demo: Demo) -> None:
    reply = chat.press(demo.person("Anna"), "nonsense.action", "x")
    assert "apua" in reply[0].text
