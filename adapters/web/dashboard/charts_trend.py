"""The pulse trend as a line chart: each dimension's index round by round, risk limits dashed, hidden rounds as gaps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from adapters.web.dashboard.models import DimensionSeries
from adapters.web.svg import (
    AXIS,
    DECOR,
    MUTED_TEXT,
    PALETTE,
    SHAPES,
    TEXT,
    document,
    element,
    marker,
    number,
    text,
    titled,
    wrapped,
)
from bot.dimensions import Dimension
from bot.formatting import format_date, format_percent
from bot.i18n import translate

WIDTH = 1040.0
HEIGHT = 400.0
LEFT, RIGHT, TOP, BOTTOM = 64.0, 640.0, 24.0, 300.0
PAD = 24.0  # keeps the first and last round off the axes
LEGEND_X = 770.0
LEGEND_CHARS = 42  # about what fits between the legend's left edge and the right edge at font-size 11
TICKS = (0, 20, 40, 60, 80, 100)


def value_y(value: float) -> float:
    """The y of an index (0..100 %) on the chart."""
    return BOTTOM - (BOTTOM - TOP) * value / 100.0


def _style(dimension: Dimension) -> tuple[str, str]:
    """A dimension keeps its colour and marker shape on every team's chart."""
    index = list(Dimension).index(dimension)
    return PALETTE[index % len(PALETTE)], SHAPES[index % len(SHAPES)]


def trend_chart(series: Sequence[DimensionSeries], risk_limits: Mapping[Dimension, float], language: str) -> str:
    """Index per dimension over the rounds; a round hidden under the anonymity threshold leaves a gap in its line."""
    label = translate(language, "dashboard.trend.label")
    days = sorted({point.closes_on for s in series for point in s.points})
    if not days:
        empty = element(
            "text",
            {"x": number(WIDTH / 2), "y": number(HEIGHT / 2), "text-anchor": "middle", "font-size": "14", "fill": TEXT},
            text(translate(language, "dashboard.trend.empty")),
        )
        return document(WIDTH, HEIGHT / 2 + 40, label, empty, css_class="chart trend")
    x_of = _x_positions(days)
    parts = [_axes(days, x_of, language), _risk_limits(series, risk_limits, language)]
    parts += [_line(s, x_of, language) for s in series]
    hidden = [point for s in series for point in s.points if point.value is None]
    if len(hidden) == sum(len(s.points) for s in series):
        parts.append(_all_hidden_note(language, protected=all(point.protected for point in hidden)))
    parts.append(_legend(series, language))
    return document(WIDTH, HEIGHT, label, "".join(parts), css_class="chart trend")


def _x_positions(days: Sequence[date]) -> dict[date, float]:
    if len(days) == 1:
        return {days[0]: (LEFT + RIGHT) / 2}
    span = (RIGHT - LEFT - 2 * PAD) / (len(days) - 1)
    return {day: LEFT + PAD + index * span for index, day in enumerate(days)}


def _axes(days: Sequence[date], x_of: Mapping[date, float], language: str) -> str:
    parts = []
    for tick in TICKS:
        y = value_y(tick)
        grid = {"x1": number(LEFT), "y1": number(y), "x2": number(RIGHT), "y2": number(y), "stroke": DECOR}
        parts.append(element("line", {"class": "grid decor", **grid}))
        parts.append(
            element(
                "text",
                {
                    "class": "y-tick",
                    "data-value": tick,
                    "x": number(LEFT - 8),
                    "y": number(y + 4),
                    "text-anchor": "end",
                    "font-size": "11",
                    "fill": MUTED_TEXT,
                },
                text(format_percent(tick, language)),
            )
        )
    frame = f"M{number(LEFT)},{number(TOP)} V{number(BOTTOM)} H{number(RIGHT)}"
    parts.append(element("path", {"class": "axis", "d": frame, "fill": "none", "stroke": AXIS}))
    for day in days:
        x = x_of[day]
        parts.append(
            element(
                "text",
                {
                    "class": "x-tick",
                    "x": number(x),
                    "y": number(BOTTOM + 16),
                    "text-anchor": "end",
                    "font-size": "11",
                    "fill": MUTED_TEXT,
                    "transform": f"rotate(-35 {number(x)} {number(BOTTOM + 16)})",
                },
                text(format_date(day, language)),
            )
        )
    return element("g", {"class": "axes"}, "".join(parts))


def _risk_limits(series: Sequence[DimensionSeries], risk_limits: Mapping[Dimension, float], language: str) -> str:
    parts = []
    for s in series:
        limit = risk_limits.get(s.dimension)
        if limit is None:
            continue
        colour, _ = _style(s.dimension)
        y = value_y(limit)
        words = translate(
            language, "dashboard.trend.risk_limit", dimension=s.name, limit=format_percent(limit, language)
        )
        line = {
            "class": "risk-limit",
            "data-dimension": s.dimension.value,
            "x1": number(LEFT),
            "y1": number(y),
            "x2": number(RIGHT),
            "y2": number(y),
            "stroke": colour,
            "stroke-width": "1.5",
            "stroke-dasharray": "6 4",
        }
        parts.append(titled("line", line, words))
        short = translate(
            language, "dashboard.trend.risk_limit_short", code=s.dimension.value, limit=format_percent(limit, language)
        )
        parts.append(
            element(
                "text",
                {"x": number(RIGHT + 6), "y": number(y + 4), "font-size": "11", "fill": colour},
                text(short),
            )
        )
    return element("g", {"class": "risk-limits"}, "".join(parts)) if parts else ""


def _line(s: DimensionSeries, x_of: Mapping[date, float], language: str) -> str:
    colour, shape = _style(s.dimension)
    segments: list[list[tuple[float, float]]] = [[]]
    points = []
    for point in s.points:
        if point.value is None:  # hidden: the line breaks here instead of guessing across the round
            if segments[-1]:
                segments.append([])
            continue
        x, y = x_of[point.closes_on], value_y(point.value)
        segments[-1].append((x, y))
        words = translate(
            language,
            "dashboard.trend.point",
            dimension=s.name,
            date=format_date(point.closes_on, language),
            index=format_percent(point.value, language),
        )
        points.append(marker(shape, x, y, 4.5, colour, words))
    drawn = [seg for seg in segments if len(seg) > 1]
    path = " ".join("M" + " L".join(f"{number(x)},{number(y)}" for x, y in seg) for seg in drawn)
    line = (
        element(
            "path",
            {"class": "series-line", "d": path, "fill": "none", "stroke": colour, "stroke-width": "2.5"},
        )
        if path
        else ""
    )
    hidden = sum(1 for p in s.points if p.value is None)
    title = (
        s.name if not hidden else translate(language, "dashboard.trend.series_hidden", dimension=s.name, count=hidden)
    )
    return titled("g", {"class": "series", "data-dimension": s.dimension.value}, title, line + "".join(points))


def _legend(series: Sequence[DimensionSeries], language: str) -> str:
    parts = []
    y = TOP + 8
    for s in series:
        colour, shape = _style(s.dimension)
        parts.append(marker(shape, LEGEND_X + 8, y, 5, colour, "", "legend-mark"))
        parts.append(
            element(
                "text",
                {"x": number(LEGEND_X + 22), "y": number(y + 4), "font-size": "12", "fill": colour},
                text(s.name),
            )
        )
        y += 20
    if any(point.value is None for s in series for point in s.points):
        note, _ = wrapped(
            LEGEND_X,
            y + 10,
            translate(language, "dashboard.trend.gap_note"),
            LEGEND_CHARS,
            {"class": "gap-note", "font-size": "11", "fill": MUTED_TEXT},
        )
        parts.append(note)
    return element("g", {"class": "legend"}, "".join(parts))


def _all_hidden_note(language: str, protected: bool = False) -> str:
    """Said in the middle of the plot when every round is hidden, so an empty chart is not read as missing data."""
    key = "dashboard.trend.all_protected" if protected else "dashboard.trend.all_hidden"
    note, _ = wrapped(
        (LEFT + RIGHT) / 2,
        (TOP + BOTTOM) / 2,
        translate(language, key),
        60,
        {"class": "all-hidden", "font-size": "13", "fill": TEXT, "text-anchor": "middle"},
    )
    return note
