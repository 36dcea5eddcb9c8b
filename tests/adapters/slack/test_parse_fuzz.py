"""Fuzzing the Slack parsers: any JSON gives an event, None or SlackPayloadError; never KeyError or TypeError."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.slack.parse import (
    HomeOpened,
    SlackPayloadError,
    Uninstalled,
    event_id,
    parse_command,
    parse_event,
    parse_interaction,
)
from bot.events import ActionSubmitted, CommandText, Installed, MembersChanged

PAYLOADS = Path(__file__).resolve().parent / "payloads"
FIXTURES = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(PAYLOADS.glob("*.json"))}
INTERACTIONS = [body for name, body in FIXTURES.items() if not name.startswith(("event_", "slash_", "url_"))]
EVENTS = [body for name, body in FIXTURES.items() if name.startswith(("event_", "url_"))]
COMMANDS = [body for name, body in FIXTURES.items() if name.startswith("slash_")]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
TYPES = ["block_actions", "view_submission", "view_closed", "message_action", "shortcut", "event_callback"]
EVENT_TYPES = ["message", "app_mention", "member_joined_channel", "member_left_channel", "app_home_opened"]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a value inside a JSON document."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield (*prefix, key)
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield (*prefix, index)
            yield from _paths(inner, (*prefix, index))


@st.composite
def mutated(draw: st.DrawFn, bodies: list[dict[str, Any]]) -> dict[str, Any]:
    """A real payload with a few parts replaced by random JSON or removed."""
    body: dict[str, Any] = copy.deepcopy(draw(st.sampled_from(bodies)))
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(body))
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = body
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(json_values)
    return body


@st.composite
def shaped(draw: st.DrawFn) -> dict[str, Any]:
    """A dict with Slack's top-level keys and a known type, every other value random."""
    keys = ["user", "team", "actions", "container", "channel", "message", "state", "view", "callback_id", "event"]
    body: dict[str, Any] = draw(st.dictionaries(st.sampled_from(keys), json_values, max_size=6))
    body["type"] = draw(st.sampled_from(TYPES))
    if body["type"] == "event_callback" and draw(st.booleans()):
        event = draw(st.dictionaries(st.sampled_from(["user", "text", "channel", "channel_type", "tab"]), json_values))
        body["event"] = {**event, "type": draw(st.sampled_from(EVENT_TYPES))}
    return body


def _check(parse: Callable[[Any], object], body: Any) -> None:
    try:
        result = parse(body)
    except SlackPayloadError:
        return
    if result is None:
        return
    assert isinstance(result, ActionSubmitted | CommandText | Installed | MembersChanged | HomeOpened | Uninstalled)
    if isinstance(result, ActionSubmitted | CommandText):
        assert isinstance(result.sender.user_id, str) and result.sender.user_id
        assert all(isinstance(v, str) for v in (result.sender.workspace, result.sender.display_name))
    if isinstance(result, ActionSubmitted):
        assert result.action and isinstance(result.value, str)
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in result.form.items())
    if isinstance(result, CommandText):
        assert isinstance(result.text, str) and all(isinstance(u, str) for u in result.mentioned_user_ids)


FUZZ = settings(max_examples=300, deadline=None)


@FUZZ
@given(st.one_of(mutated(INTERACTIONS), shaped(), json_values))
def test_interactions_never_crash(body: Any) -> None:
    _check(parse_interaction, body)


@FUZZ
@given(st.one_of(mutated(EVENTS), shaped(), json_values))
def test_events_never_crash(body: Any) -> None:
    _check(parse_event, body)
    assert event_id(body) is None or isinstance(event_id(body), str)


@FUZZ
@given(st.one_of(mutated(COMMANDS), st.dictionaries(st.text(max_size=10), json_values), json_values))
def test_slash_commands_never_crash(form: Any) -> None:
    _check(parse_command, form)
