"""/metrics in Prometheus's text format: deliveries, the outbox queue, interaction latency, loop lag, who schedules."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from storage.job_run_repository import JobRunRepository
from storage.outbox_repository import OutboxRepository

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    """One registry per server (tests build several); names start with tyhy_. No label ever names a person."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.deliveries = Counter(
            "tyhy_deliveries",
            "Outbox deliveries by platform and outcome",
            ["platform", "outcome"],
            registry=self.registry,
        )
        self.interaction_seconds = Histogram(
            "tyhy_interaction_seconds",
            "Time from a platform's request to our answer to it",
            ["platform"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
            registry=self.registry,
        )
        # Past its time by more than 0.1 s: a platform's answer waited as long (the ones above are real trouble).
        self.loop_held_seconds = Histogram(
            "tyhy_event_loop_held_seconds",
            "How long past its time each 20 ms tick of the event loop ran, the machine's own delays taken out",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
            registry=self.registry,
        )
        self.leader = Gauge("tyhy_scheduler_leader", "1 on the replica that runs the calendar", registry=self.registry)

    # --- the outbox worker's observer ---------------------------------------------------------------------------

    def sent(self, platform: str) -> None:
        self.deliveries.labels(platform, "sent").inc()

    def retried(self, platform: str) -> None:
        self.deliveries.labels(platform, "retried").inc()

    def undeliverable(self, platform: str) -> None:
        self.deliveries.labels(platform, "undeliverable").inc()

    # --- read at scrape time ------------------------------------------------------------------------------------

    def watch_database(
        self, outbox: OutboxRepository, job_runs: JobRunRepository, clock: Callable[[], datetime]
    ) -> None:
        """Queue depth, the oldest waiting message's age and the last calendar job, read when scraped."""
        self.registry.register(_DatabaseCollector(outbox, job_runs, clock))

    def render(self) -> bytes:
        return generate_latest(self.registry)


class _DatabaseCollector(Collector):
    def __init__(self, outbox: OutboxRepository, job_runs: JobRunRepository, clock: Callable[[], datetime]) -> None:
        self.outbox = outbox
        self.job_runs = job_runs
        self.clock = clock

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = self.clock()
        yield GaugeMetricFamily("tyhy_outbox_depth", "Messages waiting to be sent", value=self.outbox.depth())
        age = self.outbox.oldest_pending_age(now)
        yield GaugeMetricFamily(
            "tyhy_outbox_oldest_age_seconds",
            "How long the oldest waiting message has waited (0 when none waits)",
            value=0.0 if age is None else age.total_seconds(),
        )
        last = self.job_runs.last_run()
        yield GaugeMetricFamily(
            "tyhy_calendar_last_run_timestamp_seconds",
            "When a calendar job last ran (Unix time; 0 before the first)",
            value=0.0 if last is None else last.timestamp(),
        )


def elapsed_since(started: float) -> float:
    """Seconds since a time.perf_counter() reading."""
    return time.perf_counter() - started
