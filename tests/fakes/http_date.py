"""An HTTP date some seconds from now, as a platform may send it in Retry-After (RFC 9110 section 10.2.3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime


def http_date(seconds_from_now: float) -> str:
    """E.g. "Wed, 02 Dec 2026 08:00:03 GMT"; whole seconds, as the format has no finer ones."""
    return format_datetime(datetime.now(UTC) + timedelta(seconds=seconds_from_now), usegmt=True)
