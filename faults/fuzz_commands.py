"""Fuzzing what people type: the command parser alone, and whole conversations on the demo organisation in SQLite."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Final

from hypothesis import strategies as st

from adapters.cli.demo import seed_demo
from adapters.server.wiring import build_conversation
from bot.card_limits import card_problems
from bot.commands import ALIASES, Command, parse_command
from bot.events import CommandText, Sender
from bot.i18n import SUPPORTED_LANGUAGES, messages
from bot.messages import Buttons, Facts, Heading, OutboundMessage, Question, Text
from bot.organisation import Member, Platform
from bot.person import find_person
from faults.cases import CaseFailed, LogWatch, fuzz, messy_text
from storage.db import Database
from storage.migrate import upgrade
from storage.models import MemberIdentityRow
from storage.org_repository import OrganisationRepository

NOW: Final = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday morning in Helsinki
# A whole conversation turn costs a few database transactions: fewer examples than the pure parsers' 10,000.
CONVERSATION_INPUTS: Final = 2_000
WORKSPACE: Final = "T1"


def slack_id(member: Member) -> str:
    return f"U{member.id:04d}"


@contextmanager
def demo_database() -> Iterator[tuple[Database, list[Member]]]:
    """The demo organisation in a fresh SQLite file, every member reachable on Slack as U0001, U0002…"""
    with tempfile.TemporaryDirectory(prefix="tyhy-fuzz-") as directory:
        db = Database(f"sqlite:///{Path(directory) / 'demo.db'}")
        try:
            upgrade(db)
            seed_demo(db, NOW)
            members = OrganisationRepository(db).members()
            with db.transaction() as session:
                for member in members:
                    session.add(MemberIdentityRow(member_id=member.id, platform="slack", user_id=slack_id(member)))
            yield db, members
        finally:
            db.dispose()


# --- What people type ---------------------------------------------------------------------------------------------

_COMMAND_WORDS: Final = tuple(alias for aliases in ALIASES.values() for alias in aliases)
# fmt: off
_ARGUMENTS: Final = (
    "fi", "sv", "en", "de", "kotihoito", "ruokapalvelu", "perusturva", "1", "0", "-1", "99999999999999999999",
    "huomenna klo 14", "next tuesday", "om två veckor", "31.2.", "@Anna", "<@U0006>", "<@U9999|nobody>",
    "<at>Anna</at>", "kaikki", "all", "stop", "peru",
)
# fmt: on
word = st.one_of(st.sampled_from(_COMMAND_WORDS), st.sampled_from(_ARGUMENTS), st.text(max_size=8))
mention = st.sampled_from(("", "<@UBOT> ", "<at>tyhybot</at> ", "@tyhybot ", "/tyhy ", "<@UBOT|tyhy>, "))
typed = st.one_of(
    st.builds(
        lambda lead, command, rest, case: case(lead + command + " " + " ".join(rest)),
        mention,
        st.sampled_from(_COMMAND_WORDS),
        st.lists(word, max_size=5),
        st.sampled_from((str, str.upper, str.title)),
    ),
    st.lists(word, max_size=6).map(" ".join),
    messy_text(),
)


# --- The command parser -------------------------------------------------------------------------------------------


def _parsed_well(text: str) -> None:
    parsed = parse_command(text)
    if parsed.command is not None and not isinstance(parsed.command, Command):
        raise CaseFailed(f"parse_command gave {parsed.command!r}")
    if not (isinstance(parsed.args, str) and isinstance(parsed.text, str)):
        raise CaseFailed("parse_command gave arguments that are not text")
    if parsed.args and parsed.args not in parsed.text:
        raise CaseFailed(f"the arguments {parsed.args!r} are not part of the text {parsed.text!r}")
    again = parse_command(parsed.text)
    if again.command != parsed.command:
        raise CaseFailed(f"the cleaned text {parsed.text!r} reads as {again.command}, not {parsed.command}")


def command_parser() -> int:
    """parse_command on 10,000 texts: a known command or None, its arguments, stable when read again."""
    return fuzz(typed, _parsed_well)


# --- Whole conversations ------------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _signature(template: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in _PLACEHOLDER.split(template) if part.strip())


@cache
def _templates(language: str) -> tuple[re.Pattern[str], ...]:
    """Every message only this language's catalog has, as a pattern with its placeholders as wildcards.

    A reply holding one of them was told in this language; messages the same in every language ("✓") and
    those with almost no words of their own are left out, as they prove nothing.
    """
    others = {_signature(text) for code in SUPPORTED_LANGUAGES if code != language for text in messages(code).values()}
    patterns = []
    for text in messages(language).values():
        signature = _signature(text)
        if sum(len(part) for part in signature) >= 5 and signature not in others:
            patterns.append(re.compile(".*?".join(re.escape(part) for part in signature), re.DOTALL))
    return tuple(patterns)


def _visible(message: OutboundMessage) -> str:
    """What a person sees of a message: its text, or the card's fallback, headings, texts and buttons."""
    if message.card is None:
        return message.text or ""
    parts = [message.card.fallback_text]
    for block in message.card.blocks:
        if isinstance(block, (Heading, Text)):
            parts.append(block.text)
        elif isinstance(block, Question):
            parts.append(block.prompt)
        elif isinstance(block, Facts):
            parts.extend(f"{key}: {value}" for key, value in block.items)
        elif isinstance(block, Buttons):
            parts.extend(button.label for button in block.buttons)
    return "\n".join(parts)


def conversation() -> int:
    """Random text from people in fi, sv and en through the whole core: always an answer, in their language."""
    with demo_database() as (db, members):
        talk = build_conversation(db, lambda: NOW)
        directory = OrganisationRepository(db)
        # Staff and supervisors in each of the three languages, and a wellbeing officer.
        speakers = [m for m in members if m.name.split()[0] in ("Anna", "Maria", "Ahmed", "Pirjo", "Outi", "Eva")]

        def check(example: tuple[Member, str, bool]) -> None:
            member, text, direct = example
            sender = Sender(Platform.SLACK, slack_id(member), WORKSPACE)
            event = CommandText(sender, text, "D0001" if direct else "C0001", direct)
            with LogWatch("bot.i18n") as logged:
                reply = talk.handle(event)
            if logged.records:
                raise CaseFailed(f"a message was told with a gap: {logged.records[0].getMessage()}")
            person = find_person(directory, sender)  # after the turn: "language sv" changes it
            if person is None or not reply.messages:
                raise CaseFailed(f"no answer to {text!r}")
            seen = [_visible(message) for message in reply.messages]
            if any(not visible.strip() for visible in seen):
                raise CaseFailed(f"an empty message in the answer to {text!r}")
            for message in reply.messages:
                problems = card_problems(message.card) if message.card is not None else []
                if problems:
                    raise CaseFailed(f"a card over Slack's or Teams' limits: {', '.join(problems)}")
            if not any(pattern.search(visible) for visible in seen for pattern in _templates(person.language)):
                raise CaseFailed(f"the answer is not in {person.language}: {seen[0][:200]!r}")

        examples = st.tuples(st.sampled_from(speakers), typed, st.booleans())
        return fuzz(examples, check, CONVERSATION_INPUTS)
