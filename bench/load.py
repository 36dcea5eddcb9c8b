"""Load generators for the interaction benches: open loop at a fixed offered rate, and closed loop at a concurrency."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass

Request = Callable[[int], Awaitable[int]]  # sends request number i, returns the HTTP status


@dataclass(frozen=True)
class Latencies:
    """What one run measured: each request's latency, and how many were answered with a status other than 2xx."""

    seconds: list[float]
    failed: int
    elapsed: float
    last_sent_at: float = 0.0  # time.perf_counter() when the last request was sent

    def percentile_ms(self, p: float) -> float:
        ordered = sorted(self.seconds)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return round(ordered[index] * 1000, 2)

    @property
    def median_ms(self) -> float:
        return round(statistics.median(self.seconds) * 1000, 2) if self.seconds else float("nan")

    @property
    def per_second(self) -> float:
        return round(len(self.seconds) / self.elapsed, 1) if self.elapsed > 0 else 0.0


async def _timed(request: Request, number: int, latencies: list[float], failures: list[int]) -> None:
    started = time.perf_counter()
    try:
        status = await request(number)
    except Exception:  # a refused or reset connection is a failed request, not a crashed bench
        status = 0
    latencies.append(time.perf_counter() - started)
    if not 200 <= status < 300:
        failures.append(number)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection in the load generator while it measures.

    The bench process also holds the fake platform, which keeps every call it got: tens of thousands of cards. A
    full collection of that heap stalls this process's loop for half a second, and every request then in flight
    would count the stall as the server's latency (the bare app's runs showed 547 ms spikes from it).
    """
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


async def open_loop(request: Request, count: int, per_second: float, first: int = 0) -> Latencies:
    """Start request i at i/per_second whatever the answers do (a slow server queues up, as real clicks would)."""
    latencies: list[float] = []
    failures: list[int] = []
    tasks = []
    with collector_paused():
        started = time.perf_counter()
        for i in range(count):
            delay = started + i / per_second - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(_timed(request, first + i, latencies, failures)))
        last_sent_at = time.perf_counter()
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    return Latencies(latencies, len(failures), elapsed, last_sent_at)


async def closed_loop(request: Request, count: int, concurrency: int, first: int = 0) -> Latencies:
    """`concurrency` clients, each sending its next request when its last was answered: the most it sustains."""
    latencies: list[float] = []
    failures: list[int] = []
    numbers = iter(range(first, first + count))

    async def client() -> None:
        for number in numbers:  # one shared iterator: every number is sent exactly once
            await _timed(request, number, latencies, failures)

    with collector_paused():
        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return Latencies(latencies, len(failures), elapsed, time.perf_counter())
