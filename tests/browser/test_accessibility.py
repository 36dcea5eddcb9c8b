"""Usable by everyone: named controls, the keyboard alone, a phone-sized screen, fi / sv / en, readable contrast."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
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

# Every visible form control without an accessible name: aria-labelledby, aria-label, a <label>, a button's
# text, a title; hidden inputs are not controls a person meets.
UNNAMED_CONTROLS_JS = """() => {
  const named = (el) => {
    const by = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent || '').join(' ');
    if (by.trim()) return true;
    if ((el.getAttribute('aria-label') || '').trim()) return true;
    if (Array.from(el.labels || []).some((l) => l.textContent.trim())) return true;
    if (el.tagName === 'BUTTON' && el.textContent.trim()) return true;
    if (el.tagName === 'INPUT' && ['submit', 'button', 'reset'].includes(el.type) && el.value.trim()) return true;
    return Boolean((el.getAttribute('title') || '').trim());
  };
  return Array.from(document.querySelectorAll('input, select, textarea, button'))
    .filter((el) => el.type !== 'hidden')
    .filter((el) => !named(el))
    .map((el) => el.outerHTML.slice(0, 120));
}"""

# The contrast of each matching element's text with the first opaque background behind it (WCAG's formula).
CONTRAST_JS = """(selectors) => {
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const colour = rgb(getComputedStyle(node).backgroundColor);
      if (colour.length === 3 || colour[3] > 0.99) return colour.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const found = [];
  for (const selector of selectors) {
    for (const el of Array.from(document.querySelectorAll(selector)).slice(0, 5)) {
      if (!el.textContent.trim() || !el.getClientRects().length) continue;
      const fg = luminance(rgb(getComputedStyle(el).color).slice(0, 3));
      const bg = luminance(background(el));
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      found.push({selector, text: el.textContent.trim().slice(0, 40), ratio});
    }
  }
  return found;
}"""
TEXT_SELECTORS = [
    "body",
    "h1",
    "h2",
    "main p",
    ".note",
    "a",
    "button",
    "label",
    "legend",
    "footer",
    "th",
    "td",
    ".overdue",
    ".warn",
    ".hidden-value",
    ".updated",
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


def test_every_control_has_an_accessible_name(
    page: Page, shots: Shots, demo_server: DemoServer, demo_database: Database
) -> None:
    visited: dict[str, list[str]] = {}
    page.goto("/")
    visited["chat picker"] = page.evaluate(UNNAMED_CONTROLS_JS)
    open_chat_with_card(page)
    card_controls = page.evaluate(
        "() => document.querySelectorAll('article.msg[data-kind=pulse] fieldset.question input[type=radio]').length"
    )
    assert card_controls > 0  # the card's answer choices are among the controls checked
    visited["conversation with a pulse card"] = page.evaluate(UNNAMED_CONTROLS_JS)
    shots.take("conversation")
    sign_in(page, demo_database, demo_server)
    visited["dashboard"] = page.evaluate(UNNAMED_CONTROLS_JS)
    open_team(page)
    visited["team page"] = page.evaluate(UNNAMED_CONTROLS_JS)
    shots.take("team")

    assert {where: unnamed for where, unnamed in visited.items() if unnamed} == {}


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
    expect(page.get_by_label(translate("en", "web.calendar.label"))).to_be_visible()  # the editor, not a refusal


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


def test_text_contrast_is_readable(page: Page, shots: Shots, demo_server: DemoServer, demo_database: Database) -> None:
    measured: list[dict[str, object]] = []
    open_chat_with_card(page)
    card = [".msg[data-kind=pulse] fieldset.question legend", ".msg[data-kind=pulse] fieldset.question label"]
    in_chat = page.evaluate(CONTRAST_JS, [*TEXT_SELECTORS, "article.msg", ".msg fieldset button", ".clock p", *card])
    assert {m["selector"] for m in in_chat} >= set(card[1:])  # the pulse card's choices were measured
    measured += in_chat
    shots.take("chat")
    sign_in(page, demo_database, demo_server)
    measured += page.evaluate(CONTRAST_JS, [*TEXT_SELECTORS, "caption", "header .who"])
    shots.take("dashboard")

    assert len(measured) > 20  # the check looked at the pages' texts, not at nothing
    poor = [m for m in measured if float(str(m["ratio"])) < MIN_CONTRAST]
    assert poor == [], f"text below {MIN_CONTRAST}:1 contrast: {poor}"


def test_the_checks_find_what_they_look_for(browser: Browser) -> None:
    """The checks above on a page built to fail them: each must see its fault, so their passes mean something."""
    context = browser.new_context(viewport=PHONE)
    bad = context.new_page()
    bad.set_content(
        '<html lang="en"><body style="background:#fff"><p style="color:#999">pale text</p>'
        '<input type="text" id="nameless"><button></button><select><option>a</option></select>'
        '<label for="named">Named</label><input id="named" type="text">'
        '<div style="width:600px">wide</div></body></html>'
    )
    try:
        Shots(bad, "test_the_checks_find_what_they_look_for").take("bad-page")
        unnamed = bad.evaluate(UNNAMED_CONTROLS_JS)
        assert [re.sub(r"^<(\w+).*", r"\1", html) for html in unnamed] == ["input", "button", "select"]
        ratios = {m["text"]: m["ratio"] for m in bad.evaluate(CONTRAST_JS, ["p"])}
        assert float(str(ratios["pale text"])) < MIN_CONTRAST
        assert bad.evaluate("() => document.documentElement.scrollWidth") > PHONE["width"]
    finally:
        context.close()
