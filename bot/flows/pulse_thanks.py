"""The thank-you after a pulse answer: the team's previous result, only when anonymity allows showing it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.dimensions import Dimension, risk_limit
from bot.formatting import format_date, format_percent
from bot.i18n import translate
from bot.messages import Card, Facts, Heading, Text
from bot.organisation import Team
from bot.questions import QUESTION_BANK, dimension_name

QUESTION_DIMENSIONS = {question.id: question.dimension for question in QUESTION_BANK}


@dataclass(frozen=True)
class PreviousResult:
    """What the thank-you may show of the team's last closed round: its indices, or nothing when hidden."""

    closes_on: date
    indices: dict[Dimension, float]  # empty when the group is hidden under the anonymity threshold


def thanks_card(
    language: str,
    team: Team,
    previous: PreviousResult | None,
    threshold: int,
    *,
    commented: bool,
) -> Card:
    """The card that takes the answer card's place once the answers are counted."""
    heading = translate(language, "pulse.thanks_heading")
    blocks: list[Heading | Text | Facts] = [Heading(heading)]
    thanks = translate(language, "pulse.thanks_text")
    if commented:
        thanks += " " + translate(language, "pulse.thanks_comment")
    blocks.append(Text(thanks))
    if previous is None:
        blocks.append(Text(translate(language, "pulse.previous_none", threshold=threshold)))
    elif not previous.indices:
        blocks.append(Text(translate(language, "pulse.previous_hidden", threshold=threshold)))
    else:
        title = translate(
            language, "pulse.previous_heading", team=team.name, date=format_date(previous.closes_on, language)
        )
        blocks.append(Text(title))
        blocks.append(Facts(tuple(_fact(d, v, language) for d, v in previous.indices.items())))
    return Card(kind="pulse_thanks", fallback_text=heading, blocks=tuple(blocks))


def _fact(dimension: Dimension, index: float, language: str) -> tuple[str, str]:
    shown = format_percent(index, language)
    limit = risk_limit(dimension)
    if limit is not None and index < limit:
        shown = translate(language, "pulse.below_risk_limit", index=shown, limit=format_percent(limit, language))
    return dimension_name(dimension, language), shown
