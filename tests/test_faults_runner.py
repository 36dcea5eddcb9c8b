"""The fault suite's runner: a line per case, failures and timeouts counted, the summary line and exit code."""

from __future__ import annotations

import asyncio
import io
import os
import time

import pytest
from hypothesis import strategies as st

from faults.__main__ import main, run_case, run_cases
from faults.cases import CASES, Case, CaseFailed, fuzz


def passes() -> int:
    return 42


def fails() -> None:
    raise CaseFailed("the counts were off by one")


def crashes() -> None:
    raise KeyError("user")


def hangs() -> None:
    time.sleep(60)


async def passes_async() -> int:
    await asyncio.sleep(0)
    return 7


def dies() -> None:
    os._exit(3)  # as a segfault or a SIGKILL would: no report, no traceback


def finds_a_crash() -> int:
    def parse(text: str) -> None:
        if "}" in text:
            raise TypeError("unhashable brace")

    return fuzz(st.text(alphabet="ab}", max_size=5), parse, inputs=200)


def run(*cases: Case, argv: list[str] | None = None) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = main(argv or [], cases=cases, out=out)
    return code, out.getvalue().splitlines()


def test_a_passing_case_prints_pass_with_its_count_and_the_summary() -> None:
    code, lines = run(Case("counts", passes), Case("async_counts", passes_async))
    assert code == 0
    assert lines[0].startswith("PASS counts 42 cases ") and lines[0].endswith(" s")
    assert lines[1].startswith("PASS async_counts 7 cases ")
    assert lines[-1] == "2 passed, 0 failed"


def test_a_failing_case_is_reported_with_its_reason_and_counted() -> None:
    code, lines = run(Case("good", passes), Case("off_by_one", fails), Case("raw_error", crashes))
    assert code == 1
    assert lines[1].startswith("FAIL off_by_one ") and lines[1].endswith("CaseFailed: the counts were off by one")
    assert lines[2].startswith("FAIL raw_error ") and "KeyError: 'user'" in lines[2]
    assert lines[-1] == "1 passed, 2 failed"


def test_a_case_over_its_timeout_fails_and_the_suite_goes_on() -> None:
    code, lines = run(Case("stuck", hangs, timeout=0.5), Case("after", passes))
    assert code == 1
    assert lines[0].startswith("FAIL stuck ") and lines[0].endswith("timed out after 0.5 s")
    assert lines[1].startswith("PASS after ")
    assert lines[-1] == "1 passed, 1 failed"


def test_a_case_whose_process_dies_fails_with_its_exit_code() -> None:
    outcome = run_case(Case("dies", dies))
    assert not outcome.passed
    assert "exit code 3" in outcome.reason


def test_a_fuzz_finding_names_the_smallest_input() -> None:
    outcome = run_case(Case("finds", finds_a_crash))
    assert not outcome.passed
    assert "TypeError: unhashable brace" in outcome.reason
    assert outcome.reason.endswith("input: '}'")  # shrunk from whatever first failed


def test_only_runs_the_named_cases() -> None:
    code, lines = run(Case("one", passes), Case("two", fails), argv=["--only", "one"])
    assert code == 0
    assert [line.split()[1] for line in lines[:-1]] == ["one"]
    assert lines[-1] == "1 passed, 0 failed"


def test_only_with_an_unknown_name_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        run(Case("one", passes), argv=["--only", "nope"])
    assert exited.value.code == 2
    assert "no such case: nope" in capsys.readouterr().err


def test_the_summary_counts_every_case_once() -> None:
    out = io.StringIO()
    failed = run_cases([Case("a", passes), Case("b", fails), Case("c", passes)], out)
    assert failed == 1
    assert out.getvalue().splitlines()[-1] == "2 passed, 1 failed"


def test_the_suite_lists_each_fuzzed_parser_once_with_a_bounded_time() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
    fuzzed = {name for name in names if name.startswith("fuzz_")}
    assert {
        "fuzz_slack_events",
        "fuzz_teams_activities",
        "fuzz_dates",
        "fuzz_org_yaml",
        "fuzz_command_parser",
    } <= fuzzed
    assert all(0 < case.timeout <= 600 for case in CASES)
    assert all(case.function() for case in CASES if case.name in fuzzed)  # every target imports and exists
