"""A whole year for Kotihoito in Teams: messages in the 1:1 chat and Adaptive Card submits, through the SDK."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from adapters.teams.render import ACTION_KEY, VALUE_KEY
from bot.messages import Reply
from bot.organisation import HomeChannel, Member, Platform
from storage.org_repository import OrganisationRepository
from tests.adapters.teams_e2e.conftest import Tenant, teams_id
from tests.bot.flows.conftest import Clock
from tests.bot.flows.year_scenario import Year
from tests.fakes import teams_activities as make

Json = dict[str, Any]
_BULLET = re.compile(r"^- ", re.MULTILINE)
_EMPHASIS = re.compile(r"\*\*([^*\n]+)\*\*|(?<!\w)_([^_\n]+)_(?!\w)")  # the card's **bold** and _italic_


def chat_of(member: Member) -> str:
    return f"a:{teams_id(member)}"  # the 1:1 chat, as Teams names it (and the fake answers a create)


class TeamsDriver:
    """People in their 1:1 chats with the bot: typed messages, and Action.Submit with the card's inputs merged in."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant
        self.read: dict[str, int] = {}  # per chat: the requests already seen when its person last did something
        self._keys = itertools.count(1)

    async def say(self, member: Member, text: str) -> None:
        self._acted(member)
        status, _ = await self.tenant.post(make.message(self.tenant.connector.url, teams_id(member), text))
        assert status == 200

    async def press(
        self, member: Member, action: str, fields: Mapping[str, str] | None = None, *, value: str = ""
    ) -> None:
        found = next(
            (
                (activity_id, card, data)
                for activity_id, card in self._cards(member)
                for data in _submits(card)
                if data[ACTION_KEY] == action and str(data[VALUE_KEY]).endswith(value)
            ),
            None,
        )
        assert found is not None, f"{member.name} has no card with {action}:\n{await self.seen(member)}"
        activity_id, card, data = found
        self._acted(member)
        # Action.Submit merges every input of the card, as it stands, into the button's data.
        inputs = {**_initial(card), **(fields or {})}
        submit = make.card_submit(self.tenant.connector.url, teams_id(member), {**inputs, **data}, reply_to=activity_id)
        status, _ = await self.tenant.post(submit)
        assert status == 200

    async def deliver(self, reply: Reply) -> None:
        self.tenant.outbox.enqueue((f"year-{next(self._keys)}", message) for message in reply.messages)
        await self.tenant.worker.drain()

    async def seen(self, member: Member) -> str:
        start = self.read.get(chat_of(member), 0)
        shown = [_text(body) for conversation, body in self._activities()[start:] if conversation == chat_of(member)]
        return "\n".join(shown)

    async def channel(self, member: Member) -> str:
        del member  # every member of Kotihoito reads the same channel
        posted = self.tenant.connector.posted()
        return "\n".join(_text(body) for conversation, body in posted if conversation.startswith(make.TEAM_ID))

    def _acted(self, member: Member) -> None:
        self.read[chat_of(member)] = len(self._activities())

    def _activities(self) -> list[tuple[str, Json]]:
        """Every message sent or updated, in the order the connector got them."""
        connector = self.tenant.connector
        sent = iter(connector.sent)
        updated = iter(connector.updated)
        out: list[tuple[str, Json]] = []
        for request in connector.requests:
            if request.kind == "send":
                out.append(next(sent))
            elif request.kind == "update":
                conversation, _, body = next(updated)
                out.append((conversation, body))
        return out

    def _cards(self, member: Member) -> Iterator[tuple[str, Json]]:
        """The member's cards, newest first, each as last drawn, with the id Teams gave it."""
        connector = self.tenant.connector
        latest: dict[str, Json] = {}
        order: list[str] = []
        for (conversation, body), activity_id in zip(connector.sent, connector.sent_ids, strict=True):
            if conversation == chat_of(member):
                latest[activity_id] = body
                order.append(activity_id)
        for conversation, activity_id, body in connector.updated:
            if conversation == chat_of(member) and activity_id in latest:
                latest[activity_id] = body
                order.remove(activity_id)
                order.append(activity_id)
        for activity_id in reversed(order):
            if latest[activity_id].get("attachments"):
                yield activity_id, latest[activity_id]


def _elements(activity: Json) -> Iterator[Json]:
    def walk(items: list[Json]) -> Iterator[Json]:
        for item in items:
            yield item
            yield from walk(item.get("items", []) + item.get("actions", []))
            for column in item.get("columns", []):
                yield from walk(column.get("items", []))

    for attachment in activity.get("attachments", []):
        yield from walk(attachment["content"].get("body", []))


def _submits(activity: Json) -> list[Json]:
    return [e["data"] for e in _elements(activity) if e.get("type") == "Action.Submit" and ACTION_KEY in e["data"]]


def _initial(activity: Json) -> dict[str, str]:
    return {
        e["id"]: str(e["value"]) for e in _elements(activity) if e.get("type", "").startswith("Input.") and "value" in e
    }


def _text(activity: Json) -> str:
    """What Teams shows of a message, as plain lines: markdown's marks read as the person reads them."""
    lines: list[str] = [] if activity.get("attachments") else [str(activity.get("text", ""))]
    for element in _elements(activity):
        kind = element.get("type")
        if kind == "TextBlock":
            lines.append(str(element["text"]))
        elif kind == "FactSet":
            lines += [f"{fact['title']}: {fact['value']}" for fact in element["facts"]]
        elif kind and kind.startswith("Input."):
            lines.append(str(element.get("label", "")))
        elif kind == "ActionSet":
            lines.append(" | ".join(str(a.get("title", "")) for a in element["actions"]))
    text = "\n".join(_EMPHASIS.sub(lambda m: m.group(1) or m.group(2), line) for line in lines)
    return _BULLET.sub("• ", text)  # a markdown list item is drawn with a bullet


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
async def test_a_whole_year_in_teams(tenant: Tenant, clock: Clock, language: str) -> None:
    team = tenant.demo.team("kotihoito")  # the team's channel in Teams, where the tally and the chosen go
    home = HomeChannel(Platform.TEAMS, make.TEAM_ID, make.TENANT)
    OrganisationRepository(tenant.demo.db).set_home_channel(team.id, home)
    await Year(TeamsDriver(tenant), tenant.demo, clock, language).walk()
