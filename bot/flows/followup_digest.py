"""The wellbeing officers' monthly digest: every team whose follow-up is still late, most overdue first, in one card."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.card_limits import MAX_HEADING, MAX_TEXT, shorten
from bot.flows.followup_card import days_text
from bot.flows.followup_model import OPEN
from bot.flows.row_values import row_value
from bot.formatting import format_date
from bot.i18n import translate
from bot.messages import Block, Button, Buttons, Card, Heading, Text
from bot.organisation import Team

MAX_TEAMS_LISTED = 20  # a city's digest stays one readable card under Slack's 3,000 characters a section
MAX_OPEN_BUTTONS = 5  # the most overdue teams get a button; the rest are opened with the follow-up command


@dataclass(frozen=True)
class OverdueTeam:
    """A team whose follow-up is past its limit: since when, how long, and who leads it."""

    team: Team
    due: date
    days: int
    supervisors: tuple[str, ...]


def digest_card(overdue: Sequence[OverdueTeam], language: str) -> Card:
    """The digest of late follow-ups for one wellbeing officer, in their language."""
    ordered = sorted(overdue, key=lambda o: (-o.days, o.team.name))
    heading = translate(language, "followup.digest_heading", count=len(ordered))
    lines = [translate(language, "followup.digest_intro")]
    lines += [_line(o, language) for o in ordered[:MAX_TEAMS_LISTED]]
    if len(ordered) > MAX_TEAMS_LISTED:
        lines.append(translate(language, "followup.digest_more", count=len(ordered) - MAX_TEAMS_LISTED))
    blocks: list[Block] = [Heading(shorten(heading, MAX_HEADING)), Text(shorten("\n".join(lines), MAX_TEXT))]
    buttons = tuple(
        Button(OPEN, shorten(o.team.name, 75), row_value("team", o.team.id)) for o in ordered[:MAX_OPEN_BUTTONS]
    )
    if buttons:
        blocks.append(Text(translate(language, "followup.digest_open")))
        blocks.append(Buttons(buttons))
    return Card(kind="followup_digest", fallback_text=shorten(heading, 300), blocks=tuple(blocks))


def _line(overdue: OverdueTeam, language: str) -> str:
    names = ", ".join(overdue.supervisors) or translate(language, "followup.escalation_no_supervisor")
    return translate(
        language,
        "followup.digest_line",
        team=overdue.team.name,
        date=format_date(overdue.due, language),
        days=days_text(overdue.days, language),
        supervisors=names,
    )
