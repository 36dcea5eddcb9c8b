"""Small helpers for hand-written SVG: escaped text and attributes, the colour palette and its contrast."""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Mapping
from xml.sax.saxutils import escape, quoteattr

# Characters XML 1.0 does not allow at all; a name pasted from elsewhere must not make the page unreadable.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

WHITE = "#ffffff"
TEXT = "#1a1a1a"  # 17:1 on white
MUTED_TEXT = "#595959"  # 7:1 on white
AXIS = "#6b6b6b"  # 5.3:1: axes carry meaning (WCAG 1.4.11 asks 3:1 of graphical objects)
DECOR = "#d9d9d9"  # gridlines and sector fills only; they carry nothing a viewer needs
DECOR_FILL = "#f2f2f2"
TODAY = "#a4161a"  # 7:1 on white
# Every series colour reaches 4.5:1 against white, so it can colour text and thin lines alike (WCAG 1.4.3 AA).
PALETTE = (
    "#1f4e79",
    "#a0410d",
    "#2d6a2f",
    "#6b2c91",
    "#00607a",
    "#9b1c31",
    "#5c5a00",
    "#444444",
)
# Colour never carries meaning alone: each series also has its own marker shape and a text label.
SHAPES = ("circle", "square", "triangle", "diamond", "triangle-down", "plus", "cross", "star")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def text(value: object) -> str:
    """Text content, escaped and stripped of characters XML cannot carry."""
    return escape(_ILLEGAL_XML.sub("", str(value)))


def attr(value: object) -> str:
    """An attribute value with its quotes, escaped the same way."""
    return quoteattr(_ILLEGAL_XML.sub("", str(value)))


def number(value: float) -> str:
    """A coordinate with two decimals at most, so the SVG stays small and stable between runs."""
    rounded = round(value, 2)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.2f}".rstrip("0")


def element(tag: str, attributes: Mapping[str, object] | None = None, content: str = "") -> str:
    """One element; `content` must already be escaped SVG (use text() for words)."""
    rendered = "".join(f" {name}={attr(value)}" for name, value in (attributes or {}).items() if value is not None)
    return f"<{tag}{rendered}>{content}</{tag}>" if content else f"<{tag}{rendered}/>"


def titled(tag: str, attributes: Mapping[str, object], title: str, content: str = "") -> str:
    """An element with a <title> child (the tooltip and what a screen reader says for it); none for an empty title."""
    head = element("title", None, text(title)) if title else ""
    return element(tag, attributes, head + content)


def document(width: float, height: float, label: str, body: str, *, css_class: str) -> str:
    """The root <svg>: an image with a name for assistive technology, then the body."""
    head = element("title", None, text(label))
    attributes = {
        "xmlns": "http://www.w3.org/2000/svg",
        "width": number(width),
        "height": number(height),
        "viewBox": f"0 0 {number(width)} {number(height)}",
        "role": "img",
        "aria-label": label,
        "class": css_class,
        "font-family": FONT,
    }
    return element("svg", attributes, head + element("rect", {"width": "100%", "height": "100%", "fill": WHITE}) + body)


def wrapped(x: float, y: float, words: str, width_chars: int, attributes: Mapping[str, object]) -> tuple[str, int]:
    """Text broken into lines of about `width_chars` characters (SVG does not wrap); returns it and its line count."""
    lines = textwrap.wrap(words, width_chars) or [""]
    spans = "".join(
        element("tspan", {"x": number(x), "dy": "0" if index == 0 else "1.25em"}, text(line))
        for index, line in enumerate(lines)
    )
    return element("text", {**attributes, "x": number(x), "y": number(y)}, spans), len(lines)


def marker(shape: str, x: float, y: float, size: float, colour: str, title: str, css_class: str = "point") -> str:
    """A point drawn as a shape, filled with the colour, with its own title."""
    s = size
    common: dict[str, object] = {"class": css_class, "fill": colour, "stroke": colour}
    if shape == "circle":
        return titled("circle", {**common, "cx": number(x), "cy": number(y), "r": number(s)}, title)
    if shape == "square":
        box = {"x": number(x - s), "y": number(y - s), "width": number(2 * s), "height": number(2 * s)}
        return titled("rect", {**common, **box}, title)
    offsets = _SHAPE_POINTS.get(shape, _SHAPE_POINTS["diamond"])
    points = " ".join(f"{number(x + dx * s)},{number(y + dy * s)}" for dx, dy in offsets)
    return titled("polygon", {**common, "points": points}, title)


def _outline(points: str) -> tuple[tuple[float, float], ...]:
    """A polygon's corners from "x,y x,y ..." in units of the marker size."""
    pairs = (point.split(",") for point in points.split())
    return tuple((float(x), float(y)) for x, y in pairs)


_SHAPE_POINTS: dict[str, tuple[tuple[float, float], ...]] = {
    "triangle": ((0, -1.2), (1.1, 0.9), (-1.1, 0.9)),
    "triangle-down": ((0, 1.2), (1.1, -0.9), (-1.1, -0.9)),
    "diamond": ((0, -1.3), (1.3, 0), (0, 1.3), (-1.3, 0)),
    "plus": _outline(
        ".35,-1.1 .35,-.35 1.1,-.35 1.1,.35 .35,.35 .35,1.1 -.35,1.1 -.35,.35 -1.1,.35 -1.1,-.35 -.35,-.35 -.35,-1.1"
    ),
    "cross": _outline("-1,-.6 -.6,-1 0,-.4 .6,-1 1,-.6 .4,0 1,.6 .6,1 0,.4 -.6,1 -1,.6 -.4,0"),
    "star": tuple(
        (
            (1.3 if i % 2 == 0 else 0.55) * math.sin(math.pi * i / 5),
            -(1.3 if i % 2 == 0 else 0.55) * math.cos(math.pi * i / 5),
        )
        for i in range(10)
    ),
}


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours (1..21)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
