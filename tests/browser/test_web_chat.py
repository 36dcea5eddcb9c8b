"""The web chat in a real browser: pick a person, ask for help, answer a pulse with buttons, share a success."""

from __future__ import annotations

import time

from playwright.sync_api import Locator, Page, expect

from bot.i18n import translate
from storage.db import Database
from storage.outbox_repository import OutboxRepository
from tests.browser.conftest import Shots

LANGUAGE = "fi"  # the demo organisation's language: the page and the bot's cards speak it alike
STAFF_NAME = "Mikko Rantanen"  # a staff member of the demo organisation's Perusturva
DELIVERY_SECONDS = 60.0  # a busy machine's worst; an empty outbox ends the wait at once
MAX_CLOCK_MOVES = 40  # a pulse round comes every few weeks; late teams' weekly cards stop the clock between
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


def pulse_card_ids(page: Page) -> set[str]:
    cards = direct_messages(page).locator("article[data-kind=pulse]:has(fieldset.question)")
    return {str(cards.nth(number).get_attribute("id")) for number in range(cards.count())}


def wait_until_delivered(db: Database) -> None:
    """Until the server's outbox is empty: every message a clock move queued is then in the inboxes."""
    outbox = OutboxRepository(db)
    deadline = time.monotonic() + DELIVERY_SECONDS
    while outbox.depth() > 0:
        assert time.monotonic() < deadline, f"the outbox still held messages after {DELIVERY_SECONDS} s"
        time.sleep(0.05)


def move_clock_to_next_prompt(page: Page, db: Database) -> None:
    """Press "next prompt", then show the page once all that the move sent has arrived."""
    clock = page.locator("#clock p").first
    before = clock.inner_text()
    page.get_by_role("button", name=t("webchat.clock.next")).click()
    expect(clock).not_to_have_text(before)  # the demo's time moved forward
    wait_until_delivered(db)  # the move waits for delivery only so long; a busy machine can take longer
    page.reload()


def test_a_pulse_arrives_with_the_clock_and_is_answered_with_buttons(
    page: Page, shots: Shots, demo_database: Database
) -> None:
    open_chat_as(page, STAFF_NAME)
    # A round the server sent at start-up may have closed when the clock moved past its answering time; its card
    # still shows its choices (a Send on it is told the round has ended). The card to answer is one a move brought.
    move_clock_to_next_prompt(page, demo_database)
    earlier = pulse_card_ids(page)
    moves = 1
    while not (pulse_card_ids(page) - earlier):
        assert moves < MAX_CLOCK_MOVES, f"no pulse card after moving the clock {moves} times"
        move_clock_to_next_prompt(page, demo_database)
        moves += 1
    (card_id,) = pulse_card_ids(page) - earlier
    card = page.locator(f"article#{card_id}")  # the same message, updated in place by Send
    expect(card.locator("fieldset.question").first).to_be_visible()
    shots.take("pulse-card")

    # Picks stay in the browser: checking a radio button sends nothing, the card is not drawn again.
    questions = card.locator("fieldset.question")
    for number in range(questions.count()):
        choice = questions.nth(number).get_by_role("radio").nth(3)  # "somewhat agree"
        choice.check()
        expect(choice).to_be_checked()
    expect(card.locator("input[type=radio]:checked")).to_have_count(questions.count())
    shots.take("pulse-answered")

    card.get_by_role("button", name=t("pulse.send_button")).click()

    expect(card).to_contain_text(t("pulse.thanks_heading"))
    expect(card.locator("fieldset.question")).to_have_count(0)  # the thanks replaced the questions
    expect(card.locator("input[type=radio]")).to_have_count(0)  # and holds no pick
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
