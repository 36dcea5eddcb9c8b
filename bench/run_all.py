"""`make bench`: run every benchmark in its own process and write bench/results.md, each figure against its goal."""

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
        "bench.fanout",
        ("--members", "10000", "--postgres"),
        (
            Goal("unlimited_per_s", AT_LEAST, 1000, "≥ 1000/s"),
            Goal("limited_efficiency", AT_LEAST, 0.95, "≥ 0.95"),
            Goal("duplicates", AT_MOST, 0, "0"),
            Goal("lost", AT_MOST, 0, "0"),
            Goal("peak_rss_mb", AT_MOST, 250, "≤ 250 MB"),
            Goal("postgresql.unlimited_per_s", AT_LEAST, 1000, "≥ 1000/s"),
            Goal("postgresql.limited_efficiency", AT_LEAST, 0.95, "≥ 0.95"),
            Goal("postgresql.duplicates", AT_MOST, 0, "0"),
            Goal("postgresql.lost", AT_MOST, 0, "0"),
        ),
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
    Bench(
        "bench.slack_interaction",
        (),
        (
            Goal("ours_p99_ms", AT_MOST, 50, "≤ 50 ms"),
            Goal("throughput_ratio", AT_LEAST, 0.5, "≥ 0.5 of the bare app"),
            Goal("lost", AT_MOST, 0, "0"),
        ),
    ),
    Bench(
        "bench.teams_interaction",
        (),
        (
            Goal("ours_p99_ms", AT_MOST, 50, "≤ 50 ms"),
            Goal("throughput_ratio", AT_LEAST, 0.5, "≥ 0.5 of the bare bot"),
            Goal("lost", AT_MOST, 0, "0"),
        ),
    ),
)


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


def table(rows: Sequence[tuple[Bench, dict[str, Any] | None, str, float]]) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` on {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}. Every figure below comes from this one run.",
        "",
        "| bench | figure | measured | goal | met |",
        "|---|---|---|---|---|",
    ]
    for bench, result, problem, _ in rows:
        for goal in bench.goals:
            value = None if result is None else _figure(result, goal.key)
            if value is None:
                met, shown = "—", problem or "not reported"
            else:
                met = "yes" if goal.compare(float(value), goal.target) else "**no**"
                shown = str(value)
            lines.append(f"| `{bench.module}` | `{goal.key}` | {shown} | {goal.text} | {met} |")
    lines += ["", "Run times: " + ", ".join(f"`{b.module}` {s:.0f} s" for b, _, _, s in rows), ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    only = set(argv if argv is not None else sys.argv[1:])
    rows = []
    for bench in BENCHES:
        if only and bench.module not in only:
            continue
        print(f"running {bench.module} …", file=sys.stderr, flush=True)
        rows.append((bench, *run(bench)))
    RESULTS.write_text(table(rows))
    print(RESULTS.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
