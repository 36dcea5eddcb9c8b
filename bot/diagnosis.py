"""An exception told for diagnosis without its message: the type and where it was raised, never what it said.

An exception's text and arguments may quote what a person sent or answered, so a log line carries neither; the
traceback's frames (file, line, function) are code, and are what a developer needs to find a bug.
"""

from __future__ import annotations

import traceback

MAX_FRAMES = 12  # the innermost frames: where it went wrong, without a screenful of the event loop
PROJECT_FOLDERS = frozenset({"bot", "adapters", "scheduler", "storage", "tests", "faults", "bench"})


def without_message(error: BaseException) -> str:
    """ "KeyError at adapters/slack/port.py:91 in send <- …": the type and the frames, innermost first."""
    frames = traceback.extract_tb(error.__traceback__)[-MAX_FRAMES:]
    where = " <- ".join(f"{_short(frame.filename)}:{frame.lineno} in {frame.name}" for frame in reversed(frames))
    cause = error.__cause__ or error.__context__
    told = f"{type(error).__name__} at {where}" if where else type(error).__name__
    if cause is not None and cause is not error:
        told += f" (from {type(cause).__name__})"
    return told


def _short(filename: str) -> str:
    # From the project's top folder, or from a library's package; the machine's own folders say nothing useful.
    parts = filename.replace("\\", "/").split("/")
    if "site-packages" in parts:
        return "/".join(parts[len(parts) - parts[::-1].index("site-packages") :])
    tops = [index for index, part in enumerate(parts) if part in PROJECT_FOLDERS]
    return "/".join(parts[tops[0] :] if tops else parts[-2:])
