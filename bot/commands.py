"""Reading a chat command in Finnish, Swedish or English, forgiving case, missing diacritics, spaces and @mentions."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class Command(StrEnum):
    """What a person can ask the bot to do; the value is the English word."""

    HELP = "help"
    PLAN = "plan"
    UPDATE = "update"
    SUCCESS = "success"
    REMIND = "remind"
    LANGUAGE = "language"
    PULSE = "pulse"
    FOLLOW_UP = "followup"
    CHOOSE = "choose"  # me - us - all of us: choosing strengths and targets together
    DISCUSS = "discuss"
    TEAM = "team"
    EVALUATE = "evaluation"  # the year-end evaluation and next year's draft
    WORKSHOP = "workshop"  # the development workshop: small groups prepare one target each
    NEED = "need"  # something the team cannot change itself, carried to the organisation


# Every word is kept folded (lower case, no diacritics), so "Päivitä", "paivita" and "PÄIVITÄ" all match.
ALIASES: dict[Command, tuple[str, ...]] = {
    Command.HELP: ("help", "apua", "apu", "ohje", "ohjeet", "hjälp", "?", "start"),
    Command.PLAN: ("plan", "suunnitelma", "kehittamissuunnitelma", "utvecklingsplan", "planen"),
    Command.UPDATE: ("update", "edit", "paivita", "muokkaa", "uppdatera", "ändra"),
    Command.SUCCESS: ("success", "onnistuminen", "onnistuimme", "framgång", "kudos"),
    Command.REMIND: ("remind", "muistuta", "påminn"),
    Command.LANGUAGE: ("language", "lang", "kieli", "språk"),
    Command.PULSE: ("pulse", "pulssi", "puls", "kysely", "survey", "enkät"),
    Command.FOLLOW_UP: ("followup", "follow-up", "seuranta", "uppföljning"),
    Command.CHOOSE: ("choose", "valitaan", "valinta", "mieme", "mie-met", "välj", "me-us-all"),
    Command.DISCUSS: ("discuss", "keskustelu", "keskustellaan", "diskutera", "diskussion"),
    Command.TEAM: ("team", "tiimi", "tiimin", "lag"),
    Command.EVALUATE: ("evaluation", "evaluate", "arviointi", "arvioi", "arvioidaan", "utvärdering", "utvärdera"),
    Command.WORKSHOP: ("workshop", "tyopaja", "kehittamistyopaja", "verkstad", "utvecklingsverkstad"),
    Command.NEED: ("need", "tarve", "organisaatiolle", "behov"),
}


def fold(text: str) -> str:
    """Lower case without diacritics: what people type when the keyboard or the hurry drops ä, ö and å."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_WORDS: dict[str, Command] = {fold(alias): command for command, aliases in ALIASES.items() for alias in aliases}

# Mentions as they arrive: Slack "<@U123>" or "<@U123|name>", Teams "<at>Bot</at>", typed "@tyhybot", "/tyhy".
_MENTION = re.compile(r"^\s*(?:<@[^>]*>|<at>[^<]*</at>|@\S+|/tyhy\b)[\s,:]*", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedCommand:
    """A command and what followed it, as typed (case and diacritics kept for texts like a success)."""

    command: Command | None  # None: not a command we know; the person gets the help text
    args: str
    text: str  # the whole message without mentions

    @property
    def arg_words(self) -> list[str]:
        """The arguments split on white space."""
        return self.args.split()


def parse_command(text: str) -> ParsedCommand:
    """The command in a message; an empty message asks for help."""
    stripped = text.replace("\u00a0", " ")
    while (match := _MENTION.match(stripped)) is not None and match.end() > 0:
        stripped = stripped[match.end() :]
    cleaned = " ".join(stripped.split())
    if not cleaned:
        return ParsedCommand(Command.HELP, "", "")
    first, _, rest = cleaned.partition(" ")
    command = _WORDS.get(fold(first).rstrip(":,.!"))
    if command is None:
        return ParsedCommand(None, cleaned, cleaned)
    return ParsedCommand(command, rest, cleaned)
