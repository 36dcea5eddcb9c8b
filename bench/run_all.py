"""`make bench`: run every benchmark in its own process and write bench/results.md, each figure against its goal.

`python -m bench.run_all bench.slack_interaction …` runs only the named benches; the rows of the others are kept
from the file as it was, under the line saying when they were measured.
"""

from __future__ import annotations

import json
import operator
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.md"


@dataclass(frozen=True)
class Goal:
    """One figure a bench prints (a key, or a dotted path into its JSON) and the goal it is held to."""

    key: str
    compare: Callable[[float, float], bool]
    target: float
    text: str  # the goal as the issue states it


AT_MOST, AT_LEAST = operator.le, operator.ge


@dataclass(frozen=True)
class Bench:
    module: str
    args: tuple[str, ...]
    goals: tuple[Goal, ...]
    timeout_s: float = 1800

    @property
    def label(self) -> str:
        return " ".join((self.module, *self.args))


# Both interaction benches, on SQLite with one server and on PostgreSQL with two replicas.
INTERACTION_GOALS = {
    bare: (
        Goal("ours_p99_ms", AT_MOST, 50, "≤ 50 ms at 200 clicks/s"),
        Goal("throughput_ratio", AT_LEAST, 0.5, f"≥ 0.5 of the bare {bare}"),
        Goal("finished_after_last_click_s", AT_MOST, 5, "≤ 5 s after the last of 30 s at 200 clicks/s"),
        Goal("lost", AT_MOST, 0, "0"),
    )
    for bare in ("app", "bot")
}

BENCHES: tuple[Bench, ...] = (
    Bench(
        "bench.dates",
        (),
        (
            Goal("first_call_s", AT_MOST, 0.5, "≤ 0.5 s"),
            Goal("median_ms", AT_MOST, 3.0, "≤ 3 ms"),
            Goal("planning_phrases.median_ms", AT_MOST, 3.0, "≤ 3 ms"),  # the same goal, when-planning-dev.tsv
        ),
    ),
    Bench("bench.cli", (), (Goal("tyhy_help_s", AT_MOST, 0.5, "≤ 0.5 s"),)),
    Bench(
        "bench.export",
        ("--teams", "1000"),
        (
            Goal("export_s", AT_MOST, 30, "≤ 30 s for 1,000 teams"),
            Goal("statements_growth", AT_MOST, 0, "0 (one pass: as many queries for 1,000 teams as for 100)"),
        ),
    ),
    Bench(
        "bench.fanout",
        ("--members", "10000", "--postgres"),
        (
            # Through the real server and its real ports, each platform's fake in its own process.
            Goal("slack.per_s", AT_LEAST, 200, "≥ 200/s through the real Slack port"),
            Goal("teams.per_s", AT_LEAST, 200, "≥ 200/s through the real Teams port"),
            Goal("slack.duplicates", AT_MOST, 0, "0"),
            Goal("slack.lost", AT_MOST, 0, "0"),
            Goal("teams.duplicates", AT_MOST, 0, "0"),
            Goal("teams.lost", AT_MOST, 0, "0"),
            Goal("peak_rss_mb", AT_MOST, 300, "≤ 300 MB: the server process with 10,000 members, a round going out"),
            # The outbox alone to a loopback port: what it can do, and how it paces itself under 429s.
            Goal("outbox_unlimited_per_s", AT_LEAST, 1000, "≥ 1000/s (the outbox alone)"),
            Goal("outbox_limited_efficiency", AT_LEAST, 0.95, "≥ 0.95 of the platform's rate"),
            Goal("outbox_duplicates", AT_MOST, 0, "0"),
            Goal("outbox_lost", AT_MOST, 0, "0"),
            Goal("postgresql.outbox_unlimited_per_s", AT_LEAST, 1000, "≥ 1000/s (the outbox alone)"),
            Goal("postgresql.outbox_limited_efficiency", AT_LEAST, 0.95, "≥ 0.95 of the platform's rate"),
            Goal("postgresql.outbox_duplicates", AT_MOST, 0, "0"),
            Goal("postgresql.outbox_lost", AT_MOST, 0, "0"),
        ),
        timeout_s=7200,
    ),
    Bench(
        "bench.outbox",
        (),
        (
            # The outbox alone, to an instant port: the bot is never the bottleneck (issue 5's 1,000/s).
            Goal("sqlite.1_worker_batch_50.drain_rows_per_s", AT_LEAST, 1000, "≥ 1000/s"),
            Goal("postgresql.1_worker_batch_50.drain_rows_per_s", AT_LEAST, 1000, "≥ 1000/s"),
        ),
    ),
    Bench("bench.slack_interaction", (), INTERACTION_GOALS["app"]),
    Bench("bench.slack_interaction", ("--postgres",), INTERACTION_GOALS["app"]),
    Bench("bench.teams_interaction", (), INTERACTION_GOALS["bot"]),
    Bench("bench.teams_interaction", ("--postgres",), INTERACTION_GOALS["bot"]),
)


def _spread(result: dict[str, Any], key: str) -> str:
    """The figure's spread as the bench printed it beside the median (`<key>_spread`), or why there is none."""
    found = _figure(result, f"{key}_spread")
    if not isinstance(found, dict) or found.get("min") is None:
        return "not reported"
    return f"{found['min']}–{found['max']} ({found['runs']} runs)"


def _figure(result: dict[str, Any], key: str) -> Any:
    value: Any = result
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def run(bench: Bench) -> tuple[dict[str, Any] | None, str, float]:
    """The bench's JSON (None when it failed or is missing), what went wrong, and how long it ran."""
    if not (ROOT / (bench.module.replace(".", "/") + ".py")).exists():
        return None, "not written yet", 0.0
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", bench.module, *bench.args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=bench.timeout_s,
        )
    except subprocess.TimeoutExpired:
        return None, f"timed out after {bench.timeout_s:.0f} s", time.perf_counter() - started
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        return None, (done.stderr.strip().splitlines() or ["failed"])[-1][:200], seconds
    try:
        return dict(json.loads(done.stdout)), "", seconds
    except ValueError:
        return None, "printed no JSON", seconds


def _load() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


_HEADER = ["| bench | figure | median | spread (min–max) | goal | met |", "|---|---|---|---|---|---|"]


def earlier_rows(text: str, rerun: set[str]) -> list[tuple[str, list[str]]]:
    """The rows of an earlier results.md whose bench did not run this time, each group under its "Measured" line."""
    groups: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("Measured "):
            groups.append((line, []))
        elif line.startswith("| `") and groups and line.split("`")[1] not in rerun:
            groups[-1][1].append(line)
    return [(measured, rows) for measured, rows in groups if rows]


def table(
    rows: Sequence[tuple[Bench, dict[str, Any] | None, str, float]],
    load_before: str,
    earlier: Sequence[tuple[str, list[str]]] = (),
    command: str = "make bench",
) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `{command}` on {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; load average (1 / 5 / 15 min) {load_before} before the run and "
        f"{_load()} after it.",
        "Every figure in the table below comes from this one run of the benches; each bench",
        "repeats its measurement (ours and the bare baseline taking turns) and reports the median, with the lowest",
        "and highest of its runs as the spread. A goal is met when the median meets it.",
        "",
        *_HEADER,
    ]
    for bench, result, problem, _ in rows:
        for goal in bench.goals:
            value = None if result is None else _figure(result, goal.key)
            if value is None or result is None:
                met, shown, spread = "—", problem or "not reported", "—"
            else:
                met = "yes" if goal.compare(float(value), goal.target) else "**no**"
                shown, spread = str(value), _spread(result, goal.key)
            lines.append(f"| `{bench.label}` | `{goal.key}` | {shown} | {spread} | {goal.text} | {met} |")
    lines += ["", "Run times: " + ", ".join(f"`{b.label}` {s:.0f} s" for b, _, _, s in rows), ""]
    if earlier:
        kept_note = "Kept from earlier runs, each under the line saying when it was measured."
        lines += ["## Not run this time", "", kept_note, ""]
        for measured, kept in earlier:
            lines += [measured, "", *_HEADER, *kept, ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    only = set(argv if argv is not None else sys.argv[1:])
    load_before = _load()  # a shared machine's load says how far to trust the figures
    rows = []
    for bench in BENCHES:
        if only and bench.module not in only:
            continue
        print(f"running {bench.module} …", file=sys.stderr, flush=True)
        rows.append((bench, *run(bench)))
    rerun = {bench.label for bench, *_ in rows}
    earlier = earlier_rows(RESULTS.read_text(), rerun) if only and RESULTS.exists() else []
    command = " ".join(("python -m bench.run_all", *sorted(only))) if only else "make bench"
    RESULTS.write_text(table(rows, load_before, earlier, command))
    print(RESULTS.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
