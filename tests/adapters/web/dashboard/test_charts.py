"""The SVG charts as a viewer sees them: parsed with xml.etree, checked for labels, marks, positions and contrast."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from adapters.web.dashboard.charts_bars import bar_chart
from adapters.web.dashboard.charts_trend import trend_chart
from adapters.web.dashboard.charts_wheel import calendar_wheel
from adapters.web.dashboard.data import calendar_view, team_view
from adapters.web.dashboard.models import (
    CalendarView,
    DimensionSeries,
    ProgressMark,
    SeriesPoint,
    StepMark,
    TeamProgress,
)
from adapters.web.dashboard.wheel_legend import wheel_legend
from adapters.web.svg import WHITE, contrast_ratio
from bot.calendar import StepKind
from bot.dimensions import RISK_LIMITS, Dimension
from bot.formatting import format_date
from bot.i18n import translate
from tests.adapters.web.conftest import START, Demo
from tests.adapters.web.dashboard.page_helpers import visible_text

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def title_of(element: ET.Element) -> str:
    found = element.find("svg:title", NS)
    return "" if found is None or found.text is None else found.text


def words(element: ET.Element) -> str:
    return "".join(element.itertext())


def assert_accessible(root: ET.Element) -> None:
    assert root.get("role") == "img" and root.get("aria-label")
    assert title_of(root) == root.get("aria-label")


def assert_readable_contrast(root: ET.Element) -> None:
    """Text reaches 4.5:1 against white; every mark that carries meaning 3:1 (WCAG 2.1 AA, 1.4.3 and 1.4.11)."""
    for element in root.iter():
        decorative = "decor" in (element.get("class") or "").split()
        for attribute in ("fill", "stroke"):
            colour = element.get(attribute)
            if not colour or not colour.startswith("#") or colour == WHITE or decorative:
                continue
            needed = 4.5 if element.tag == f"{SVG}text" else 3.0
            assert contrast_ratio(colour, WHITE) >= needed, (element.tag, attribute, colour)


# --- The calendar wheel -------------------------------------------------------------------------------------


def wheel_view() -> CalendarView:
    return CalendarView(
        language="fi",
        year=2026,
        today=date(2026, 11, 23),
        steps=(
            StepMark(1, "survey", StepKind.SURVEY, "Työhyvinvointikysely", date(2026, 1, 15)),
            StepMark(2, "plan", StepKind.PLAN, "Kehittämissuunnitelman kirjaaminen", date(2026, 3, 12)),
            StepMark(3, "evaluation", StepKind.EVALUATION, "Arviointi", date(2026, 12, 3)),
        ),
        pulse_rounds=(date(2026, 5, 25),),
        teams=(
            TeamProgress(
                7,
                "Kotihoito",
                (
                    ProgressMark(StepKind.PLAN, date(2026, 3, 16), "Suunnitelma sovittu 16.3.2026"),
                    ProgressMark(StepKind.FOLLOW_UP, date(2026, 9, 21), "Seuranta pidetty 21.9.2026"),
                ),
                frozenset({StepKind.PLAN, StepKind.FOLLOW_UP}),
                date(2026, 12, 21),
                False,
            ),
            TeamProgress(8, "Ruoka <&> palvelu", (), frozenset(), date(2026, 10, 20), True),
        ),
    )


def angle_from_top(x1: float, y1: float, x2: float, y2: float) -> float:
    """Degrees clockwise from 12 o'clock of the direction from (x1, y1) to (x2, y2)."""
    return math.degrees(math.atan2(x2 - x1, -(y2 - y1))) % 360


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_wheel_has_twelve_month_labels_in_the_language(language: str) -> None:
    root = parse(calendar_wheel(wheel_view(), language))
    labels = [words(e) for e in by_class(root, "month-label")]
    assert labels == [translate(language, f"dashboard.month.{m}") for m in range(1, 13)]
    assert len(set(labels)) == 12
    assert_accessible(root)


def test_each_step_is_a_marker_with_its_number_title_and_date() -> None:
    root = parse(calendar_wheel(wheel_view(), "fi"))
    steps = by_class(root, "step")
    assert [title_of(s) for s in steps] == [
        "1. Työhyvinvointikysely – 15.1.2026",
        "2. Kehittämissuunnitelman kirjaaminen – 12.3.2026",
        "3. Arviointi – 3.12.2026",
    ]
    assert [words(s).removeprefix(title_of(s)) for s in steps] == ["1", "2", "3"]  # the number on the marker
    legend = visible_text(wheel_legend(wheel_view(), "fi"))
    assert "to 15.1.2026 Työhyvinvointikysely" in legend and "to 3.12.2026 Arviointi" in legend


def test_markers_sit_at_their_dates_clockwise_from_january_at_the_top() -> None:
    root = parse(calendar_wheel(wheel_view(), "fi"))
    needle = by_class(root, "today")[0]
    cx, cy = float(needle.get("x1", "")), float(needle.get("y1", ""))
    for step, day in zip(
        by_class(root, "step"), (date(2026, 1, 15), date(2026, 3, 12), date(2026, 12, 3)), strict=True
    ):
        disc = step.find("svg:circle", NS)
        assert disc is not None
        expected = 360 * (day.timetuple().tm_yday - 0.5) / 365
        assert angle_from_top(cx, cy, float(disc.get("cx", "")), float(disc.get("cy", ""))) == pytest.approx(
            expected, abs=0.1
        )


def test_the_today_needle_points_at_the_date() -> None:
    for today in (date(2026, 1, 1), date(2026, 6, 30), date(2026, 11, 23), date(2028, 12, 31)):
        view = wheel_view()
        view = CalendarView(view.language, today.year, today, view.steps, view.pulse_rounds, view.teams)
        needle = by_class(parse(calendar_wheel(view, "en")), "today")[0]
        coordinates = [float(needle.get(name, "")) for name in ("x1", "y1", "x2", "y2")]
        days_in_year = 366 if today.year % 4 == 0 else 365
        expected = 360 * (today.timetuple().tm_yday - 0.5) / days_in_year
        assert angle_from_top(*coordinates) == pytest.approx(expected, abs=0.05)
        assert title_of(needle) == f"Today {format_date(today, 'en')}"
    # 23 November: ten and a half months into the year, so the needle points up and to the left.
    needle = by_class(parse(calendar_wheel(wheel_view(), "en")), "today")[0]
    x1, y1, x2, y2 = (float(needle.get(name, "")) for name in ("x1", "y1", "x2", "y2"))
    assert x2 < x1 and y2 < y1 and abs(x2 - x1) > abs(y2 - y1) / 2


def test_each_team_has_a_ring_with_its_progress_and_an_overdue_team_is_dashed_not_only_coloured() -> None:
    root = parse(calendar_wheel(wheel_view(), "fi"))
    teams = by_class(root, "team")
    assert [t.get("data-team") for t in teams] == ["7", "8"]
    koti, ruoka = teams
    assert title_of(koti) == (
        "Kotihoito: Suunnitelma sovittu 16.3.2026; Seuranta pidetty 21.9.2026; seuraava seuranta viimeistään 21.12.2026"
    )
    assert [title_of(m) for m in by_class(koti, "mark")] == [
        "Kotihoito: Suunnitelma sovittu 16.3.2026",
        "Kotihoito: Seuranta pidetty 21.9.2026",
    ]
    progress = by_class(koti, "progress")
    assert len(progress) == 1 and progress[0].get("stroke-dasharray") is None
    assert title_of(ruoka) == "Ruoka <&> palvelu: seuranta myöhässä (määräaika 20.10.2026)"  # escaped, read back
    assert by_class(ruoka, "progress") == []  # nothing done this year: no arc
    legend = visible_text(wheel_legend(wheel_view(), "fi"))
    assert "2. Ruoka <&> palvelu – seuranta myöhässä" in legend and "Katkoviiva: seuranta myöhässä" in legend


def test_the_wheel_of_the_demo_is_readable(demo: Demo) -> None:
    root = parse(calendar_wheel(calendar_view(demo.db, START, "sv"), "sv"))
    assert len(by_class(root, "step")) == 9 and len(by_class(root, "pulse-round")) == 3
    assert title_of(by_class(root, "pulse-round")[0]) == "Pulsenkäten stängdes 25.5.2026"
    assert len(by_class(root, "team")) == 3
    assert_readable_contrast(root)
    assert_accessible(root)


# --- The trend chart ----------------------------------------------------------------------------------------


def series(dimension: Dimension, *values: float | None) -> DimensionSeries:
    days = (date(2026, 3, 2), date(2026, 4, 6), date(2026, 5, 4), date(2026, 6, 1))
    points = tuple(SeriesPoint(n, day, value) for n, (day, value) in enumerate(zip(days, values, strict=False), 1))
    return DimensionSeries(dimension, dimension.name.title(), RISK_LIMITS.get(dimension), points)


def y_scale(root: ET.Element) -> tuple[float, float]:
    """The y of 0 % and of 100 % as the axis labels show them."""
    ticks = {int(e.get("data-value", "")): float(e.get("y", "")) - 4 for e in by_class(root, "y-tick")}
    return ticks[0], ticks[100]


def marker_y(element: ET.Element) -> float:
    """The vertical centre of a point's marker, whatever its shape."""
    if element.tag == f"{SVG}circle":
        return float(element.get("cy", ""))
    if element.tag == f"{SVG}rect":
        return float(element.get("y", "")) + float(element.get("height", "")) / 2
    corners = [float(pair.split(",")[1]) for pair in element.get("points", "").split()]
    return (min(corners) + max(corners)) / 2


def test_risk_limits_are_dashed_lines_at_their_height_on_the_axis() -> None:
    chart = trend_chart(
        [series(Dimension.SAFETY, 70, 75, 82, 85), series(Dimension.GOALS, 60, 65, 72, 71)], RISK_LIMITS, "en"
    )
    root = parse(chart)
    zero, hundred = y_scale(root)
    lines = {e.get("data-dimension"): e for e in by_class(root, "risk-limit")}
    assert set(lines) == {"FE", "PL"}  # YI has a limit but is not on this chart
    for code, limit in (("FE", 80.0), ("PL", 70.0)):
        line = lines[code]
        assert line.get("stroke-dasharray")
        assert (
            float(line.get("y1", ""))
            == float(line.get("y2", ""))
            == pytest.approx(zero + (hundred - zero) * limit / 100, abs=0.01)
        )
    assert title_of(lines["FE"]) == "Safety: risk limit 80%"
    assert "FE risk limit 80%" in words(root)
    assert_readable_contrast(root)
    assert_accessible(root)


def test_each_shown_point_is_a_marker_at_its_value_and_a_hidden_one_leaves_a_gap() -> None:
    root = parse(trend_chart([series(Dimension.BELONGING, 60, None, 70, 72)], RISK_LIMITS, "fi"))
    zero, hundred = y_scale(root)
    line = by_class(root, "series")[0]
    points = by_class(line, "point")
    assert [title_of(p) for p in points] == [
        "Belonging 2.3.2026: 60 %",
        "Belonging 4.5.2026: 70 %",
        "Belonging 1.6.2026: 72 %",
    ]
    assert [marker_y(p) for p in points] == [
        pytest.approx(zero + (hundred - zero) * v / 100, abs=0.01) for v in (60, 70, 72)
    ]
    path = by_class(line, "series-line")[0].get("d", "")
    # 60 stands alone before the gap, so only 70 -> 72 is drawn: the line never bridges the hidden round.
    segments = [s for s in re.split(r"(?=M)", path) if s]
    assert len(segments) == 1
    ys = [float(y) for y in re.findall(r"[\d.]+,([\d.]+)", segments[0])]
    assert ys == [pytest.approx(zero + (hundred - zero) * v / 100, abs=0.01) for v in (70, 72)]
    assert title_of(line) == "Belonging (piilotettuja kyselykertoja: 1)"
    assert "Katko viivassa" in words(by_class(root, "gap-note")[0])


def test_two_hidden_rounds_apart_split_a_line_into_pieces() -> None:
    root = parse(trend_chart([series(Dimension.SAFETY, 60, 62, None, 70)], {}, "en"))
    path = by_class(root, "series-line")[0].get("d", "")
    assert path.count("M") == 1 and path.count("L") == 1  # 60 -> 62; 70 alone after the gap
    assert len(by_class(root, "point")) == 3 and by_class(root, "risk-limit") == []
    chart = trend_chart([series(Dimension.SAFETY, 60, 62, 64, 70)], {}, "en")
    assert by_class(parse(chart), "series-line")[0].get("d", "").count("L") == 3


def test_a_team_under_the_threshold_gets_a_chart_without_a_single_figure(demo: Demo) -> None:
    page = team_view(demo.team("ruokapalvelu").id, demo.db, START, "en")
    root = parse(trend_chart(page.trend, page.risk_limits, "en"))
    assert by_class(root, "point") == [] and by_class(root, "series-line") == []
    assert "Every result is hidden" in words(by_class(root, "all-hidden")[0])
    readable = [e for e in root.iter() if e.tag in (f"{SVG}text", f"{SVG}title") and e.get("class") != "y-tick"]
    shown = re.findall(r"\d+%", " ".join(words(e) for e in readable))
    assert sorted(set(shown)) == ["75%", "80%"]  # only the risk limits: no index of the team anywhere


def test_a_chart_without_rounds_says_so() -> None:
    root = parse(trend_chart([], RISK_LIMITS, "sv"))
    assert "Inga pulsresultat ännu." in words(root)
    assert_accessible(root)


# --- Bar charts ---------------------------------------------------------------------------------------------


def test_bars_are_as_tall_as_their_values_and_labelled_in_words() -> None:
    labels = [f"{m} 2026" for m in ("tammi", "helmi", "maalis", "huhti")]
    root = parse(bar_chart([1, 4, 0, 2], labels, "fi", title="Onnistumiset kuukausittain"))
    bars = by_class(root, "bar")
    assert [b.get("data-label") for b in bars] == labels
    heights = [float(b.get("height", "")) for b in bars]
    assert (
        heights[2] == 0 and heights[1] == pytest.approx(4 * heights[0]) and heights[3] == pytest.approx(2 * heights[0])
    )
    assert [words(e) for e in by_class(root, "value")] == ["1", "4", "0", "2"]
    assert [words(e) for e in by_class(root, "x-tick")] == labels
    assert title_of(root) == root.get("aria-label") == "Onnistumiset kuukausittain"
    assert [title_of(g) for g in by_class(root, "bar-group")][1] == "helmi 2026: 4"
    assert_readable_contrast(root)


def test_a_hidden_rate_is_a_word_never_a_bar() -> None:
    root = parse(bar_chart([0.71, None, 0.5], ["25.5.", "17.8.", "2.11."], "en", percent=True))
    assert [b.get("data-label") for b in by_class(root, "bar")] == ["25.5.", "2.11."]
    hidden = by_class(root, "hidden-value")
    assert len(hidden) == 1 and words(hidden[0]).endswith("hidden") and hidden[0].get("data-label") == "17.8."
    assert [words(e) for e in by_class(root, "value")] == ["71%", "50%"]
    assert [words(e) for e in by_class(root, "y-tick")] == ["0%", "20%", "40%", "60%", "80%", "100%"]
    tall, half = (float(b.get("height", "")) for b in by_class(root, "bar"))
    assert tall / half == pytest.approx(0.71 / 0.5)


def test_a_bar_chart_needs_a_label_for_every_value() -> None:
    with pytest.raises(ValueError):
        bar_chart([1, 2], ["one"], "en")


def test_text_is_escaped_so_a_name_cannot_inject_markup() -> None:
    sneaky = '</text><script>alert("x")</script>&'
    svg = bar_chart([3], [sneaky], "en", title=sneaky)
    root = parse(svg)
    assert root.find(".//svg:script", NS) is None and "<script>" not in svg
    assert words(by_class(root, "x-tick")[0]) == sneaky


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [
        ("#000000", "#ffffff", 21.0),  # WCAG's extremes
        ("#ffffff", "#ffffff", 1.0),
        ("#767676", "#ffffff", 4.54),  # the lightest grey that passes AA for body text on white
        ("#777777", "#ffffff", 4.48),  # one step lighter: fails it
        ("#0000ff", "#ffffff", 8.59),
    ],
)
def test_the_contrast_ratio_matches_wcags_known_values(first: str, second: str, ratio: float) -> None:
    assert contrast_ratio(first, second) == pytest.approx(ratio, abs=0.01)
    assert contrast_ratio(second, first) == pytest.approx(ratio, abs=0.01)
