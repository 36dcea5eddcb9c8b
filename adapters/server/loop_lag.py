"""How long the event loop was held: a timer that should fire every 20 ms, and how late it fired (for /metrics).

Everything the server answers runs on one event loop: while a callback holds it (a database call made on the loop,
a long computation), no platform gets its answer, whatever its deadline. Late is what the loop itself cost: the
time the loop's thread sat ready to run while the machine gave its CPUs to other processes is taken out (Linux
counts it per thread in /proc/thread-self/schedstat), so a busy machine does not pass for a blocked loop.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path

TICK_SECONDS = 0.02  # the resolution: a loop held for longer than this shows at most this much less
_SCHEDSTAT = Path("/proc/thread-self/schedstat")  # "<on CPU ns> <waiting for a CPU ns> <time slices>"


def runnable_wait_seconds() -> float:
    """Seconds this thread has spent ready to run but without a CPU, since it started (0 where unknown)."""
    try:
        return int(_SCHEDSTAT.read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


class LoopLagMonitor:
    """Runs beside the server's work and tells `observe` how long each tick was held past its time, in seconds."""

    def __init__(self, observe: Callable[[float], None], tick: float = TICK_SECONDS) -> None:
        self.observe = observe
        self.tick = tick
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._watch())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _watch(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            started, waited_before = loop.time(), runnable_wait_seconds()
            await asyncio.sleep(self.tick)
            late = loop.time() - started - self.tick
            held = max(0.0, late - (runnable_wait_seconds() - waited_before))
            self.observe(held)
