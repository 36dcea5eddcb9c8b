"""The annual calendar as a wheel (vuosikello): months round the rim, the year's steps, today's needle, team rings.

Its legend is HTML beside it (wheel_legend.py)."""

from __future__ import annotations

import math
from calendar import isleap
from datetime import date

from adapters.web.dashboard.models import CalendarView, TeamProgress
from adapters.web.svg import (
    AXIS,
    DECOR,
    DECOR_FILL,
    PALETTE,
    TEXT,
    TODAY,
    WHITE,
    document,
    element,
    marker,
    number,
    text,
    titled,
)
from bot.calendar import StepKind
from bot.formatting import format_date
from bot.i18n import translate

CENTRE = (385.0, 360.0)
RIM_OUTER = 290.0
RIM_INNER = 250.0
MONTH_LABEL_RADIUS = 304.0
STEP_RADII = (230.0, 210.0)  # a step that would overlap the previous one moves inwards
STEP_SIZE = 10.0
BAND_OUTER = 196.0  # the team rings live between these radii
BAND_INNER = 70.0
HUB_RADIUS = 62.0
WIDTH = 770.0  # the legend is HTML beside the wheel (wheel_legend.py), so it reflows on a phone
HEIGHT = 720.0
MARK_SHAPES = {StepKind.PLAN: "square", StepKind.FOLLOW_UP: "circle"}


def day_angle(day: date) -> float:
    """Where a day sits on the wheel: degrees clockwise from the top (1 January), at the middle of the day."""
    days = 366 if isleap(day.year) else 365
    return 360.0 * (day.timetuple().tm_yday - 0.5) / days


def _start_angle(day: date) -> float:
    days = 366 if isleap(day.year) else 365
    return 360.0 * (day.timetuple().tm_yday - 1) / days


def _point(angle: float, radius: float) -> tuple[float, float]:
    radians = math.radians(angle)
    return CENTRE[0] + radius * math.sin(radians), CENTRE[1] - radius * math.cos(radians)


def _arc(start: float, end: float, radius: float) -> str:
    x0, y0 = _point(start, radius)
    x1, y1 = _point(end, radius)
    large = 1 if end - start > 180 else 0
    return f"M{number(x0)},{number(y0)} A{number(radius)},{number(radius)} 0 {large} 1 {number(x1)},{number(y1)}"


def _sector(start: float, end: float) -> str:
    ox0, oy0 = _point(start, RIM_OUTER)
    ox1, oy1 = _point(end, RIM_OUTER)
    ix0, iy0 = _point(start, RIM_INNER)
    ix1, iy1 = _point(end, RIM_INNER)
    outer, inner = number(RIM_OUTER), number(RIM_INNER)
    return (
        f"M{number(ox0)},{number(oy0)} A{outer},{outer} 0 0 1 {number(ox1)},{number(oy1)} "
        f"L{number(ix1)},{number(iy1)} A{inner},{inner} 0 0 0 {number(ix0)},{number(iy0)} Z"
    )


def calendar_wheel(view: CalendarView, language: str) -> str:
    """The wheel as an SVG image; every mark has a title, and the legend says in words what colours show."""
    label = translate(language, "dashboard.wheel.label", year=view.year, today=format_date(view.today, language))
    parts = [_months(view.year, language), _pulse_rounds(view, language), _steps(view, language)]
    parts.append(_teams(view, language))
    parts.append(_needle(view, language))
    return document(WIDTH, HEIGHT, label, "".join(parts), css_class="chart calendar-wheel")


def _months(year: int, language: str) -> str:
    parts = []
    for month in range(1, 13):
        first = date(year, month, 1)
        following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        start = _start_angle(first)
        end = 360.0 if month == 12 else _start_angle(following)
        name = translate(language, f"dashboard.month.{month}")
        fill = DECOR_FILL if month % 2 else WHITE
        parts.append(
            titled("path", {"class": "month decor", "d": _sector(start, end), "fill": fill, "stroke": DECOR}, name)
        )
        middle = (start + end) / 2
        x, y = _point(middle, MONTH_LABEL_RADIUS)
        sine = math.sin(math.radians(middle))
        anchor = "start" if sine > 0.3 else "end" if sine < -0.3 else "middle"
        parts.append(
            element(
                "text",
                {
                    "class": "month-label",
                    "x": number(x),
                    "y": number(y + 4),
                    "text-anchor": anchor,
                    "font-size": "13",
                    "fill": TEXT,
                },
                text(name),
            )
        )
    return element("g", {"class": "months"}, "".join(parts))


def _pulse_rounds(view: CalendarView, language: str) -> str:
    ticks = []
    for day in view.pulse_rounds:
        angle = day_angle(day)
        x0, y0 = _point(angle, RIM_INNER)
        x1, y1 = _point(angle, RIM_INNER + 12)
        title = translate(language, "dashboard.wheel.pulse_round", date=format_date(day, language))
        line = {"x1": number(x0), "y1": number(y0), "x2": number(x1), "y2": number(y1)}
        ticks.append(titled("line", {"class": "pulse-round", **line, "stroke": AXIS, "stroke-width": "3"}, title))
    return element("g", {"class": "pulse-rounds"}, "".join(ticks)) if ticks else ""


def _steps(view: CalendarView, language: str) -> str:
    parts = []
    placed: list[tuple[float, float]] = []
    for step in view.steps:
        angle = day_angle(step.on)
        radius = next((r for r in STEP_RADII if _room(angle, r, placed)), STEP_RADII[-1])
        placed.append((angle, radius))
        x, y = _point(angle, radius)
        title = translate(
            language, "dashboard.wheel.step", number=step.number, step=step.title, date=format_date(step.on, language)
        )
        disc = element("circle", {"cx": number(x), "cy": number(y), "r": number(STEP_SIZE), "fill": PALETTE[0]})
        digits = element(
            "text",
            {"x": number(x), "y": number(y + 4), "text-anchor": "middle", "font-size": "11", "fill": WHITE},
            text(step.number),
        )
        parts.append(titled("g", {"class": "step", "data-step": step.key}, title, disc + digits))
    return element("g", {"class": "steps"}, "".join(parts))


def _room(angle: float, radius: float, placed: list[tuple[float, float]]) -> bool:
    """True when a step marker at this angle and radius keeps clear of the markers already placed there."""
    for other_angle, other_radius in placed:
        apart = abs(angle - other_angle) % 360
        if other_radius == radius and min(apart, 360 - apart) * math.pi * radius / 180 < 2 * STEP_SIZE + 2:
            return False
    return True


def _ring_step(count: int) -> float:
    return min(18.0, (BAND_OUTER - BAND_INNER) / max(count, 1))


def _teams(view: CalendarView, language: str) -> str:
    parts = []
    step = _ring_step(len(view.teams))
    for index, team in enumerate(view.teams):
        radius = BAND_OUTER - step * (index + 0.5)
        colour = PALETTE[index % len(PALETTE)]
        width = max(2.0, step * 0.55)
        title = _team_summary(team, language)
        ring = [
            element(
                "circle",
                {
                    "class": "ring decor",
                    "cx": number(CENTRE[0]),
                    "cy": number(CENTRE[1]),
                    "r": number(radius),
                    "fill": "none",
                    "stroke": DECOR,
                    "stroke-width": number(width),
                },
            )
        ]
        if team.last_done is not None:
            arc = {
                "class": "progress",
                "d": _arc(0.0, day_angle(team.last_done), radius),
                "fill": "none",
                "stroke": colour,
                "stroke-width": number(width),
                # Dashed when the follow-up is overdue: the pattern tells it, not the colour alone.
                "stroke-dasharray": "5 3" if team.overdue else None,
            }
            ring.append(element("path", arc))
        for mark in team.marks:
            x, y = _point(day_angle(mark.on), radius)
            shape = MARK_SHAPES.get(mark.kind, "diamond")
            ring.append(marker(shape, x, y, max(3.0, width * 0.8), colour, f"{team.name}: {mark.label}", "mark"))
        if step >= 10:
            ring.append(
                element(
                    "text",
                    {
                        "x": number(CENTRE[0] - 5),
                        "y": number(CENTRE[1] - radius + 4),
                        "text-anchor": "end",
                        "font-size": number(min(11.0, step * 0.75)),
                        "fill": TEXT,
                    },
                    text(index + 1),
                )
            )
        parts.append(titled("g", {"class": "team", "data-team": team.team_id}, title, "".join(ring)))
    return element("g", {"class": "teams"}, "".join(parts))


def _team_summary(team: TeamProgress, language: str) -> str:
    done = [mark.label for mark in team.marks]
    if team.next_follow_up_due is not None:
        key = "dashboard.wheel.overdue" if team.overdue else "dashboard.wheel.next_follow_up"
        done.append(translate(language, key, date=format_date(team.next_follow_up_due, language)))
    if not done:
        done.append(translate(language, "dashboard.wheel.nothing_yet"))
    return f"{team.name}: " + "; ".join(done)


def _needle(view: CalendarView, language: str) -> str:
    angle = day_angle(view.today)
    tip_x, tip_y = _point(angle, RIM_OUTER + 4)
    title = translate(language, "dashboard.wheel.today", date=format_date(view.today, language))
    line = {
        "class": "today",
        "x1": number(CENTRE[0]),
        "y1": number(CENTRE[1]),
        "x2": number(tip_x),
        "y2": number(tip_y),
        "stroke": TODAY,
        "stroke-width": "3",
        "stroke-linecap": "round",
    }
    hub = element(
        "circle",
        {"cx": number(CENTRE[0]), "cy": number(CENTRE[1]), "r": number(HUB_RADIUS), "fill": WHITE, "stroke": AXIS},
    )
    year = element(
        "text",
        {
            "x": number(CENTRE[0]),
            "y": number(CENTRE[1] - 4),
            "text-anchor": "middle",
            "font-size": "24",
            "font-weight": "bold",
            "fill": TEXT,
        },
        text(view.year),
    )
    today = element(
        "text",
        {
            "x": number(CENTRE[0]),
            "y": number(CENTRE[1] + 18),
            "text-anchor": "middle",
            "font-size": "12",
            "fill": TODAY,
        },
        text(title),
    )
    return titled("line", line, title) + hub + year + today
