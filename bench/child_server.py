"""A bench's helper server in a process of its own: it prints its port, and it exits when the bench closes its stdin.

Both sides live here: the bench starts the child with `child_server`, the child serves with `serve_until_released`.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
from collections.abc import AsyncIterator, Mapping
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]


@contextlib.asynccontextmanager
async def child_server(module: str, *args: str, env: Mapping[str, str] | None = None) -> AsyncIterator[int]:
    """Run `python -m module args` and yield the port it listens on; stopped when the block ends."""
    process = subprocess.Popen(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=None if env is None else dict(env),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield int(await asyncio.to_thread(process.stdout.readline))
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(10)


async def serve_until_released(app: web.Application) -> None:
    """Serve on 127.0.0.1 at a free port, print the port, and stop when stdin closes (the bench ended or died)."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(runner.addresses[0][1], flush=True)
    await asyncio.to_thread(sys.stdin.read)
    await runner.cleanup()
