"""The workshop's cards: the supervisor's agenda a week before, and the reminder in the team's channel on the day."""

from __future__ import annotations

from collections.abc import Sequence

from bot.card_limits import MAX_HEADING, MAX_TEXT, shorten
from bot.conversation import COMMAND_ACTION
from bot.dimensions import Dimension, risk_limit
from bot.discussion_bank import questions_for, themes_for
from bot.flows.choose_cards import item_label
from bot.flows.choose_model import PickKind
from bot.flows.choose_tally import TallyItem, of_kind
from bot.flows.needs_cards import OPEN as NEEDS_OPEN
from bot.flows.workshop_agenda import AgendaView, SurveyShown
from bot.formatting import format_date, format_percent
from bot.i18n import translate
from bot.messages import Button, Buttons, Card, Heading, Text
from bot.plan import DevelopmentPlan
from bot.questions import dimension_name
from bot.survey_text import format_figure
from bot.workshop import OPENING_MINUTES, PRESENTATION_MINUTES, STATION_MINUTES, TOGETHER_MINUTES, outline

STARTERS_PER_TARGET = 2  # enough to open a station's conversation; the weekly starters bring the rest
TARGET_LIMIT = 200


def agenda_card(view: AgendaView, language: str) -> Card:
    """The supervisor's agenda: the day, the results, the tally, the outline and each station's starters."""
    team, plan = view.team, view.plan
    title = translate(language, "workshop.agenda.title", team=team.name)
    blocks: list[Heading | Text | Buttons] = [
        Heading(shorten(title, MAX_HEADING)),
        Text(translate(language, "workshop.agenda.intro", date=format_date(view.workshop_on, language))),
        Text(shorten(_results(view, language), MAX_TEXT)),
        Text(shorten(_tally(view, language), MAX_TEXT)),
        Text(shorten(outline_text(plan, language), MAX_TEXT)),
    ]
    starters = _starters(plan, language)
    if starters:
        blocks.append(Text(shorten(starters, MAX_TEXT)))
    blocks.append(
        Buttons(
            (
                Button(f"{COMMAND_ACTION}workshop", shorten(translate(language, "workshop.agenda.groups_button"), 75)),
                Button(f"{COMMAND_ACTION}plan", shorten(translate(language, "workshop.agenda.plan_button"), 75)),
                Button(NEEDS_OPEN, shorten(translate(language, "needs.button"), 75), f"{team.id}:"),
            )
        )
    )
    return Card("workshop.agenda", title, tuple(blocks))


def day_card(plan: DevelopmentPlan | None, language: str) -> Card:
    """The day's reminder for the team's channel: today's workshop and the targets its stations work on."""
    title = translate(language, "workshop.day.title")
    blocks: list[Heading | Text] = [Heading(shorten(title, MAX_HEADING))]
    targets = plan.targets if plan is not None else ()
    if targets:
        lines = "\n".join(f"{n}. {shorten(t.named(language), TARGET_LIMIT)}" for n, t in enumerate(targets, start=1))
        blocks.append(Text(shorten(translate(language, "workshop.day.targets", targets=lines), MAX_TEXT)))
    blocks.append(Text(translate(language, "workshop.day.invite")))
    return Card("workshop.day", "📌 " + title, tuple(blocks))


def outline_text(plan: DevelopmentPlan | None, language: str) -> str:
    """The model's outline for the team's targets: opening, rotating stations, presentations, together."""
    targets = plan.targets if plan is not None else ()
    shape = outline(len(targets))
    names = ", ".join(f"{n}. {shorten(t.named(language), 80)}" for n, t in enumerate(targets, start=1))
    lines = [
        translate(language, "workshop.outline.heading", total=duration(shape.total_minutes)),
        translate(language, "workshop.outline.opening", minutes=OPENING_MINUTES),
        translate(language, "workshop.outline.stations", count=shape.stations, minutes=STATION_MINUTES),
        translate(language, "workshop.outline.presentations", count=shape.stations, minutes=PRESENTATION_MINUTES),
        translate(language, "workshop.outline.together", minutes=TOGETHER_MINUTES),
    ]
    if names:
        lines.append(translate(language, "workshop.outline.station_targets", targets=names))
    return "\n".join(lines)


def duration(minutes: int) -> str:
    """2 h 15 min: the same in Finnish, Swedish and English."""
    hours, rest = divmod(minutes, 60)
    return " ".join(part for part in (f"{hours} h" if hours else "", f"{rest} min" if rest else "") if part)


def _results(view: AgendaView, language: str) -> str:
    if view.survey is not None:
        return _survey(view.survey, language)
    if view.pulse:
        lines = [translate(language, "workshop.results.pulse")]
        lines += [
            f"• {dimension_name(t.dimension, language)}: {format_percent(t.index, language)}"
            for t in view.pulse
            if t.index is not None
        ]
        return "\n".join(lines)
    return translate(language, "workshop.results.none")


def _survey(shown: SurveyShown, language: str) -> str:
    team, whole = shown.team, shown.organisation
    lines = [
        translate(
            language,
            "workshop.results.survey",
            year=shown.year,
            respondents=_or_dash(team.respondents),
            invited=_or_dash(team.invited),
            rate=format_percent(team.response_rate, language) if team.response_rate is not None else "–",
            qwl=_figure(team.qwl_index, language),
            org_qwl=_figure(whole.qwl_index, language),
        )
    ]
    below = set(team.below_risk_limit())
    for dimension in Dimension:
        if dimension not in team.dimensions:
            continue
        line = translate(
            language,
            "workshop.results.dimension",
            dimension=dimension_name(dimension, language),
            value=_figure(team.dimensions[dimension], language),
            org=_figure(whole.dimensions.get(dimension), language),
        )
        limit = risk_limit(dimension)
        if dimension in below and limit is not None:
            line += " " + translate(language, "workshop.results.below_limit", limit=format_figure(limit, language))
        lines.append(line)
    return "\n".join(lines)


def _figure(value: float | None, language: str) -> str:
    return "–" if value is None else format_figure(value, language)


def _or_dash(count: int | None) -> str:
    return "–" if count is None else str(count)


def _tally(view: AgendaView, language: str) -> str:
    if view.tally_hidden:
        return translate(language, "workshop.tally.hidden")
    if not view.tally:
        return translate(language, "workshop.tally.none")
    lines = [translate(language, "workshop.tally.heading")]
    for kind in PickKind:
        lines.append(
            translate(language, f"workshop.tally.{kind.value}", items=_items(of_kind(view.tally, kind), language))
        )
    return "\n".join(lines)


def _items(items: Sequence[TallyItem], language: str) -> str:
    return " · ".join(f"{shorten(item_label(item, language), 80)} ({item.count})" for item in items) or "–"


def _starters(plan: DevelopmentPlan | None, language: str) -> str:
    """Each target's first support questions, from the themes of its dimensions."""
    sections = []
    for number, target in enumerate(plan.targets if plan is not None else (), start=1):
        questions = questions_for(themes_for(target.dimensions))[:STARTERS_PER_TARGET]
        if questions:
            lines = [f"{number}. {shorten(target.named(language), 80)}", *(f"• {q.text(language)}" for q in questions)]
            sections.append("\n".join(lines))
    if not sections:
        return ""
    return translate(language, "workshop.starters.heading") + "\n" + "\n".join(sections)
