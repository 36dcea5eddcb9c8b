"""The printable plan in Chromium: a team's page prints on one A4 sheet without the charts, every team on its own."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from storage.db import Database
from tests.browser.conftest import DemoServer, Shots
from tests.browser.test_dashboard import new_link, sign_in, t

# Each page of a PDF is one "/Type /Page" object; "/Type /Pages" is the tree above them.
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def pdf_pages(page: Page) -> int:
    """How many A4 sheets the page prints on, as Chromium's print to PDF lays it out."""
    return len(_PAGE_OBJECT.findall(page.pdf(format="A4", print_background=True)))


def test_a_team_page_prints_its_plan_on_one_a4_sheet_without_the_charts(
    page: Page, shots: Shots, demo_server: DemoServer, demo_database: Database
) -> None:
    sign_in(page, new_link(demo_database, demo_server))
    page.goto("/dashboard/team/kotihoito?lang=en")
    trend = page.locator("svg.chart.trend")
    expect(trend).to_be_visible()

    page.emulate_media(media="print")
    expect(trend).to_be_hidden()
    expect(page.locator("header")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kotihoito")
    expect(page.get_by_text("Yhteinen toivetaulukko käyttöön")).to_be_visible()  # an action, with its owner
    expect(page.get_by_text(t("print.successes", count=2))).to_be_visible()
    shots.take("team-printed")
    assert pdf_pages(page) == 1


def test_every_teams_plan_prints_on_a_sheet_of_its_own(
    page: Page, shots: Shots, demo_server: DemoServer, demo_database: Database
) -> None:
    sign_in(page, new_link(demo_database, demo_server))
    page.get_by_role("link", name=t("print.all")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("print.title"))
    sheets = page.locator("section.print-sheet")
    expect(sheets).to_have_count(3)
    page.emulate_media(media="print")
    shots.take("plans-printed")
    assert pdf_pages(page) == 3
