"""Work a platform adapter starts after answering the platform's request: kept referenced, failures logged."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from bot.diagnosis import without_message

logger = logging.getLogger(__name__)


class AfterAnswer:
    """The tasks started after an answer; the loop would otherwise be free to drop an unreferenced task."""

    def __init__(self, platform: str) -> None:
        self.platform = platform
        self._tasks: set[asyncio.Task[Any]] = set()

    def start(self, work: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        error = None if task.cancelled() else task.exception()
        if error is not None:
            # The type and frames, never the text: an exception's text may quote what a person sent.
            logger.error("%s work failed: %s", self.platform, without_message(error))

    async def idle(self) -> None:
        """Wait until every task started so far, and any they started, is done (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
