"""A whole year for Kotihoito in the console chat: results in, reviewed, chosen from, planned, followed, evaluated."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from adapters.console.render import render_message
from bot.messages import Buttons, Question, Reply, Select, TextInput
from bot.organisation import Member
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.fake_chat import FakeChat, Posted
from tests.bot.flows.year_scenario import SEEN, Year


class ConsoleDriver:
    """The in-memory chat, read as `tyhy chat` draws each message in the terminal."""

    def __init__(self, chat: FakeChat, demo: Demo) -> None:
        self.chat = chat
        self.demo = demo
        self.fresh: dict[str, list[Posted]] = {}  # per person: what reached them since they last did something

    async def say(self, member: Member, text: str) -> None:
        self.fresh[self._key(member)] = []
        self._keep(self.chat.say(member, text))

    async def press(
        self, member: Member, action: str, fields: Mapping[str, str] | None = None, *, value: str = ""
    ) -> None:
        inbox = reversed(self.chat.inbox(member))
        wanted = [(p, v) for p in inbox for a, v in _actions(p) if a == action and v.endswith(value)]
        assert wanted, f"{member.name} has no card with {action}:\n{await self.seen(member)}"
        on, value = wanted[0]
        self.fresh[self._key(member)] = []
        form = {**_initial(on), **(fields or {})}  # a card's inputs come with the press as they stand, as chats send
        self._keep(self.chat.press(member, action, value, on=on, form=form))

    async def deliver(self, reply: Reply) -> None:
        self._keep(self.chat.deliver(reply))

    async def seen(self, member: Member) -> str:
        return "\n".join(render_message(p.message).text for p in self.fresh.get(self._key(member), []))

    async def channel(self, member: Member) -> str:
        team = next(t for t in self.demo.org.teams if t.id in member.team_ids)
        return "\n".join(render_message(p.message).text for p in self.chat.channel(team))

    def _keep(self, posted: list[Posted]) -> None:
        for entry in posted:
            self.fresh.setdefault(entry.address.user_id or entry.address.channel_id, []).append(entry)

    @staticmethod
    def _key(member: Member) -> str:
        return str(member.id)


def _actions(posted: Posted) -> list[tuple[str, str]]:
    if posted.message.card is None:
        return []
    found: list[tuple[str, str]] = []
    for block in posted.card.blocks:
        if isinstance(block, Buttons):
            found += [(b.action, b.value) for b in block.buttons]
        elif isinstance(block, Question):
            found += [(block.action, c.value) for c in block.choices]
    return found


def _initial(posted: Posted) -> dict[str, str]:
    values: dict[str, str] = {}
    for block in posted.card.blocks:
        if isinstance(block, TextInput) and block.initial:
            values[block.id] = block.initial
        elif isinstance(block, Select) and block.selected:
            values[block.id] = ",".join(block.selected)
    return values


@pytest.mark.parametrize("language", sorted(SEEN))
async def test_a_whole_year_in_the_console_chat(chat: FakeChat, demo: Demo, clock: Clock, language: str) -> None:
    await Year(ConsoleDriver(chat, demo), demo, clock, language).walk()
