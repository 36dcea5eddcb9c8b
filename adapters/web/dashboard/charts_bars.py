"""A bar chart for counts or rates (successes per month, response rates); a hidden value says so instead of a bar."""

from __future__ import annotations

import math
from collections.abc import Sequence

from adapters.web.svg import AXIS, DECOR, MUTED_TEXT, PALETTE, TEXT, document, element, number, text, titled
from bot.formatting import format_percent
from bot.i18n import translate

WIDTH = 720.0
HEIGHT = 300.0
LEFT, RIGHT, TOP, BOTTOM = 56.0, 704.0, 36.0, 226.0
BAR_SHARE = 0.62  # of each band; the rest is the gap between bars
BAR_MAX_WIDTH = 56.0
CHARACTER_WIDTH = 6.2  # about, at font-size 11: when labels would not fit side by side they are slanted


def nice_maximum(largest: float) -> tuple[float, float]:
    """The axis top and its tick step for counts: at least 1, in steps of 1, 2 or 5 times a power of ten."""
    if largest <= 5:
        return max(1.0, math.ceil(largest)), 1.0
    raw = largest / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return math.ceil(largest / step) * step, step


def bar_y(value: float, top: float) -> float:
    """The y of a value's bar top on an axis from 0 to `top`."""
    return BOTTOM - (BOTTOM - TOP) * (value / top if top else 0)


def _value_text(value: float, percent: bool, language: str) -> str:
    if percent:
        return format_percent(value * 100, language)
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def bar_chart(
    values: Sequence[float | None],
    labels: Sequence[str],
    language: str,
    *,
    title: str | None = None,
    percent: bool = False,
    protected: Sequence[bool] = (),
) -> str:
    """Bars for `values` under `labels`; with `percent`, values are shares 0..1 on a 0–100 % axis.

    None is a value hidden under the anonymity threshold: it gets a word, never a bar or a number. Where
    `protected` is true it was hidden by complementary suppression instead, and its title says so.
    """
    if len(values) != len(labels):
        raise ValueError("a bar chart needs one label per value")
    heading = title or translate(language, "dashboard.bars.label")
    shown = [v for v in values if v is not None]
    top, step = (1.0, 0.2) if percent else nice_maximum(max(shown, default=0))
    parts = [
        element(
            "text",
            {
                "class": "chart-title",
                "x": number(LEFT),
                "y": "20",
                "font-size": "14",
                "font-weight": "bold",
                "fill": TEXT,
            },
            text(heading),
        ),
        _axis(top, step, percent, language),
    ]
    band = (RIGHT - LEFT) / max(len(values), 1)
    slanted = any(len(label) * CHARACTER_WIDTH > band - 4 for label in labels)
    hidden_word = translate(language, "dashboard.hidden")
    for index, (value, label) in enumerate(zip(values, labels, strict=True)):
        centre = LEFT + band * (index + 0.5)
        parts.append(_label(label, centre, slanted))
        if value is None:
            shielded = index < len(protected) and protected[index]
            key = "dashboard.bars.protected_title" if shielded else "dashboard.bars.hidden_title"
            words = translate(language, key, label=label)
            note = element(
                "text",
                {
                    "x": number(centre),
                    "y": number(BOTTOM - 6),
                    "text-anchor": "middle",
                    "font-size": "10",
                    "fill": MUTED_TEXT,
                },
                text(hidden_word),
            )
            parts.append(titled("g", {"class": "hidden-value", "data-label": label}, words, note))
            continue
        y = bar_y(value, top)
        bar_width = min(band * BAR_SHARE, BAR_MAX_WIDTH)
        shown_value = _value_text(value, percent, language)
        bar = element(
            "rect",
            {
                "class": "bar",
                "data-label": label,
                "data-value": shown_value,
                "x": number(centre - bar_width / 2),
                "y": number(y),
                "width": number(bar_width),
                "height": number(BOTTOM - y),
                "fill": PALETTE[0],
            },
        )
        figure = element(
            "text",
            {
                "class": "value",
                "x": number(centre),
                "y": number(y - 4),
                "text-anchor": "middle",
                "font-size": "11",
                "fill": TEXT,
            },
            text(shown_value),
        )
        parts.append(titled("g", {"class": "bar-group"}, f"{label}: {shown_value}", bar + figure))
    return document(WIDTH, HEIGHT, heading, "".join(parts), css_class="chart bars")


def _axis(top: float, step: float, percent: bool, language: str) -> str:
    parts = []
    ticks = round(top / step)
    for index in range(ticks + 1):
        value = step * index
        y = bar_y(value, top)
        grid = {"x1": number(LEFT), "y1": number(y), "x2": number(RIGHT), "y2": number(y), "stroke": DECOR}
        parts.append(element("line", {"class": "grid decor", **grid}))
        parts.append(
            element(
                "text",
                {
                    "class": "y-tick",
                    "x": number(LEFT - 8),
                    "y": number(y + 4),
                    "text-anchor": "end",
                    "font-size": "11",
                    "fill": MUTED_TEXT,
                },
                text(_value_text(value, percent, language)),
            )
        )
    frame = f"M{number(LEFT)},{number(TOP)} V{number(BOTTOM)} H{number(RIGHT)}"
    parts.append(element("path", {"class": "axis", "d": frame, "fill": "none", "stroke": AXIS}))
    return element("g", {"class": "axes"}, "".join(parts))


def _label(label: str, centre: float, slanted: bool) -> str:
    y = BOTTOM + 16
    attributes: dict[str, object] = {
        "class": "x-tick",
        "x": number(centre),
        "y": number(y),
        "text-anchor": "end" if slanted else "middle",
        "font-size": "11",
        "fill": MUTED_TEXT,
    }
    if slanted:
        attributes["transform"] = f"rotate(-35 {number(centre)} {number(y)})"
    return element("text", attributes, text(label))
