"""/healthz answers within a second from what it knows, also while the database accepts and never answers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.server.app import create_app
from storage.db import Database

BLOCKED_SECONDS = 0.5  # far below the 5 s a call on the loop would block, far above a busy machine's jitter


@pytest.fixture
async def silent_database() -> AsyncIterator[str]:
    """A PostgreSQL address whose 'server' accepts every connection and never says a word (a hung database)."""
    held: list[asyncio.StreamWriter] = []

    async def accept(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)  # kept open, never answered

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/test"
    finally:
        for writer in held:
            writer.close()
        server.close()


async def test_a_hanging_database_is_reported_unreachable_and_the_server_keeps_answering(
    silent_database: str, caplog: pytest.LogCaptureFixture
) -> None:
    db = Database(silent_database)
    app = create_app(db)
    # asyncio's debug mode logs every callback that holds the loop longer than this: a database call made on the
    # loop would hold it until the connection times out (5 s).
    loop = asyncio.get_running_loop()
    loop.set_debug(True)
    loop.slow_callback_duration = BLOCKED_SECONDS
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        # Two probes in a row: the second waits on the first's hanging question, it does not ask another.
        for _ in range(2):
            response = await client.get("/healthz")
            assert response.status == 503
            assert await response.json() == {"status": "unavailable", "database": "unreachable"}
    loop.set_debug(False)
    assert [r.getMessage() for r in caplog.records if r.name == "asyncio" and "took" in r.getMessage()] == []
    db.dispose()


async def test_a_reachable_database_is_reported_with_the_organisations_name(db: Database) -> None:
    async with TestClient(TestServer(create_app(db), host="127.0.0.1")) as client:
        response = await client.get("/healthz")
        assert response.status == 200
        body = await response.json()
        assert body == {"status": "ok", "database": db.dialect, "organisation": None}
