"""A button's value naming a stored row ("plan:7", "team:3"): written and read back in one way for every flow."""

from __future__ import annotations

from bot.errors import DomainError

MAX_ID_DIGITS = 12  # more is no id of ours: a forged value, refused before it reaches the database


def row_value(kind: str, row_id: int | None) -> str:
    """A button value pointing to a row: "team:3", "plan:7"."""
    if row_id is None:
        raise ValueError(f"a {kind} without an id cannot be pointed to")
    return f"{kind}:{row_id}"


def parse_row_value(value: str, kind: str, not_found: str) -> int:
    """The id in a "team:3" value of the expected kind; anything else is the flow's `not_found` error."""
    found, _, number = value.partition(":")
    if found != kind:
        raise DomainError(not_found)
    return row_id(number, not_found)


def row_id(number: str, not_found: str) -> int:
    """A row id as a button carries it: ASCII digits only, never a sign, a space or a very long number."""
    if not (number.isascii() and number.isdigit()) or len(number) > MAX_ID_DIGITS:
        raise DomainError(not_found)
    return int(number)
