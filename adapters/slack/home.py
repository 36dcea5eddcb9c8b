"""The App Home tab: the person's team plan, the calendar's next steps and recent successes, drawn when they open it."""

from __future__ import annotations

import asyncio
import logging
from datetime import date

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.parse import HomeOpened
from adapters.slack.render import render_home
from bot.calendar import AnnualCalendar, CalendarStep, StepKind
from bot.card_limits import shorten
from bot.conversation import Conversation
from bot.events import CommandText, Sender
from bot.formatting import format_date
from bot.i18n import DEFAULT_LANGUAGE, translate
from bot.messages import Card, Heading, Text
from bot.organisation import Platform, Team, zone_or_default
from bot.person import Person, find_person
from bot.success import Success
from storage.calendar_repository import CalendarRepository
from storage.db import Database
from storage.org_repository import OrganisationRepository
from storage.success_repository import SuccessRepository

logger = logging.getLogger(__name__)

NEXT_STEPS = 3
RECENT_SUCCESSES = 5
SUCCESS_SHOWN = 200  # characters of a success on the tab; the channel post has it whole


class HomeTab:
    """What the core answers to "plan", drawn as the Home tab, with the team's calendar and successes after it.

    Published only for the person who opened the tab (views.publish is 100+/min per workspace: never for everyone).
    """

    def __init__(self, db: Database, conversation: Conversation) -> None:
        self.directory = OrganisationRepository(db)
        self.calendars = CalendarRepository(db)
        self.successes = SuccessRepository(db)
        self.conversation = conversation

    def cards(self, opened: HomeOpened) -> tuple[list[Card], str]:
        sender = Sender(Platform.SLACK, opened.user_id, opened.workspace)
        person = find_person(self.directory, sender)
        language = person.language if person is not None else DEFAULT_LANGUAGE
        reply = self.conversation.handle(CommandText(sender, "plan"))
        cards = [
            m.card if m.card is not None else Card("home_text", m.fallback_text, (Text(m.fallback_text),))
            for m in reply.messages
            if not m.to.is_channel
        ]
        if person is not None and person.team is not None:
            today = self.conversation.clock().astimezone(zone_or_default(person.team.timezone)).date()
            calendar = self.calendars.get(person.organisation.id)
            cards.append(calendar_card(next_steps(calendar, person.team, today), person.language))
            recent = self.successes.for_team(person.team.id)[:RECENT_SUCCESSES]
            cards.append(self._successes_card(recent, person))
        return cards, language

    async def publish(self, opened: HomeOpened, client: AsyncWebClient) -> None:
        cards, language = await asyncio.to_thread(self.cards, opened)
        view = render_home(cards, shortened_note=translate(language, "slack.home_shortened"))
        try:
            await client.views_publish(user_id=opened.user_id, view=view)
        except SlackApiError as error:
            logger.warning("App Home not published: %s", error.response.get("error", "unknown"))

    def _successes_card(self, successes: list[Success], person: Person) -> Card:
        team = person.team
        assert team is not None
        names = self.directory.member_names(s.author_id for s in successes if s.author_id is not None)
        zone = zone_or_default(team.timezone)
        lines = [
            translate(
                person.language,
                "slack_home.success_line",
                text=" ".join(shorten(s.text, SUCCESS_SHOWN).split()),  # one line each: a bullet list stays one
                author=names.get(s.author_id, team.name) if s.author_id is not None else team.name,
                date=format_date(s.posted_at.astimezone(zone).date(), person.language),
            )
            for s in successes
        ]
        return _list_card("home_successes", person.language, "slack_home.successes", lines)


def next_steps(calendar: AnnualCalendar, team: Team, today: date) -> list[tuple[date, CalendarStep]]:
    """The team's next steps from today on, across the turn of the year.

    Follow-ups are left out: they come when the team's own plan is due (the plan card shows that day), the
    calendar's follow-up days only guide them (scheduler/planner.py).
    """
    ahead = [
        (day, step)
        for year in (today.year - 1, today.year, today.year + 1)  # a cycle that began last year can still run
        for day, step in calendar.occurrences(year)
        if day >= today and step.kind is not StepKind.FOLLOW_UP and step.applies_to(team.key)
    ]
    return sorted(ahead, key=lambda pair: (pair[0], pair[1].key))[:NEXT_STEPS]


def calendar_card(steps: list[tuple[date, CalendarStep]], language: str) -> Card:
    """The next steps with their days, named as the calendar names its kinds."""
    lines = [
        translate(
            language,
            "slack_home.calendar_step",
            date=format_date(day, language),
            step=translate(language, f"calendar_kind.{step.kind.value}"),
        )
        for day, step in steps
    ]
    return _list_card("home_calendar", language, "slack_home.calendar", lines)


def _list_card(kind: str, language: str, prefix: str, lines: list[str]) -> Card:
    heading = translate(language, f"{prefix}_heading")
    body = "\n".join(lines) if lines else translate(language, f"{prefix}_none")
    return Card(kind, heading, (Heading(heading), Text(body)))
