"""The calendar page in a real browser: the form refuses a wrong day next to its field, any year can be chosen, and
the wheel's legend reads on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from bot.i18n import translate
from storage.db import Database
from tests.browser.conftest import DemoServer, Shots
from tests.browser.test_dashboard import new_link, sign_in

LANGUAGE = "en"
MIN_TEXT_PX = 12.0  # the smallest legend text still read comfortably on a phone
SCREENS: dict[str, ViewportSize] = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def t(key: str, **params: object) -> str:
    return translate(LANGUAGE, key, **params)


def open_calendar(page: Page, db: Database, server: DemoServer) -> None:
    sign_in(page, new_link(db, server))
    page.get_by_role("link", name=t("web.nav.calendar"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/dashboard/calendar$"))


def test_a_wrong_day_is_refused_next_to_its_field_and_what_was_typed_stays(
    page: Page, shots: Shots, demo_server: DemoServer, demo_database: Database
) -> None:
    open_calendar(page, demo_database, demo_server)
    survey = page.locator("fieldset.step", has=page.locator("legend", has_text=re.compile("^Wellbeing survey$")))
    day = survey.get_by_label(t("web.calendar.form.date"))
    day.fill("31.2.")
    page.locator("form.calendar-form").get_by_role("button", name=t("web.calendar.save")).click()

    expect(page.get_by_role("alert")).to_contain_text(t("web.calendar.form.refused"))
    expect(day).to_have_value("31.2.")
    expect(day).to_have_attribute("aria-invalid", "true")
    expect(day).to_have_accessible_description(t("web.calendar.form.bad_date", date="31.2."))
    shots.take("refused-day")


def test_another_year_is_chosen_and_its_days_shown(
    page: Page, shots: Shots, demo_server: DemoServer, demo_database: Database
) -> None:
    open_calendar(page, demo_database, demo_server)
    this_year = int(page.locator("#year option[selected]").inner_text())
    page.get_by_label(t("web.calendar.year_label"), exact=True).select_option(str(this_year + 1))
    page.get_by_role("button", name=t("web.calendar.year_show"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"year={this_year + 1}$"))
    expect(page.locator("h2#steps")).to_have_text(t("web.calendar.steps_heading", year=this_year + 1))
    expect(page.locator("table tbody tr").first).to_contain_text(str(this_year + 1))
    shots.take("next-year")


@pytest.mark.parametrize("screen", SCREENS)
def test_the_wheels_legend_is_readable_and_fits_the_screen(
    page: Page, shots: Shots, demo_server: DemoServer, demo_database: Database, screen: str
) -> None:
    page.set_viewport_size(SCREENS[screen])
    open_calendar(page, demo_database, demo_server)
    legend = page.locator(".wheel-legend")
    expect(legend.locator("li").first).to_be_visible()
    sizes = legend.locator("li").evaluate_all("(items) => items.map((li) => parseFloat(getComputedStyle(li).fontSize))")
    assert sizes and min(sizes) >= MIN_TEXT_PX, sizes
    right = legend.evaluate("(el) => el.getBoundingClientRect().right")
    assert right <= SCREENS[screen]["width"], f"the legend reaches {right} px on a {SCREENS[screen]['width']} px screen"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= SCREENS[screen]["width"]
    shots.take(f"legend-{screen}")
