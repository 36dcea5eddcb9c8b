"""A `tyhy serve` process for tests: started with its own environment, watched through /healthz, killed at will."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServerProcess:
    """One replica of the bot; its output goes to a log file so a failing test can show it."""

    def __init__(self, env: dict[str, str], log: Path, args: Sequence[str] = ()) -> None:
        self.port = free_port()
        self.env = {**os.environ, **env}
        self.args = tuple(args)  # more of `tyhy serve`'s options, such as --local-chat
        self.log_path = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ServerProcess:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "adapters.cli", "serve", "--port", str(self.port), *self.args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        return self

    def health(self) -> dict[str, Any] | None:
        """The /healthz answer, or None while the server is not answering."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as response:
                return dict(json.loads(response.read()))
        except OSError:
            return None

    async def wait_until(self, condition: str, timeout: float = 30.0) -> float:
        """Wait until /healthz says `condition` ("up" or "scheduling"); returns the seconds it took."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            self._check_alive()
            health = await asyncio.to_thread(self.health)
            if health is not None and (condition == "up" or health.get(condition)):
                return time.monotonic() - started
            await asyncio.sleep(0.2)
        raise AssertionError(f"the server did not become {condition} in {timeout} s:\n{self.output()}")

    def kill(self) -> None:
        """SIGKILL: no cleanup, no lock released, nothing flushed."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        """A clean stop (SIGTERM), if still running."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""

    def _check_alive(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"the server exited with {self.process.returncode}:\n{self.output()}")
