"""How fast `tyhy --help` answers, against importing every platform SDK eagerly (the cost lazy imports avoid)."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time

RUNS = 7
EAGER = "import slack_bolt, slack_sdk, botbuilder.core, sqlalchemy, aiohttp, apscheduler, dateparser"


def _seconds(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    """Print the median wall time of `tyhy --help` and of a bare interpreter and an eager import, side by side."""
    cases = {
        "python_startup_s": [sys.executable, "-c", "pass"],
        "tyhy_help_s": [sys.executable, "-m", "adapters.cli", "--help"],
        "eager_sdk_imports_s": [sys.executable, "-c", EAGER],
    }
    result = {name: round(statistics.median(_seconds(args) for _ in range(RUNS)), 3) for name, args in cases.items()}
    result["goal_tyhy_help_s"] = 0.5
    print(json.dumps(result))


if __name__ == "__main__":
    main()
