"""Usable by everyone: named controls, the keyboard alone, a phone-sized screen, fi / sv / en, readable contrast."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

from bot.i18n import translate
from storage.db import Database
from tests.browser.conftest import DemoServer, Shots, dashboard_link

KEYBOARD_MEMBER = "Sanna Heikkilä"  # a staff member no other browser test writes as
CARD_MEMBER = "Mikko Rantanen"  # the demo clock is moved until his chat shows a pulse card: cards are checked too
MAX_TABS = 150  # the chat may hold several pulse cards (about 20 buttons each) before its write box
MAX_CLOCK_MOVES = 40  # as in test_web_chat: late teams' weekly cards stop the clock too; a pulse round comes
SORT_COLUMN = "members"  # the organisation table's column the keyboard test sorts by
PHONE: ViewportSize = {"width": 375, "height": 740}
MIN_CONTRAST = 4.5  # WCAG 2.1 AA for normal-size text

# axe-core, the field's standard engine: what it finds at these impacts fails a page. Its rules cover accessible
# names, contrast, landmarks, ARIA and language; the hand-written checks below are only for what it has no rule for
# (a page wider than the phone, working with the keyboard alone, the language switch).
AXE = Axe()
BLOCKING_IMPACTS = {"serious", "critical"}
SCREENS: dict[str, ViewportSize] = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
LANGUAGES = ("en", "fi", "sv")


def axe_problems(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it stands, each with the first places it saw."""
    violations = AXE.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes'][:3]]}"
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]


def open_chat(page: Page, name: str) -> None:
    page.goto("/?lang=en")
    picker = page.get_by_label(translate("en", "webchat.pick.label"))
    picker.select_option(value=picker.locator("option", has_text=name).get_attribute("value"))
    page.get_by_role("button", name=translate("en", "webchat.pick.submit")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def open_pulse_card(page: Page) -> Locator:
    """The newest pulse card in the conversation still asking its questions with buttons."""
    return page.locator("article.msg[data-kind=pulse]:has(fieldset.question)").last


def open_chat_with_card(page: Page) -> None:
    """CARD_MEMBER's conversation showing a pulse card with its buttons, the demo clock moved on until one comes.

    The clock is the server's, shared by the browser tests: a card an earlier test left open is used as it is,
    and one answered already (test_web_chat answers his) makes the clock move on to the next round.
    """
    open_chat(page, CARD_MEMBER)
    moves = 0
    while open_pulse_card(page).count() == 0:
        assert moves < MAX_CLOCK_MOVES, f"no pulse card after moving the demo clock {moves} times"
        before = page.locator("#clock p").first.inner_text()
        page.get_by_role("button", name=translate("en", "webchat.clock.next")).click()
        expect(page.locator("#clock p").first).not_to_have_text(before)  # the page came back with the new time
        moves += 1
    card = open_pulse_card(page)
    expect(card).to_be_visible()
    expect(card.locator("fieldset.question input[type=radio]").first).to_be_visible()


def sign_in(page: Page, db: Database, server: DemoServer) -> None:
    page.goto(dashboard_link(db, server, "en"))
    page.get_by_role("button", name=translate("en", "web.signin.button")).click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def open_team(page: Page) -> None:
    page.get_by_role("link", name="Kotihoito", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kotihoito")


def tab_to(page: Page, is_target: str) -> None:
    """Press Tab until the focused element satisfies the JS predicate `is_target` (given the element)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => ({is_target})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached the element ({is_target})")


def test_the_chat_works_with_the_keyboard_alone(page: Page, shots: Shots) -> None:
    page.goto("/?lang=en")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text(translate("en", "web.skip"))  # the first stop skips the header

    tab_to(page, "(el) => el.id === 'member'")
    target = page.locator("#member option", has_text=KEYBOARD_MEMBER).get_attribute("value")
    for _ in range(30):  # a closed drop-down moves its choice with the arrow keys
        if page.eval_on_selector("#member", "(el) => el.value") == target:
            break
        page.keyboard.press("ArrowDown")
    tab_to(page, "(el) => el.tagName === 'BUTTON' && el.closest('form.picker') !== null")
    shots.take("picker-focused")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(KEYBOARD_MEMBER)

    tab_to(page, "(el) => el.id === 'say'")
    page.keyboard.type("help")
    tab_to(page, "(el) => el.tagName === 'BUTTON' && el.closest('#compose') !== null")
    shots.take("send-focused")
    page.keyboard.press("Enter")

    help_line = translate("en", "help.text").splitlines()[0]
    expect(page.locator("article.msg.text").last).to_contain_text(help_line)
    shots.take("help")


def choose_with_arrows(page: Page, selector: str, value: str) -> None:
    """Move a focused, closed drop-down to `value` with the arrow keys, as a keyboard user does."""
    options = page.eval_on_selector(selector, "(el) => Array.from(el.options).map((o) => o.value)")
    current = page.eval_on_selector(selector, "(el) => el.value")
    key = "ArrowDown" if options.index(value) > options.index(current) else "ArrowUp"
    for _ in range(len(options)):
        if page.eval_on_selector(selector, "(el) => el.value") == value:
            return
        page.keyboard.press(key)
    assert page.eval_on_selector(selector, "(el) => el.value") == value


def test_the_dashboard_works_with_the_keyboard_alone(
    page: Page, shots: Shots, demo_server: DemoServer, demo_database: Database
) -> None:
    sign_in(page, demo_database, demo_server)
    column = translate("en", "dashboard.column.members")
    table = page.locator("table", has=page.locator("caption"))
    sorted_by = table.locator("th[aria-sort]")
    expect(sorted_by).not_to_contain_text(column)  # the table starts sorted by another column

    tab_to(page, f"(el) => el.tagName === 'A' && el.getAttribute('href').includes('sort={SORT_COLUMN}&')")
    shots.take("sort-focused")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"sort={SORT_COLUMN}"))
    expect(sorted_by).to_have_count(1)
    expect(sorted_by).to_contain_text(column)
    expect(table.locator("caption")).to_contain_text(column)
    counts = [int(text) for text in table.locator("tbody tr td.num:last-child").all_inner_texts() if text.isdigit()]
    assert len(counts) >= 2 and counts == sorted(counts, reverse=sorted_by.get_attribute("aria-sort") == "descending")
    shots.take("sorted")

    tab_to(page, "(el) => el.id === 'lang-switch'")
    choose_with_arrows(page, "#lang-switch", "sv")
    tab_to(page, "(el) => el.tagName === 'BUTTON' && el.closest('form')?.querySelector('#lang-switch') !== null")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text(translate("sv", "web.org.title"))
    shots.take("swedish")

    export = translate("sv", "web.nav.export_xlsx")
    tab_to(page, "(el) => el.tagName === 'A' && el.getAttribute('href') === '/dashboard/export.xlsx'")
    expect(page.locator(":focus")).to_have_text(export)  # the link is reached, and speaks the chosen language
    shots.take("export-focused")
    with page.expect_download() as started:
        page.keyboard.press("Enter")
    assert started.value.suggested_filename.endswith(".xlsx")


def _picker(page: Page, db: Database, server: DemoServer) -> None:
    page.goto("/")


def _conversation(page: Page, db: Database, server: DemoServer) -> None:
    open_chat_with_card(page)


def _calendar(page: Page, db: Database, server: DemoServer) -> None:
    sign_in(page, db, server)
    page.get_by_role("link", name=translate("en", "web.nav.calendar"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/dashboard/calendar$"))
    expect(page.get_by_label(translate("en", "web.calendar.form.weeks"))).to_be_visible()  # the form, not a refusal


def _signin(page: Page, db: Database, server: DemoServer) -> None:
    page.goto("/signin?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text(translate("en", "web.signin.title"))


def _signin_link(page: Page, db: Database, server: DemoServer) -> None:
    page.goto(dashboard_link(db, server, "en"))
    expect(page.get_by_role("button", name=translate("en", "web.signin.button"))).to_be_visible()


def _refused(page: Page, db: Database, server: DemoServer) -> None:
    page.goto("/signin?token=not.a.real.link&lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text(translate("en", "web.signin.refused_title"))


def _team(page: Page, db: Database, server: DemoServer) -> None:
    sign_in(page, db, server)
    open_team(page)


def _survey(page: Page, db: Database, server: DemoServer) -> None:
    sign_in(page, db, server)
    page.get_by_role("link", name=translate("en", "survey.page.nav"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/dashboard/survey$"))
    expect(page.locator("table.survey tbody tr")).not_to_have_count(0)  # the demo's year, not "none imported"


PAGES: list[tuple[str, Callable[[Page, Database, DemoServer], None]]] = [
    ("picker", _picker),
    ("conversation", _conversation),
    ("dashboard", sign_in),
    ("team", _team),
    ("calendar", _calendar),
    ("survey", _survey),
    ("signin", _signin),
    ("signin-link", _signin_link),
    ("refused", _refused),
]


@pytest.mark.parametrize(("name", "open_page"), PAGES, ids=[name for name, _ in PAGES])
def test_pages_fit_a_phone_screen(
    page: Page,
    shots: Shots,
    demo_server: DemoServer,
    demo_database: Database,
    name: str,
    open_page: Callable[[Page, Database, DemoServer], None],
) -> None:
    page.set_viewport_size(PHONE)
    open_page(page, demo_database, demo_server)
    shots.take(f"phone-{name}")

    width = page.evaluate("() => document.documentElement.scrollWidth")
    too_wide = page.evaluate(
        """(limit) => Array.from(document.querySelectorAll('body *'))
          .filter((el) => el.getBoundingClientRect().right > limit + 1 && !el.closest('.table-wrap'))
          .map((el) => el.tagName + '.' + el.className).slice(0, 5)""",
        PHONE["width"],
    )
    assert width <= PHONE["width"], f"{name} is {width} px wide at {PHONE['width']} px: {too_wide}"


def test_the_language_switch_changes_the_page_language(
    page: Page, shots: Shots, demo_server: DemoServer, demo_database: Database
) -> None:
    def switch(language: str, title_key: str, **params: object) -> None:
        page.locator("#lang-switch").select_option(language)
        page.locator("form:has(#lang-switch) button").click()
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("heading", level=1)).to_have_text(translate(language, title_key, **params))
        expect(page.get_by_label(translate(language, "web.language.label"))).to_be_visible()

    open_chat(page, KEYBOARD_MEMBER)
    switch("sv", "webchat.chat.title", name=KEYBOARD_MEMBER)
    expect(page.locator("#compose button")).to_have_text(translate("sv", "webchat.chat.send"))
    shots.take("chat-sv")
    switch("en", "webchat.chat.title", name=KEYBOARD_MEMBER)
    expect(page.locator("#compose button")).to_have_text(translate("en", "webchat.chat.send"))

    sign_in(page, demo_database, demo_server)
    switch("sv", "web.org.title")
    shots.take("dashboard-sv")
    page.reload()  # the session keeps the chosen language
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    switch("en", "web.org.title")
    shots.take("dashboard-en")


def test_the_checks_find_what_they_look_for(browser: Browser) -> None:
    """The checks above on a page built to fail them: each must see its fault, so their passes mean something."""
    context = browser.new_context(viewport=PHONE)
    bad = context.new_page()
    bad.set_content(
        '<html lang="en"><body style="background:#fff"><main><p style="color:#bbb">pale text</p>'
        '<input type="text" id="nameless"><button></button><select><option>a</option></select>'
        '<label for="named">Named</label><input id="named" type="text">'
        '<div style="width:600px">wide</div></main></body></html>'
    )
    try:
        Shots(bad, "test_the_checks_find_what_they_look_for").take("bad-page")
        found = {problem.split(" ")[0] for problem in axe_problems(bad)}
        assert {"label", "button-name", "select-name", "color-contrast"} <= found, found
        assert bad.evaluate("() => document.documentElement.scrollWidth") > PHONE["width"]
    finally:
        context.close()


def switch_language(page: Page, language: str) -> None:
    """The page's own language switch, as a person uses it."""
    page.locator("#lang-switch").select_option(language)
    page.locator("form:has(#lang-switch) button").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize(("name", "open_page"), PAGES, ids=[name for name, _ in PAGES])
def test_axe_finds_nothing_serious_on_any_page_in_any_language(
    page: Page,
    shots: Shots,
    demo_server: DemoServer,
    demo_database: Database,
    name: str,
    open_page: Callable[[Page, Database, DemoServer], None],
    screen: str,
) -> None:
    page.set_viewport_size(SCREENS[screen])
    open_page(page, demo_database, demo_server)
    found: dict[str, list[str]] = {}
    for language in LANGUAGES:
        if language != page.evaluate("() => document.documentElement.lang"):
            switch_language(page, language)
        found[language] = axe_problems(page)
    shots.take(f"axe-{screen}-{name}")
    assert {language: problems for language, problems in found.items() if problems} == {}
