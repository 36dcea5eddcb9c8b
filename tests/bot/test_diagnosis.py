"""A logged exception names its type and frames, never its message or arguments."""

from __future__ import annotations

import pytest

from bot.diagnosis import without_message

SECRET = "Anna answered 1 to every question"


def inner(value: str) -> None:
    raise ValueError(SECRET, value)


def outer() -> None:
    try:
        inner(SECRET)
    except ValueError as error:
        raise RuntimeError(f"wrapped: {SECRET}") from error


def test_the_type_and_the_frames_are_told_the_message_and_arguments_never() -> None:
    with pytest.raises(RuntimeError) as raised:
        outer()
    told = without_message(raised.value)
    assert told.startswith("RuntimeError at ") and "test_diagnosis.py:" in told
    assert "in outer" in told and told.endswith("(from ValueError)")
    assert SECRET not in told and "wrapped" not in told


def test_the_innermost_frame_comes_first() -> None:
    with pytest.raises(ValueError) as raised:
        inner("x")
    assert without_message(raised.value).startswith("ValueError at ")
    assert without_message(raised.value).index("in inner") < without_message(raised.value).index("in test_")


def test_an_exception_never_raised_has_no_frames() -> None:
    assert without_message(KeyError(SECRET)) == "KeyError"
