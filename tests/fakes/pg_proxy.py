"""A TCP proxy on loopback in front of PostgreSQL that can cut the database off, or make it hang.

`cut()`: nothing listens and every connection is reset (the server is gone). `hang()`: connections are still
accepted, but no byte goes either way (the server, or a network box, stopped answering). `stall_mid_query()`: the
next query reaches PostgreSQL and then everything stops, its answer included. `resume()` lets every held byte go.
With `latency`, each answer from PostgreSQL is held that long: a database farther away.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from sqlalchemy.engine import make_url

# The first byte of a frontend message that starts a query: simple Query, or Parse of the extended protocol.
_QUERY_STARTS = (ord("Q"), ord("P"))


class PostgresProxy:
    """Forwards 127.0.0.1:`port` to PostgreSQL until told to cut or to hang."""

    def __init__(self, upstream_host: str, upstream_port: int, latency: float = 0.0) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.latency = latency
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._flowing = asyncio.Event()  # cleared: every pump holds what it read, and reads no more
        self._flowing.set()
        self._stall_armed = False
        self.stalled = asyncio.Event()  # set when a stall_mid_query() caught a query in flight

    async def listen(self) -> None:
        # The same port again after a cut: the server's URL names it. reuse_address for the TIME_WAIT sockets.
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port, reuse_address=True)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def cut(self) -> None:
        """Nothing listens (a connect is refused at once) and every open connection is reset."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    def hang(self) -> None:
        """From now on connections are accepted and nothing is answered: a database that hangs."""
        self._flowing.clear()

    async def stall_mid_query(self) -> None:
        """Let the next query through to PostgreSQL, then hang with its answer held; returns once that happened."""
        self.stalled.clear()
        self._stall_armed = True
        await self.stalled.wait()

    def resume(self) -> None:
        """Everything held goes on, in order, and the proxy forwards again."""
        self._stall_armed = False
        self._flowing.set()

    async def _accept(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_writer.transport.abort()
            return
        pair = (client_writer, upstream_writer)
        self._writers.update(pair)
        await asyncio.gather(
            self._pump(client_reader, upstream_writer, from_client=True),
            self._pump(upstream_reader, client_writer, from_client=False),
        )
        for writer in pair:
            self._writers.discard(writer)
            writer.transport.abort()

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, from_client: bool) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while data := await reader.read(65536):
                await self._flowing.wait()  # while hanging, the bytes wait here and the rest in the kernel
                if self.latency and not from_client:
                    await asyncio.sleep(self.latency)
                writer.write(data)
                await writer.drain()
                if from_client and self._stall_armed and data[0] in _QUERY_STARTS:
                    self._stall_armed = False
                    self._flowing.clear()  # the query is at PostgreSQL; its answer, and all else, is held
                    self.stalled.set()
        writer.transport.abort()  # one side gone: the other goes too, as a real network failure would


@contextlib.asynccontextmanager
async def proxied(url: str, latency: float = 0.0) -> AsyncIterator[tuple[PostgresProxy, str]]:
    """The proxy, listening, and the database URL that goes through it."""
    parsed = make_url(url)
    proxy = PostgresProxy(parsed.host or "127.0.0.1", parsed.port or 5432, latency)
    await proxy.listen()
    try:
        yield proxy, parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    finally:
        proxy.resume()
        await proxy.cut()
