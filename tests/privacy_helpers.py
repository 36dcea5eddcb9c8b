"""Helpers for the privacy proof: answering through Slack, and everything the bot lets out cut into units."""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from aiohttp.test_utils import TestClient, TestServer
from openpyxl import load_workbook

from adapters.server.app import create_app
from adapters.server.log_format import TEXT_FORMAT, JsonFormatter
from adapters.server.runtime import BotRuntime
from adapters.web.dashboard.signin import issue_link, signing_secret
from bot.flows.pulse_rounds import PulseRounds
from bot.i18n import translate
from bot.messages import SentRef
from bot.organisation import Member
from bot.person import person_for
from bot.pulse import PulseRound
from storage.db import Database
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.pulse_repository import PulseRepository
from tests.adapters.slack_e2e.conftest import Workspace, slack_id
from tests.adapters.web.dashboard.page_helpers import open_link
from tests.bot.flows.conftest import Clock


@dataclass(frozen=True)
class Unit:
    """One thing a reader sees at once: a log line, a response, an export row, a message the bot sent."""

    source: str
    text: str
    cells: tuple[str, ...] = ()  # a spreadsheet row's cells, each as text


@dataclass(frozen=True)
class Identity:
    """What names one person: their name, e-mail, platform user ids and their member id."""

    name: str
    member_id: int
    user_ids: tuple[str, ...] = ()
    email: str | None = None

    def named_in(self, text: str) -> list[str]:
        """The identifiers of this person found in `text`; a bare number counts only next to a person word."""
        found = [value for value in (self.name, self.email, *self.user_ids) if value and value in text]
        first_name = self.name.split()[0]
        if len(first_name) > 3 and re.search(rf"\b{re.escape(first_name)}\b", text):
            found.append(first_name)
        # A member id is just a number; it names someone only as a member, user, person or author id.
        person_id = rf"(member|user|person|author|respondent|owner)[_ ]?(id)?\"?\s*[:=#]?\s*\"?{self.member_id}\b"
        if re.search(person_id, text, flags=re.IGNORECASE):
            found.append(f"member id {self.member_id}")
        return found


class LogCapture(logging.Handler):
    """Every record of every logger, kept as the lines both log formats would write."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def units(self, level: int = logging.NOTSET) -> list[Unit]:
        """Each record at `level` or above, once as a text line and once as a JSON line."""
        text, json_format = logging.Formatter(TEXT_FORMAT), JsonFormatter()
        units: list[Unit] = []
        for number, record in enumerate(self.records):
            if record.levelno < level:
                continue
            where = f"log record {number} ({record.name})"
            units.append(Unit(f"{where}, text format", text.format(record)))
            units.append(Unit(f"{where}, JSON format", json_format.format(record)))
        return units


async def fetch_as(db: Database, clock: Clock, member: Member, paths: Iterable[str]) -> dict[str, list[Unit]]:
    """Sign in as the member through a link and fetch each path from the server `tyhy serve` runs, cut into units."""
    app = create_app(db, BotRuntime(db, clock=clock, schedule=False))  # /healthz, /metrics and the dashboard
    fetched: dict[str, list[Unit]] = {}
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        # Sign-in links and sessions run on the wall clock; the pages follow the test's clock.
        link = urlsplit(issue_link(db, "http://127.0.0.1/", member.id, datetime.now(UTC), signing_secret(db)))
        assert (await open_link(client, f"{link.path}?{link.query}")).status == 303
        for path in paths:
            response = await client.get(path)
            assert response.status == 200, path
            body = await response.read()
            if path.endswith(".xlsx"):
                fetched[path] = xlsx_units(path, body)
            elif path.endswith(".csv"):
                fetched[path] = csv_units(path, body.decode("utf-8-sig"))
            else:
                fetched[path] = [Unit(path, body.decode())]
    return fetched


def csv_units(source: str, body: str) -> list[Unit]:
    """Each row of a CSV export, as one line of its cells."""
    delimiter = ";" if body.count(";") > body.count(",") else ","
    rows = csv.reader(io.StringIO(body), delimiter=delimiter)
    return [Unit(f"{source} row {n}", " | ".join(row), tuple(row)) for n, row in enumerate(rows, start=1)]


def xlsx_units(source: str, body: bytes) -> list[Unit]:
    """Each row of every sheet of a workbook, read back cell by cell with openpyxl."""
    workbook = load_workbook(io.BytesIO(body), read_only=True)
    units: list[Unit] = []
    for sheet in workbook.worksheets:
        units.append(Unit(f"{source} sheet {sheet.title!r} name", str(sheet.title)))
        for n, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = tuple("" if cell is None else str(cell) for cell in row)
            units.append(Unit(f"{source} sheet {sheet.title!r} row {n}", " | ".join(cells), cells))
    return units


def json_units(source: str, value: object) -> list[Unit]:
    """A JSON document whole, and each of its leaves with its path (so a list of people shows row by row)."""
    units = [Unit(source, json.dumps(value, ensure_ascii=False, default=str))]
    if isinstance(value, dict):
        for key, item in value.items():
            units.extend(json_units(f"{source}.{key}", item) if isinstance(item, (dict, list)) else [])
    elif isinstance(value, list):
        for n, item in enumerate(value):
            units.extend(json_units(f"{source}[{n}]", item) if isinstance(item, (dict, list)) else [])
    return units


def leaks(units: Iterable[Unit], person: Identity, secrets: Iterable[str]) -> Iterator[str]:
    """Each unit that names the person together with one of their secrets (answer values, comment), explained."""
    wanted = [s for s in secrets if s]
    for unit in units:
        together = [s for s in wanted if s in unit.text]
        if not together:
            continue
        names = person.named_in(unit.text)
        if names:
            yield f"{unit.source}: names {names} beside {together}: {unit.text[:300]!r}"


def containing(units: Iterable[Unit], needle: str) -> list[str]:
    """The sources of the units in which `needle` appears."""
    return [unit.source for unit in units if needle in unit.text]


# --- Answering through Slack, as a person does ------------------------------------------------------------------


async def open_round(world: Workspace, clock: Clock) -> tuple[PulseRound, dict[int, SentRef]]:
    """Open a round for every team now, as the scheduler would, and send each card as the outbox does."""
    directory = OrganisationRepository(world.demo.db)
    organisation = directory.get()
    assert organisation is not None
    rounds = PulseRounds(directory, PulseRepository(world.demo.db), PlanRepository(world.demo.db))
    pulse_round, reply = rounds.open_round(organisation, organisation.teams, clock.now + timedelta(days=7), clock.now)
    sent: dict[int, SentRef] = {}
    for card in reply.messages:
        ref = await world.port.send(card)
        if card.member_id is not None:
            sent[card.member_id] = ref
    return pulse_round, sent


def dm_of(member: Member) -> str:
    """The person's direct-message channel in the fake Slack: as much their identifier as their user id."""
    return "D" + slack_id(member).lstrip("U")


def answer_label(member: Member, world: Workspace, value: int) -> str:
    language = person_for(member, world.demo.org).language
    return translate(language, "likert.cant_say" if value == 0 else f"likert.{value}")


async def answer_on_slack(world: Workspace, member: Member, card: SentRef, values: list[int], comment: str) -> int:
    """Pick an answer to each question of the person's card, then Send with the comment typed in; how many asked.

    The picks stay in Slack until Send: they arrive in its payload's state.values, as Slack sends radio buttons.
    """
    blocks = _last_blocks(world, card)
    asked = [b for b in blocks if b["type"] == "input" and b["element"]["type"] == "radio_buttons"]
    assert len(values) >= len(asked), f"{member.name} was asked {len(asked)} questions"
    state: dict[str, Any] = {}
    for block, value in zip(asked, values, strict=False):
        label = answer_label(member, world, value)
        option = next(o for o in block["element"]["options"] if o["text"]["text"] == label)
        state[block["block_id"]] = {block["block_id"]: {"type": "radio_buttons", "selected_option": option}}
    state["comment"] = {"comment": {"type": "plain_text_input", "value": comment or None}}
    send = translate(person_for(member, world.demo.org).language, "pulse.send_button")
    block_id, button = next((b, e) for b, e in _buttons(blocks) if e["text"]["text"] == send)
    assert await world.interact(_action(member, card, block_id, button, state)) == 200
    return len(asked)


def _last_blocks(world: Workspace, card: SentRef) -> list[dict[str, Any]]:
    """The blocks of the card as it stands now: its latest post or redraw."""
    calls = [c for c in world.slack.calls if c.method in ("chat.postMessage", "chat.update")]
    body = next(c.body for c in reversed(calls) if c.body.get("channel") == card.channel_id)
    blocks = body["blocks"]
    return list(json.loads(blocks) if isinstance(blocks, str) else blocks)


def _buttons(blocks: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (str(block.get("block_id", "")), element)
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
        if element["type"] == "button"
    ]


def _action(
    member: Member, card: SentRef, block_id: str, button: dict[str, Any], state: dict[str, Any]
) -> dict[str, Any]:
    """A block_actions payload as Slack sends it when the person taps `button` on their card."""
    return {
        "type": "block_actions",
        "user": {"id": slack_id(member), "team_id": "T1", "name": member.name},
        "team": {"id": "T1"},
        "container": {"type": "message", "channel_id": card.channel_id, "message_ts": card.message_id},
        "channel": {"id": card.channel_id},
        "message": {"ts": card.message_id},
        "actions": [
            {"type": "button", "action_id": button["action_id"], "value": button.get("value", ""), "block_id": block_id}
        ],
        "state": {"values": state},
    }
