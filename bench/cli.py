"""How fast `tyhy --help` answers, against importing every platform SDK eagerly (the cost lazy imports avoid)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from bench.repeats import REPEATS, summarised

RUNS = max(7, REPEATS)
EAGER = "import slack_bolt, slack_sdk, botbuilder.core, sqlalchemy, aiohttp, apscheduler, dateparser"


def _seconds(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    """Print the wall time of `tyhy --help`, of a bare interpreter and of an eager import, taking turns each run,
    as medians with their spread."""
    cases = {
        "python_startup_s": [sys.executable, "-c", "pass"],
        "tyhy_help_s": [sys.executable, "-m", "adapters.cli", "--help"],
        "eager_sdk_imports_s": [sys.executable, "-c", EAGER],
    }
    parser = argparse.ArgumentParser(prog="python -m bench.cli", description=__doc__)
    parser.add_argument("--runs", type=int, default=RUNS)
    runs = parser.parse_args(argv).runs
    result = summarised({name: _seconds(args) for name, args in cases.items()} for _ in range(runs))
    result["goal_tyhy_help_s"] = 0.5
    print(json.dumps(result))


if __name__ == "__main__":
    main()
