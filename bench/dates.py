"""Benchmark of parse_when: first call in a fresh process, warm per-call median, and plain dateparser beside it."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import dateparser  # type: ignore[import-untyped, unused-ignore]  # no py.typed in 1.5.0
from dateparser.date import DateDataParser  # type: ignore[import-untyped, unused-ignore]

from bench.repeats import REPEATS, spread
from bot.dates import parse_when
from tests.bot.test_dates_cases import DEV_TSV, PLANNING_TSV, Case, dev_cases, own_cases

ROOT = Path(__file__).resolve().parents[1]
FIRST_CALLS = {"fi": "huomenna klo 14", "sv": "i morgon kl 14", "en": "tomorrow at 2pm"}
FRESH_RUNS = 3  # per language
ROUNDS = 30  # every row this many times for the warm medians

# Run by a new interpreter: import and first parse are what a freshly started bot pays on its first message.
_FIRST_CALL = """
import sys, time
started = time.perf_counter()
from datetime import datetime
from zoneinfo import ZoneInfo
from bot.dates import parse_when
imported = time.perf_counter()
parse_when(sys.argv[2], now=datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Europe/Helsinki")), language=sys.argv[1])
print(imported - started, time.perf_counter() - imported)
"""

# Plain dateparser as aesthetics.md P14 recommends calling it: fixed language, aware, future-preferring.
_PLAIN_SETTINGS = {"PREFER_DATES_FROM": "future", "RETURN_AS_TIMEZONE_AWARE": True}
_ENGINE_SETTINGS = {
    "PREFER_DATES_FROM": "future",
    "DATE_ORDER": "DMY",
    "TIMEZONE": "UTC",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PARSERS": ["relative-time", "absolute-time"],
}
# The phrases our grammar hands to dateparser, to compare ways of calling it.
_PHRASES = {
    "fi": ["huomenna", "tiistai", "3 kuukauden päästä", "15. tammikuuta", "2 tunnin päästä"],
    "sv": ["i morgon", "tisdag", "om 3 månader", "15 januari", "om 2 timmar"],
    "en": ["tomorrow", "tuesday", "in 3 months", "january 15", "in 2 hours"],
}


def _first_calls(fresh_runs: int) -> dict[str, Any]:
    totals: dict[str, list[float]] = {}
    imports: list[float] = []
    for language, text in FIRST_CALLS.items():
        for _ in range(fresh_runs):
            output = subprocess.run(
                [sys.executable, "-c", _FIRST_CALL, language, text],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            imported, parsed = float(output[0]), float(output[1])
            totals.setdefault(language, []).append(imported + parsed)
            imports.append(imported)
    every = [value for values in totals.values() for value in values]
    return {
        "first_call_s": round(statistics.median(every), 3),
        "first_call_s_spread": spread(every),
        "first_call_max_s": round(max(every), 3),
        "first_call_import_s": round(statistics.median(imports), 3),
        "first_call_by_language_s": {language: round(statistics.median(v), 3) for language, v in totals.items()},
        "fresh_processes": len(every),
    }


def _timed(rounds: int, call: Callable[..., object], *args: Any) -> list[float]:
    """Seconds per call of `call(*args)`, after one untimed call that loads what it needs."""
    call(*args)
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        call(*args)
        samples.append(time.perf_counter() - started)
    return samples


def _ours(case: Case) -> str | None:
    when = parse_when(case.text, now=case.now, language=case.language)
    return None if when is None else when.isoformat(timespec="minutes")


def _plain(case: Case) -> str | None:
    settings = {**_PLAIN_SETTINGS, "TIMEZONE": str(case.now.tzinfo), "RELATIVE_BASE": case.now.replace(tzinfo=None)}
    when = dateparser.parse(case.text, languages=[case.language], settings=settings)
    return None if when is None else when.isoformat(timespec="minutes")


def _score(reader: Callable[[Case], str | None], cases: list[Case], rounds: int) -> dict[str, Any]:
    results = [reader(case) for case in cases]
    right = sum(result == case.expected for result, case in zip(results, cases, strict=True))
    same_day = sum(
        (result or "")[:10] == (case.expected or "")[:10] for result, case in zip(results, cases, strict=True)
    )
    samples = [sample for case in cases for sample in _timed(rounds, reader, case)]
    return {
        "correct": right,
        "total": len(cases),
        "right_day_any_time": same_day,
        "median_ms": round(statistics.median(samples) * 1000, 3),
    }


def _engines(rounds: int) -> dict[str, float]:
    """Ways to call dateparser on the phrases our grammar writes, median ms each.

    A parser reused for every call fixes RELATIVE_BASE; ours can be reused because its base is the local
    midnight (our phrases depend on the date alone), so it is rebuilt once a day rather than per call.
    """
    base = datetime(2026, 11, 23)
    settings = {**_ENGINE_SETTINGS, "RELATIVE_BASE": base}
    reused = {language: DateDataParser(languages=[language], settings=settings) for language in _PHRASES}

    def reused_parser(text: str, language: str) -> object:
        return reused[language].get_date_data(text)

    def parse_with_settings(text: str, language: str) -> object:
        return dateparser.parse(text, languages=[language], settings=settings)

    def new_parser(text: str, language: str) -> object:
        return DateDataParser(languages=[language], settings=settings).get_date_data(text)

    ways = {
        "reused_DateDataParser_per_language_and_day (ours)": reused_parser,
        "dateparser.parse_with_settings_dict": parse_with_settings,
        "new_DateDataParser_each_call": new_parser,
    }
    return {name: round(statistics.median(_samples(way, rounds)) * 1000, 3) for name, way in ways.items()}


def _samples(way: Callable[[str, str], object], rounds: int) -> list[float]:
    return [
        sample
        for language, phrases in _PHRASES.items()
        for text in phrases
        for sample in _timed(rounds * 3, way, text, language)
    ]


def _passes(per_case: list[list[float]], rounds: int) -> dict[str, Any]:
    """REPEATS passes over the rows (the rounds split in turn): the median of each pass's medians, and their spread."""
    samples = sorted(sample for timings in per_case for sample in timings)
    size = max(1, rounds // REPEATS)
    passes = [
        statistics.median(t * 1000 for timings in per_case for t in timings[n * size : (n + 1) * size])
        for n in range(REPEATS)
    ]
    return {
        "median_ms": round(statistics.median(passes), 3),
        "median_ms_spread": spread(passes),
        "p95_ms": round(samples[int(len(samples) * 0.95)] * 1000, 3),
        "max_ms": round(samples[-1] * 1000, 3),
        "calls_timed": len(samples),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.dates", description=__doc__)
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="timed calls of every row (a multiple of 5)")
    parser.add_argument("--fresh-runs", type=int, default=FRESH_RUNS, help="new processes per language")
    args = parser.parse_args(argv)
    rounds = args.rounds
    dev, planning, own = dev_cases(), dev_cases(PLANNING_TSV), own_cases()
    per_case = [_timed(rounds, _ours, case) for case in dev + planning + own]
    report: dict[str, Any] = {
        **_first_calls(args.fresh_runs),
        **_passes(per_case, rounds),
        "planning_phrases": _passes(per_case[len(dev) : len(dev) + len(planning)], rounds) if planning else {},
        "rows": {"when_dev": len(dev), "when_planning_dev": len(planning), "own_table": len(own)},
        "when_dev_tsv": str(DEV_TSV) if dev else f"missing: {DEV_TSV}",
        "when_planning_dev_tsv": str(PLANNING_TSV) if planning else f"missing: {PLANNING_TSV}",
        "comparison_on_when_dev": (
            {"plain_dateparser": _score(_plain, dev, rounds), "ours": _score(_ours, dev, rounds)} if dev else {}
        ),
        "comparison_on_when_planning_dev": (
            {"plain_dateparser": _score(_plain, planning, rounds), "ours": _score(_ours, planning, rounds)}
            if planning
            else {}
        ),
        "own_table": {"plain_dateparser": _score(_plain, own, rounds), "ours": _score(_ours, own, rounds)},
        "dateparser_call_styles_median_ms": _engines(rounds),
        "python": sys.version.split()[0],
        "dateparser": dateparser.__version__,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
