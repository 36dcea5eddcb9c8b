"""Whether a signed request has the shape bolt indexes into: bolt trusts Slack's shapes and ends in a 500 otherwise.

Only a holder of the signing secret can send such a request, but the answer to it is still a clear 400.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_LISTS_OF_OBJECTS = ("actions", "authorizations")  # bolt reads element 0 of each when present
_OBJECTS = ("event", "view", "user", "team", "channel", "container", "message", "enterprise")


def bolt_can_read(body: object) -> bool:
    """True when the parsed body is an object whose parts bolt reads blindly have the types Slack sends."""
    if not isinstance(body, Mapping):
        return False
    for key in _LISTS_OF_OBJECTS:
        if key in body and not _non_empty_objects(body[key]):
            return False
    if body.get("type") in ("block_actions", "interactive_message") and "actions" not in body:
        return False
    if body.get("type") in ("view_submission", "view_closed") and not _typed_view(body.get("view")):
        return False  # bolt reads view["type"] of every submission to tell a workflow step's save apart
    if body.get("type") == "workflow_step_edit" and not isinstance(body.get("workflow_step"), Mapping):
        return False
    urls = body.get("response_urls", [])  # a view submission's; often empty
    if not isinstance(urls, list) or not all(isinstance(url, Mapping) for url in urls):
        return False
    for key in _OBJECTS:
        if key in body and body[key] is not None and not isinstance(body[key], Mapping):
            return False
    event = body.get("event")
    if "event" in body and not isinstance(event, Mapping):
        return False
    if isinstance(event, Mapping):
        for key in ("message", "previous_message", "item"):
            if key in event and not isinstance(event[key], Mapping):
                return False
    return True


def _typed_view(view: Any) -> bool:
    return isinstance(view, Mapping) and isinstance(view.get("type"), str)


def _non_empty_objects(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, Mapping) for item in value)
