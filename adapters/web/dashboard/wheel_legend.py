"""The calendar wheel's legend as HTML beside the wheel: it reflows on a phone, where text inside the scaled image
would shrink below reading size."""

from __future__ import annotations

from adapters.web.dashboard.charts_wheel import calendar_wheel
from adapters.web.dashboard.models import CalendarView
from adapters.web.page_layout import esc, scroll_figure
from adapters.web.svg import AXIS, MUTED_TEXT, PALETTE, TODAY, WHITE, element, marker, text
from bot.calendar_text import weekday_date
from bot.formatting import format_date
from bot.i18n import translate

SWATCH_WIDTH = 26
SWATCH_HEIGHT = 20


def wheel_with_legend(view: CalendarView, language: str, label: str) -> str:
    """The wheel (scrolling sideways on a narrow screen) with its legend beside it, or under it on a phone."""
    return (
        f'<div class="wheel-with-legend">{scroll_figure(calendar_wheel(view, language), label)}'
        f"{wheel_legend(view, language)}</div>"
    )


def wheel_legend(view: CalendarView, language: str) -> str:
    """The steps by number (the day each goes out, its name and rule), the symbols and each team's colour."""
    parts = [f'<div class="wheel-legend"><h3>{esc(translate(language, "dashboard.wheel.legend_steps"))}</h3>']
    steps = "".join(
        f"<li>{_swatch(_step_disc(step.number))}<span><strong>{esc(weekday_date(step.on, language))}</strong> "
        f"{esc(step.title)}" + (f' <span class="note">({esc(step.rule)})</span>' if step.rule else "") + "</span></li>"
        for step in view.steps
    )
    symbols = []
    if view.pulse_rounds:
        tick = element("line", {"x1": "13", "y1": "3", "x2": "13", "y2": "17", "stroke": AXIS, "stroke-width": "3"})
        symbols.append(_row(tick, translate(language, "dashboard.wheel.legend_pulse")))
    needle = element("line", {"x1": "2", "y1": "10", "x2": "24", "y2": "10", "stroke": TODAY, "stroke-width": "3"})
    symbols.append(_row(needle, translate(language, "dashboard.wheel.today", date=format_date(view.today, language))))
    parts.append(f'<ul class="legend-list">{steps}{"".join(symbols)}</ul>')
    if view.teams:
        parts.append(f'<h3>{esc(translate(language, "dashboard.wheel.legend_teams"))}</h3><ul class="legend-list">')
        if any(team.overdue for team in view.teams):
            parts.append(_row(_line(MUTED_TEXT, dashed=True), translate(language, "dashboard.wheel.legend_overdue")))
        for index, team in enumerate(view.teams):
            state = translate(language, "dashboard.wheel.overdue_short") if team.overdue else ""
            colour = PALETTE[index % len(PALETTE)]
            parts.append(_row(_line(colour, dashed=team.overdue), f"{index + 1}. {team.name}{state}"))
        parts.append(
            _row(marker("square", 13, 10, 5, MUTED_TEXT, ""), translate(language, "dashboard.wheel.legend_plan"))
        )
        parts.append(
            _row(marker("circle", 13, 10, 5, MUTED_TEXT, ""), translate(language, "dashboard.wheel.legend_follow_up"))
        )
        parts.append("</ul>")
    parts.append("</div>")
    return "".join(parts)


def _row(symbol: str, words: str) -> str:
    return f"<li>{_swatch(symbol)}<span>{esc(words)}</span></li>"


def _swatch(symbol: str) -> str:
    # Decorative: the words beside it say everything the symbol shows.
    return (
        f'<svg width="{SWATCH_WIDTH}" height="{SWATCH_HEIGHT}" viewBox="0 0 {SWATCH_WIDTH} {SWATCH_HEIGHT}" '
        f'aria-hidden="true" focusable="false">{symbol}</svg>'
    )


def _step_disc(number: int) -> str:
    disc = element("circle", {"cx": "13", "cy": "10", "r": "9", "fill": PALETTE[0]})
    digits = element(
        "text", {"x": "13", "y": "14", "text-anchor": "middle", "font-size": "11", "fill": WHITE}, text(number)
    )
    return disc + digits


def _line(colour: str, *, dashed: bool) -> str:
    attributes = {"x1": "2", "y1": "10", "x2": "24", "y2": "10", "stroke": colour, "stroke-width": "5"}
    return element("line", {**attributes, "stroke-dasharray": "5 3" if dashed else None})
