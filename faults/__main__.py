"""The fault suite's runner: `python -m faults [--only NAME]`, one line per case, a summary, exit 1 on any failure."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import inspect
import multiprocessing
import os
import signal
import sys
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TextIO

from faults.cases import CASES, Case, CaseResult

_REASON_LENGTH = 400  # a reason is one line of the report; the whole input goes to stderr


@dataclass(frozen=True)
class Outcome:
    """How one case ended."""

    name: str
    passed: bool
    count: int | None
    seconds: float
    reason: str = ""

    def line(self) -> str:
        counted = f" {self.count} cases" if self.count is not None else ""
        if self.passed:
            return f"PASS {self.name}{counted} {self.seconds:.1f} s"
        return f"FAIL {self.name} {self.seconds:.1f} s {self.reason}"


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _REASON_LENGTH else flat[: _REASON_LENGTH - 1] + "…"


def _child(case: Case, sender: Connection) -> None:
    """Run the case in its own process group, so a timeout can end it together with anything it started.

    What the case prints (hypothesis' falsifying example, tracebacks, servers' logs) goes to stderr: stdout
    is the report, one line per case.
    """
    os.setsid()
    sys.stdout.flush()
    os.dup2(2, 1)
    try:
        result = case.function()()
        if inspect.isawaitable(result):
            result = asyncio.run(_awaited(result))
        sender.send(("ok", result if isinstance(result, int) else None))
    except BaseException as error:  # the case's failure is the report, whatever its type
        traceback.print_exc(file=sys.stderr)
        sender.send(("fail", f"{type(error).__name__}: {error}"))
    finally:
        sender.close()


async def _awaited(awaitable: object) -> CaseResult:
    result = await awaitable  # type: ignore[misc]  # checked awaitable by the caller
    return result if isinstance(result, int) else None


def _end_group(process: multiprocessing.process.BaseProcess) -> None:
    """Kill the case and every process it started (they share its process group, led by the case)."""
    if process.pid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.join(5)


def run_case(case: Case) -> Outcome:
    """Run one case in a fresh forked process, bounded by its timeout."""
    context = multiprocessing.get_context("fork")  # fork: cases defined anywhere (tests too) need no pickling
    receiver, sender = context.Pipe(duplex=False)
    started = time.monotonic()
    process = context.Process(target=_child, args=(case, sender), name=f"fault-{case.name}")
    process.start()
    sender.close()
    try:
        if not receiver.poll(case.timeout):
            _end_group(process)
            return Outcome(case.name, False, None, time.monotonic() - started, f"timed out after {case.timeout:g} s")
        try:
            status, detail = receiver.recv()
        except EOFError:  # the process died without a word: a crash of the interpreter or a kill
            _end_group(process)
            reason = f"the case's process ended with exit code {process.exitcode} before reporting"
            return Outcome(case.name, False, None, time.monotonic() - started, reason)
    except BaseException:  # the runner itself was stopped (Ctrl-C, SIGTERM): leave no case running
        _end_group(process)
        raise
    finally:
        receiver.close()
    process.join(5)
    _end_group(process)  # whatever the case started and left behind (a server replica) goes with it
    seconds = time.monotonic() - started
    if status == "ok":
        return Outcome(case.name, True, detail, seconds)
    return Outcome(case.name, False, None, seconds, _one_line(str(detail)))


def run_cases(cases: Sequence[Case], out: TextIO) -> int:
    """Run every case, print a line for each and the summary; the number that failed."""
    failed = 0
    for case in cases:
        outcome = run_case(case)
        failed += not outcome.passed
        print(outcome.line(), file=out, flush=True)
    print(f"{len(cases) - failed} passed, {failed} failed", file=out, flush=True)
    return failed


def _stop(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through run_case, which ends the running case's process group


def main(argv: Sequence[str] | None = None, cases: Sequence[Case] = CASES, out: TextIO = sys.stdout) -> int:
    parser = argparse.ArgumentParser(prog="python -m faults", description="Run the fault suite.")
    parser.add_argument("--only", action="append", metavar="NAME", help="run only this case (may be repeated)")
    parser.add_argument("--list", action="store_true", help="list the cases and their time bounds")
    arguments = parser.parse_args(argv)
    if arguments.list:
        for listed in cases:
            print(f"{listed.name} {listed.timeout:g} s", file=out)
        return 0
    chosen = list(cases)
    if arguments.only:
        known = {listed.name for listed in cases}
        unknown = [name for name in arguments.only if name not in known]
        if unknown:
            parser.error(f"no such case: {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        chosen = [listed for listed in cases if listed.name in arguments.only]
    return 1 if run_cases(chosen, out) else 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop)
    sys.exit(main())
