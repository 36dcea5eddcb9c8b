"""HTTP Retry-After as seconds to wait: a number of seconds or an HTTP date (RFC 9110 section 10.2.3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def retry_after_seconds(value: object, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> float | None:
    """Seconds from now; 0 for a date already past; None when the header is absent or unreadable."""
    text = str(value).strip() if value is not None else ""
    if not text:
        return None
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "GMT" parses as naive UTC
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now()).total_seconds())


# A 429 without a readable Retry-After still says "slow down": the outbox pauses the workspace this long.
RATE_LIMITED_DEFAULT_SECONDS = 1.0


def rate_limited_wait(value: object, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> float:
    """How long a rate-limit answer (429) asks us to wait: its Retry-After, or a second when it gives none readable."""
    seconds = retry_after_seconds(value, now)
    return RATE_LIMITED_DEFAULT_SECONDS if seconds is None else seconds
