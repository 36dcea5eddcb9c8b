"""A whole year for Kotihoito in Slack: slash commands, Block Kit buttons and modals, through the real SDK."""

from __future__ import annotations

import html
import itertools
import json
import re
import urllib.parse
from collections.abc import Mapping
from typing import Any

import pytest

from bot.messages import Reply
from bot.organisation import HomeChannel, Member, Platform
from storage.org_repository import OrganisationRepository
from tests.adapters.slack_e2e.conftest import Workspace, signed, slack_id
from tests.bot.flows.conftest import Clock
from tests.bot.flows.year_scenario import Year

Json = dict[str, Any]
CHANNEL = "C0KOTI"  # Kotihoito's Slack channel
_EMPHASIS = re.compile(r"(?<!\w)[*_~]([^*_~\n]+)[*_~](?!\w)")  # mrkdwn's *bold*, _italic_, ~strike~


def dm(member: Member) -> str:
    return "D" + slack_id(member).lstrip("U")


class SlackDriver:
    """People in their Slack DMs: `/tyhy` commands, button clicks with the message's inputs, modal submissions."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.read: dict[str, int] = {}  # per DM: the calls already seen when its person last did something
        self._keys = itertools.count(1)

    async def say(self, member: Member, text: str) -> None:
        self._acted(member)
        assert await self.workspace.command(member, text, channel=dm(member)) == 200

    async def press(
        self, member: Member, action: str, fields: Mapping[str, str] | None = None, *, value: str = ""
    ) -> None:
        surface = self._surface_with(member, action, value)
        assert surface is not None, f"{member.name} has no message or modal with {action}:\n{await self.seen(member)}"
        self._acted(member)
        kind, body, ts = surface
        if kind == "view":
            payload: Json = {
                "type": "view_submission",
                "team": {"id": "T1"},
                "user": self._user(member),
                "api_app_id": "A1",
                "view": {**body, "id": "V1", "team_id": "T1", "state": {"values": _state(body["blocks"], fields)}},
            }
        else:
            element = next(e for e in _buttons(body) if _named(e, action, value))
            payload = {
                "type": "block_actions",
                "user": self._user(member),
                "team": {"id": "T1"},
                "api_app_id": "A1",
                "trigger_id": "12345.98765.abcd",
                "container": {"type": "message", "message_ts": ts, "channel_id": dm(member), "is_ephemeral": False},
                "channel": {"id": dm(member), "name": "directmessage"},
                "message": {"ts": ts, "text": body.get("text", ""), "blocks": body["blocks"]},
                "actions": [{**element, "block_id": "b1", "action_ts": "1700000001.000001"}],
                "state": {"values": _state(body["blocks"], fields)},
            }
        encoded = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(encoded)}
        async with self.workspace.http.post(self.workspace.url, data=encoded, headers=headers) as response:
            assert response.status == 200, await response.text()
        await self.workspace.settled()

    async def deliver(self, reply: Reply) -> None:
        self.workspace.outbox.enqueue((f"year-{next(self._keys)}", message) for message in reply.messages)
        await self.workspace.settled()

    async def seen(self, member: Member) -> str:
        start = self.read.get(dm(member), 0)
        shown: list[str] = []
        for call in self.workspace.slack.calls[start:]:
            if call.method in ("chat.postMessage", "chat.update") and call.body.get("channel") == dm(member):
                shown.append(_text(call.body.get("blocks") or [{"type": "section", "text": call.body["text"]}]))
            elif call.method == "views.open" and call.answer.get("ok"):
                shown.append(_text(call.body["view"]["blocks"]))  # a modal opened for whoever clicked last
        return "\n".join(shown)

    async def channel(self, member: Member) -> str:
        del member  # every member of Kotihoito reads the same channel
        posts = [c for c in self.workspace.slack.calls if c.method == "chat.postMessage" and c.answer.get("ok")]
        return "\n".join(_text(c.body.get("blocks") or []) for c in posts if c.body.get("channel") == CHANNEL)

    def _acted(self, member: Member) -> None:
        self.read[dm(member)] = len(self.workspace.slack.calls)

    def _surface_with(self, member: Member, action: str, value: str) -> tuple[str, Json, str] | None:
        """The newest message in the member's DM (as last drawn) or modal opened for them that has the action."""
        messages: dict[str, Json] = {}
        surfaces: list[tuple[str, Json, str]] = []
        for call in self.workspace.slack.calls:
            if call.method == "chat.postMessage" and call.body.get("channel") == dm(member):
                messages[call.answer["ts"]] = call.body
                surfaces.append(("message", call.body, call.answer["ts"]))
            elif call.method == "chat.update" and call.body.get("channel") == dm(member):
                messages[call.body["ts"]] = call.body
                surfaces.append(("message", call.body, call.body["ts"]))
            elif call.method == "views.open":
                surfaces.append(("view", call.body["view"], ""))
        for kind, body, ts in reversed(surfaces):
            if kind == "view" and body.get("callback_id") == action:
                return kind, body, ts
            if kind == "message" and messages[ts] is body and any(_named(e, action, value) for e in _buttons(body)):
                return kind, body, ts
        return None

    @staticmethod
    def _user(member: Member) -> Json:
        return {"id": slack_id(member), "username": member.name, "team_id": "T1"}


def _buttons(body: Json) -> list[Json]:
    return [e for b in body.get("blocks", []) if b["type"] == "actions" for e in b["elements"] if e["type"] == "button"]


def _named(element: Json, action: str, value: str) -> bool:
    return str(element["action_id"]).split(":", 1)[0] == action and str(element.get("value", "")).endswith(value)


def _state(blocks: list[Json], fields: Mapping[str, str] | None) -> Json:
    """state.values as Slack sends them: every input as it stands, the typed and picked ones changed."""
    typed = fields or {}
    values: Json = {}
    for block in blocks:
        element = block.get("element")
        if block["type"] != "input" or not isinstance(element, dict):
            continue
        block_id, kind = str(block["block_id"]), element["type"]
        options = {o["value"]: o for o in element.get("options", [])}
        if kind == "plain_text_input":
            state: Json = {"value": typed.get(block_id, element.get("initial_value"))}
        elif kind == "multi_static_select":
            picked = typed[block_id].split(",") if block_id in typed else None
            chosen = [options[v] for v in picked] if picked is not None else element.get("initial_options", [])
            state = {"selected_options": chosen}
        else:
            state = {
                "selected_option": options[typed[block_id]] if block_id in typed else element.get("initial_option")
            }
        values[block_id] = {element["action_id"]: {"type": kind, **state}}
    return values


def _text(blocks: list[Json]) -> str:
    """What Slack shows of the blocks, as plain lines: mrkdwn's marks and escapes read as the person reads them."""
    lines: list[str] = []

    def add(text: str) -> None:
        lines.append(html.unescape(_EMPHASIS.sub(r"\1", text)))

    for block in blocks:
        if block["type"] in ("header", "section", "context"):
            for part in [block.get("text"), *block.get("fields", []), *block.get("elements", [])]:
                if isinstance(part, dict) and part.get("text"):
                    label, _, rest = str(part["text"]).partition("\n")
                    # A fact is drawn as a bold label over its value: it reads "label: value".
                    add(f"{label}: {rest}" if part in block.get("fields", []) and rest else str(part["text"]))
        elif block["type"] == "input":
            add(str(block["label"]["text"]))
        elif block["type"] == "actions":
            add(" | ".join(str(e["text"]["text"]) for e in block["elements"] if "text" in e))
    return "\n".join(lines)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
async def test_a_whole_year_in_slack(workspace: Workspace, clock: Clock, language: str) -> None:
    team = workspace.demo.team("kotihoito")  # the team's Slack channel, where the tally and the chosen go
    OrganisationRepository(workspace.demo.db).set_home_channel(team.id, HomeChannel(Platform.SLACK, CHANNEL, "T1"))
    await Year(SlackDriver(workspace), workspace.demo, clock, language).walk()
