"""The dashboard in a real browser: sign in with a one-time link, the calendar wheel, a team's trend, the export."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from bot.i18n import translate
from storage.db import Database
from tests.browser.conftest import DemoServer, Shots, dashboard_link

LANGUAGE = "en"
TEAMS = ("Perusturva", "Kotihoito", "Ruokapalvelu")  # the demo organisation's teams
SHOWN_TEAM = "Kotihoito"  # big enough to pass the anonymity threshold, so its trend has lines


def t(key: str, **params: object) -> str:
    return translate(LANGUAGE, key, **params)


def new_link(db: Database, server: DemoServer) -> str:
    return dashboard_link(db, server, LANGUAGE)


def sign_in(page: Page, link: str) -> None:
    """Open the link and press its button: opening alone signs nobody in (a chat app's preview opens it too)."""
    page.goto(link)
    page.get_by_role("button", name=t("web.signin.button")).click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("web.org.title"))


def test_the_officer_signs_in_and_sees_the_calendar_wheel(
    page: Page, shots: Shots, demo_server: DemoServer, demo_database: Database
) -> None:
    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/signin$"))  # no session: the sign-in page, not the data
    shots.take("signed-out")

    sign_in(page, new_link(demo_database, demo_server))

    wheel = page.locator("svg.calendar-wheel")
    expect(wheel).to_have_count(1)
    expect(wheel).to_have_attribute("role", "img")
    months = [t(f"dashboard.month.{month}") for month in range(1, 13)]
    expect(wheel.locator(".month-label")).to_have_text(months)
    today = wheel.locator("line.today")
    expect(today).to_have_count(1)
    expect(today.locator("title")).to_have_text(re.compile("^" + re.escape(t("dashboard.wheel.today", date="@")[:-1])))
    for team in TEAMS:
        expect(page.get_by_role("link", name=team, exact=True)).to_be_visible()
    shots.take("dashboard")


def test_a_team_page_shows_the_trend_chart(
    page: Page, shots: Shots, demo_server: DemoServer, demo_database: Database
) -> None:
    sign_in(page, new_link(demo_database, demo_server))

    page.get_by_role("link", name=SHOWN_TEAM, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(SHOWN_TEAM)
    trend = page.locator("svg.chart.trend")
    expect(trend).to_have_count(1)
    expect(trend).to_have_attribute("aria-label", re.compile(re.escape(t("dashboard.trend.label"))))
    expect(trend.locator("polyline, path").first).to_be_attached()  # lines drawn, not the empty chart
    shots.take("team")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_survey_page_fits_the_screen_without_scrolling_sideways(
    page: Page, shots: Shots, demo_server: DemoServer, demo_database: Database, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, new_link(demo_database, demo_server))
    page.get_by_role("link", name=t("survey.page.nav"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^" + re.escape(t("survey.page.title"))))
    expect(page.locator("table.survey td.below-limit").first).to_be_visible()  # a risk limit marked
    shots.take(f"survey-{width}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 390])
def test_the_teams_table_fits_the_screen_without_scrolling_sideways(
    page: Page, shots: Shots, demo_server: DemoServer, demo_database: Database, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, new_link(demo_database, demo_server))

    table = page.locator("table.teams")
    expect(table.locator("tbody tr")).to_have_count(len(TEAMS))
    expect(page.get_by_role("heading", name=t("dashboard.risk.legend.heading"))).to_be_visible()
    shots.take(f"teams-{width}")
    wrap = page.locator(".table-wrap", has=table)
    for language in ("fi", "sv", LANGUAGE):  # Finnish and Swedish words are longer: each must fit too
        page.goto(f"/dashboard?lang={language}")
        scroll, client = wrap.evaluate("(el) => [el.scrollWidth, el.clientWidth]")
        assert scroll <= client, f"the {language} teams table is {scroll} px wide in its {client} px box at {width} px"
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, language
    # Every figure is on the screen: the latest round's response rate and indices, the team's size at the end.
    for cell in (table.locator("ul.scores").last, table.locator("tbody tr td.num:last-child").first):
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (width, box)
    if width < 600:  # a phone: each team is a card whose cells say which column they are
        first, second = (table.locator("tbody tr").nth(i).bounding_box() for i in (0, 1))
        assert first is not None and second is not None and second["y"] >= first["y"] + first["height"] - 1
        label = table.locator("tbody tr").first.locator("td").first
        before = label.evaluate("(el) => getComputedStyle(el, '::before').content")
        assert t("dashboard.column.risk_score") in before


def test_the_excel_export_downloads_with_a_sheet_per_view(
    page: Page, shots: Shots, demo_server: DemoServer, demo_database: Database, tmp_path: Path
) -> None:
    sign_in(page, new_link(demo_database, demo_server))

    with page.expect_download() as started:
        page.get_by_role("link", name=t("web.nav.export_xlsx")).click()
    download = started.value
    shots.take("export")

    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    workbook = openpyxl.load_workbook(saved, read_only=True)
    names = workbook.sheetnames
    assert names[0] == t("dashboard.export.sheet_organisation")
    for team in TEAMS:
        assert t("dashboard.export.sheet_trend", team=team) in names
    calendar = t("dashboard.export.sheet_calendar", year=0)[:-1]
    assert any(re.fullmatch(re.escape(calendar) + r"\d{4}", name) for name in names), names
    assert names[-1] == t("dashboard.export.sheet_undeliverable")  # the officer sees the undeliverable list
    organisation = [row for row in workbook[names[0]].iter_rows(values_only=True) if any(row)]
    listed = {row[0] for row in organisation[1:]}
    assert set(TEAMS) <= listed
    workbook.close()


def test_a_sign_in_link_works_only_once(
    page: Page, shots: Shots, demo_server: DemoServer, demo_database: Database
) -> None:
    link = new_link(demo_database, demo_server)
    sign_in(page, link)
    page.context.clear_cookies()

    page.goto(link)

    expect(page.get_by_role("button", name=t("web.signin.button"))).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text(t("web.signin.refused_title"))
    expect(page.locator("main")).to_contain_text(t("web.signin.refused.used"))
    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/signin$"))  # the refused link gave no session
    shots.take("refused")
