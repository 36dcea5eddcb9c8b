"""Commands in Finnish, Swedish and English, however they are typed."""

from __future__ import annotations

import pytest

from bot.commands import ALIASES, Command, parse_command


@pytest.mark.parametrize(
    ("text", "command", "args"),
    [
        ("help", Command.HELP, ""),
        ("apua", Command.HELP, ""),
        ("hjälp", Command.HELP, ""),
        ("HJALP", Command.HELP, ""),
        ("suunnitelma", Command.PLAN, ""),
        ("Plan", Command.PLAN, ""),
        ("paivita", Command.UPDATE, ""),
        ("Päivitä", Command.UPDATE, ""),
        ("uppdatera", Command.UPDATE, ""),
        ("onnistuminen Saimme listan valmiiksi!", Command.SUCCESS, "Saimme listan valmiiksi!"),
        ("framgang  Vi  klarade det", Command.SUCCESS, "Vi klarade det"),
        ("success We did it", Command.SUCCESS, "We did it"),
        ("muistuta huomenna klo 9", Command.REMIND, "huomenna klo 9"),
        ("påminn i morgon", Command.REMIND, "i morgon"),
        ("paminn i morgon", Command.REMIND, "i morgon"),
        ("remind tomorrow at 2pm", Command.REMIND, "tomorrow at 2pm"),
        ("kieli sv", Command.LANGUAGE, "sv"),
        ("språk fi", Command.LANGUAGE, "fi"),
        ("sprak fi", Command.LANGUAGE, "fi"),
        ("language en", Command.LANGUAGE, "en"),
        ("<@U0BOT> suunnitelma", Command.PLAN, ""),
        ("<@U0BOT|tyhybot>   kieli   en  ", Command.LANGUAGE, "en"),
        ("<at>tyhybot</at> apua", Command.HELP, ""),
        ("@tyhybot, plan", Command.PLAN, ""),
        ("/tyhy seuranta", Command.FOLLOW_UP, ""),
        ("\u00a0pulssi\u00a0", Command.PULSE, ""),
        ("Suunnitelma?", None, "Suunnitelma?"),
        ("", Command.HELP, ""),
        ("   ", Command.HELP, ""),
        ("<@U0BOT>", Command.HELP, ""),
    ],
)
def test_commands_are_read_forgivingly(text: str, command: Command | None, args: str) -> None:
    parsed = parse_command(text)
    assert parsed.command == command
    assert parsed.args == args


def test_an_unknown_word_is_no_command() -> None:
    parsed = parse_command("moikka kaikille")
    assert parsed.command is None and parsed.text == "moikka kaikille"


def test_every_command_has_a_word_in_each_language() -> None:
    english_words = {command.value for command in Command}
    assert all(command.value in ALIASES[command] for command in Command) and len(english_words) == len(Command)


def test_no_word_means_two_commands() -> None:
    from bot.commands import fold

    meanings: dict[str, set[Command]] = {}
    for command, aliases in ALIASES.items():
        for word in aliases:
            meanings.setdefault(fold(word), set()).add(command)
    assert {word: found for word, found in meanings.items() if len(found) > 1} == {}
