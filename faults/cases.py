"""The fault suite's cases (one line each: name, function, time bound) and how a fuzz case drives hypothesis."""

from __future__ import annotations

import importlib
import logging
import re
import sys
import traceback
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, Final, TypeVar

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.internal.conjecture import engine

T = TypeVar("T")

# What a case returns: how many inputs or events it went through, for the report line ("10000 cases");
# None when counting makes no sense (a process-level case that kills a replica once).
CaseResult = int | None
CaseFunction = Callable[[], CaseResult | Awaitable[CaseResult]]

DEFAULT_TIMEOUT: Final = 120.0
FUZZ_INPUTS: Final = 10_000  # per parser (issue 9); a slower, whole-conversation case may ask for fewer
# Inputs per hypothesis example. The engine's own work per example (its choice tree, mutations) costs several
# times the drawing of one payload, so 2,500 examples of 4 payloads each take a quarter of the time of 10,000
# single ones, with every payload drawn independently all the same.
BATCH: Final = 4
_SHOWN_INPUT = 300  # characters of a failing input in the one-line reason
# Hypothesis shrinks a failure for up to five minutes; slow inputs (deep YAML, HTTP requests) would then hit the
# case's timeout and lose the finding. After this long it reports the smallest input found so far.
SHRINK_SECONDS: Final = 30
# Python's default limit is 1000 frames, and a request reaches a parser some 100 deep: what is left is this.
FREE_FRAMES: Final = 900


class CaseFailed(AssertionError):
    """A case found what it guards against; its message is the one-line reason the runner prints."""


@dataclass(frozen=True)
class Case:
    """One fault case: it passes by returning, fails by raising, and may not outlive `timeout` seconds.

    `target` is the function itself or "module:function"; the string form is imported only in the case's own
    process, so listing a case costs nothing and each case starts from a clean interpreter state.
    """

    name: str
    target: str | CaseFunction
    timeout: float = DEFAULT_TIMEOUT

    def function(self) -> CaseFunction:
        if not isinstance(self.target, str):
            return self.target
        module_name, _, attribute = self.target.partition(":")
        found: CaseFunction = getattr(importlib.import_module(module_name), attribute)
        return found


# The suite, in the order it runs. To add a case, add a line.
CASES: Final[tuple[Case, ...]] = (
    Case("fuzz_slack_interactions", "faults.fuzz_slack:interaction_payloads"),
    Case("fuzz_slack_events", "faults.fuzz_slack:event_payloads"),
    Case("fuzz_slack_commands", "faults.fuzz_slack:command_forms"),
    Case("fuzz_slack_endpoint", "faults.fuzz_slack:endpoint"),
    Case("fuzz_teams_activities", "faults.fuzz_teams:activity_payloads"),
    Case("fuzz_teams_message_actions", "faults.fuzz_teams:message_actions"),
    Case("fuzz_dates", "faults.fuzz_dates:phrases"),
    Case("fuzz_org_yaml", "faults.fuzz_org_import:yaml_files"),
    Case("fuzz_org_csv", "faults.fuzz_org_import:csv_files"),
    Case("fuzz_org_records", "faults.fuzz_org_import:org_records"),
    Case("fuzz_command_parser", "faults.fuzz_commands:command_parser"),
    Case("fuzz_conversation", "faults.fuzz_commands:conversation"),
    # Process-level: real `tyhy serve` processes on loopback, each bounded well above its measured time.
    Case("replicas_leader_killed", "faults.case_replicas:leader_killed_halfway", 240),
    Case("postgres_outage", "faults.case_postgres_outage:outage_during_a_round", 180),
    Case("postgres_hangs", "faults.case_database_hang:accepts_and_never_answers", 120),
    Case("postgres_stalls_mid_query", "faults.case_database_hang:stalls_mid_query", 120),
    Case("slack_event_retries", "faults.case_slack_retries:retried_events_have_one_effect", 150),
    Case("teams_429_storm", "faults.case_teams_storm:delivered_after_a_429_storm", 150),
    Case("slack_429_interactions", "faults.case_slack_429:nothing_lost_or_doubled_in_a_429_storm", 150),
    Case("concurrent_answers_sqlite", "faults.case_concurrent_answers:on_sqlite", 150),
    Case("concurrent_answers_postgres", "faults.case_concurrent_answers:on_postgres", 150),
    Case("pending_answers_killed_sqlite", "faults.case_pending_answers:on_sqlite", 150),
    Case("pending_answers_killed_postgres", "faults.case_pending_answers:on_postgres", 150),
)


# --- Fuzzing ----------------------------------------------------------------------------------------------------


@contextmanager
def _free_frames(frames: int) -> Iterator[None]:
    """Give the check as many free frames as the bot has, however deep hypothesis itself is at the moment.

    Hypothesis raises the recursion limit to keep frames free for itself, and its depth differs between finding
    and replaying: without this, deep input would crash only sometimes, and never in the way it does in production.
    """
    depth = 0
    frame: FrameType | None = sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    saved = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + frames)
    try:
        yield
    finally:
        sys.setrecursionlimit(saved)


def fuzz(
    strategy: st.SearchStrategy[T], check: Callable[[T], None], inputs: int = FUZZ_INPUTS, batch: int = BATCH
) -> int:
    """Feed `inputs` generated values to `check`; how many it saw, or CaseFailed naming the smallest bad input.

    Hypothesis shrinks a failure before the last, reported run, so the input in the reason is the minimal one.
    Derandomized and without an example database: the same inputs every run, on any machine.
    """
    seen = 0

    def probe(values: list[T]) -> None:
        nonlocal seen
        for value in values:
            seen += 1
            try:
                with _free_frames(FREE_FRAMES):
                    check(value)
                continue
            except CaseFailed as failed:
                found: Exception = failed
            except Exception as error:  # any exception is the finding; its type and origin lead the reason
                found = error
            # Raised outside the except block, so the same finding always has the same origin: hypothesis would
            # otherwise call a RecursionError flaky because its innermost frame differs from run to run.
            raise CaseFailed(f"{described(found)} | input: {_shown(value)}")

    configured = settings(
        max_examples=-(-inputs // batch),
        deadline=None,
        database=None,
        derandomize=True,
        report_multiple_bugs=False,  # one clear finding, not an ExceptionGroup
        suppress_health_check=list(HealthCheck),  # big nested payloads are the point, not a slow-data smell
        print_blob=False,
    )
    # An internal of hypothesis' engine, read when shrinking starts; if a later version drops it, this does nothing.
    engine.MAX_SHRINKING_SECONDS = SHRINK_SECONDS
    configured(given(st.lists(strategy, min_size=batch, max_size=batch))(probe))()
    return seen


class LogWatch(logging.Handler):
    """Collects what some loggers say at `level` or above while in a `with` block: a logged error is a finding too."""

    def __init__(self, *names: str, level: int = logging.WARNING) -> None:
        super().__init__(level)
        self.loggers = [logging.getLogger(name) for name in names]
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def __enter__(self) -> LogWatch:
        for logger in self.loggers:
            logger.addHandler(self)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        for logger in self.loggers:
            logger.removeHandler(self)


_ROOT = Path(__file__).resolve().parents[1]


def described(error: BaseException) -> str:
    """The error, where it was raised (a library's file or ours) and the last line of ours on the way there."""
    if isinstance(error, CaseFailed):
        return str(error)
    innermost = ours = ""
    for frame, line in traceback.walk_tb(error.__traceback__):
        path = Path(frame.f_code.co_filename).resolve()
        if "site-packages" in path.parts:
            innermost = f"{'/'.join(path.parts[path.parts.index('site-packages') + 1 :])}:{line}"
        elif path.is_relative_to(_ROOT) and path.parts[len(_ROOT.parts)] != "faults":
            innermost = ours = f"{path.relative_to(_ROOT)}:{line}"
        else:
            innermost = f"{path.name}:{line}"  # the standard library
    where = f" in {innermost}" + (f" via {ours}" if ours and ours != innermost else "")
    return f"{type(error).__name__}: {error}{where if innermost else ''}"


_RUN = re.compile(r"(.)\1{15,}", re.DOTALL)


def _shown(value: object) -> str:
    """The input's repr with long runs of one character counted ("0…×131073…"), cut to fit one line."""
    shown = _RUN.sub(lambda run: f"{run[1]}…×{len(run[0])}…", repr(value))
    return shown if len(shown) <= _SHOWN_INPUT else shown[:_SHOWN_INPUT] + f"… ({len(shown)} chars)"


# Strategies the payload fuzzers share: JSON of every shape, and text that is hard for parsers.

# fmt: off
_AWKWARD = (
    "", " ", "\u00a0", "\x00", "\u200b", "\ufeff", "\r\n", "ä", "Å",
    "a\u0308",  # ä as a + combining diaeresis
    "👩‍👩‍👧", "\U0010ffff", "%s", "{0}", "{name}", "<", ">", "&amp;", "&#x0;",
    "<@U123>", "<at>", "</at>", "<@>", ";messageid=123", "null", "0", "-1", "1e309", "true",
)
# fmt: on


def huge_text() -> st.SearchStrategy[str]:
    """A short piece repeated into tens of kilobytes (generating such text directly would be slow)."""
    return st.builds(lambda piece, times: piece * times, st.text(min_size=1, max_size=4), st.integers(1_000, 25_000))


def messy_text(max_size: int = 60, *, huge: bool = True) -> st.SearchStrategy[str]:
    """Any text: plain, awkward pieces glued together, or (unless the parser is slow per character) huge."""
    glued = st.lists(st.one_of(st.sampled_from(_AWKWARD), st.text(max_size=8)), max_size=8).map("".join)
    return st.one_of(st.text(max_size=max_size), glued, *([huge_text()] if huge else []))


def short_text() -> st.SearchStrategy[str]:
    """A name, an id or a label: an awkward piece or a few characters (cheap to draw, for the many small fields)."""
    return st.one_of(st.sampled_from(_AWKWARD), st.text(max_size=10))


def scalars() -> st.SearchStrategy[Any]:
    """Every JSON scalar, and the odd values a decoder can still produce (huge ints, NaN)."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        messy_text(20),
    )


def junk() -> st.SearchStrategy[Any]:
    """Any JSON value: scalars, lists and objects nested a few deep."""
    return st.recursive(
        scalars(),
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
        max_leaves=8,
    )


# Values of the wrong type, for any field. A fixed set, because drawing a whole JSON tree for every field
# of a payload made generation the bottleneck; whole random trees still arrive through junk() at the top.
# fmt: off
WRONG_TYPES: Final[tuple[Any, ...]] = (
    None, True, False, 0, -1, 2**70, 1.5, float("nan"), float("inf"), "", [], {}, [None], ["x"], [{}],
    {"": None}, {"id": 1}, {"value": []},
)
# fmt: on


def either(*shaped: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A well-shaped value or a wrong one: another type where a string, a list or an object belongs."""
    return st.one_of(*shaped, st.sampled_from(WRONG_TYPES))


def shaped(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A payload-shaped object whose every key may be missing: parsers must cope with any subset."""
    return st.fixed_dictionaries({}, optional=fields)
