"""The web chat in a real browser: pick a person, ask for help, answer a pulse with buttons, share a success."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from bot.i18n import translate
from tests.browser.conftest import Shots

LANGUAGE = "fi"  # the demo organisation's language: the page and the bot's cards speak it alike
STAFF_NAME = "Mikko Rantanen"  # a staff member of the demo organisation's Perusturva
MAX_CLOCK_MOVES = 12  # the calendar has a pulse round every few months; a year of prompts is plenty
SUCCESS_TEXT = "Saimme uuden asiakastietojärjestelmän käyttöön ilman katkoja"


def t(key: str, **params: object) -> str:
    return translate(LANGUAGE, key, **params)


def open_chat_as(page: Page, name: str) -> None:
    """The picker as a person uses it: choose the name from the list and open the conversation."""
    page.goto("/")
    picker = page.get_by_label(t("webchat.pick.label"))
    option = picker.locator("option", has_text=name)
    picker.select_option(value=option.get_attribute("value"))
    page.get_by_role("button", name=t("webchat.pick.submit")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def say(page: Page, text: str) -> None:
    page.get_by_label(t("webchat.chat.compose_label"), exact=True).fill(text)
    page.get_by_role("button", name=t("webchat.chat.send"), exact=True).click()


def direct_messages(page: Page) -> Locator:
    return page.locator("section", has=page.get_by_role("heading", name=t("webchat.chat.direct"), exact=True))


def open_pulse_card(page: Page) -> Locator:
    """The newest pulse card still asking questions."""
    return direct_messages(page).locator("article[data-kind=pulse]:has(fieldset.question)").last


def test_a_person_picks_themselves_and_gets_help(page: Page, shots: Shots) -> None:
    open_chat_as(page, STAFF_NAME)
    shots.take("conversation")

    say(page, "apua")

    first_line = t("help.text").splitlines()[0]
    reply = direct_messages(page).locator("article.msg.text").last
    expect(reply).to_contain_text(first_line)
    shots.take("help")


def test_a_pulse_arrives_with_the_clock_and_is_answered_with_buttons(page: Page, shots: Shots) -> None:
    open_chat_as(page, STAFF_NAME)
    clock = page.locator("#clock")
    before = clock.locator("p").first.inner_text()
    page.get_by_role("button", name=t("webchat.clock.next")).click()
    expect(clock.locator("p").first).not_to_have_text(before)  # the demo's time moved forward
    moves = 1
    while open_pulse_card(page).count() == 0:
        assert moves < MAX_CLOCK_MOVES, f"no pulse card after moving the clock {moves} times"
        page.get_by_role("button", name=t("webchat.clock.next")).click()
        moves += 1
    card = open_pulse_card(page)
    card_id = card.get_attribute("id")
    assert card_id
    card = page.locator(f"article#{card_id}")  # the same message, updated in place after each press
    shots.take("pulse-card")

    questions = card.locator("fieldset.question")
    for number in range(questions.count()):
        choice = questions.nth(number).get_by_role("button").nth(3)  # "somewhat agree"
        label = choice.inner_text()
        choice.click()
        chosen = page.locator(f"article#{card_id} fieldset.question").nth(number).locator("[aria-pressed=true]")
        expect(chosen).to_have_count(1)
        expect(chosen).to_contain_text(label)
    shots.take("pulse-answered")

    card.get_by_role("button", name=t("pulse.send_button")).click()

    expect(card).to_contain_text(t("pulse.thanks_heading"))
    expect(card.locator("fieldset.question")).to_have_count(0)  # the thanks replaced the questions
    expect(card.get_by_role("button", name=t("pulse.send_button"))).to_have_count(0)
    shots.take("pulse-thanks")


def test_a_success_is_shared_and_confirmed(page: Page, shots: Shots) -> None:
    open_chat_as(page, STAFF_NAME)

    say(page, f"onnistuminen {SUCCESS_TEXT}")

    expect(direct_messages(page).locator("article.msg").last).to_contain_text(t("success.shared"))
    channel_heading = page.get_by_role("heading", name=t("webchat.chat.channel", team="Perusturva"))
    channel = page.locator("section", has=channel_heading)
    celebration = channel.locator("article.msg", has_text=SUCCESS_TEXT)
    expect(celebration).to_have_count(1)
    expect(celebration).to_contain_text(STAFF_NAME)
    shots.take("success")
