"""The App Home tab: the person's team plan, published when they open the tab (never pushed to everyone)."""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.parse import HomeOpened
from adapters.slack.render import render_home
from bot.conversation import Conversation
from bot.events import CommandText, Sender
from bot.i18n import DEFAULT_LANGUAGE, translate
from bot.messages import Card, Text
from bot.organisation import Platform
from bot.person import find_person
from storage.db import Database
from storage.org_repository import OrganisationRepository

logger = logging.getLogger(__name__)


class HomeTab:
    """What the core answers to "plan", drawn as the Home tab: the same cards as in the chat."""

    def __init__(self, db: Database, conversation: Conversation) -> None:
        self.directory = OrganisationRepository(db)
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
        return cards, language

    async def publish(self, opened: HomeOpened, client: AsyncWebClient) -> None:
        cards, language = await asyncio.to_thread(self.cards, opened)
        view = render_home(cards, shortened_note=translate(language, "slack.home_shortened"))
        try:
            await client.views_publish(user_id=opened.user_id, view=view)
        except SlackApiError as error:
            logger.warning("App Home not published: %s", error.response.get("error", "unknown"))
