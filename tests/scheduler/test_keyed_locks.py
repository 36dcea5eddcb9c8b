"""Per-key locks: holders of one key take turns in the order they asked; other keys run meanwhile; nothing is kept."""

from __future__ import annotations

import asyncio

from scheduler.keyed_locks import KeyedLocks


async def test_one_key_takes_turns_in_order_and_other_keys_do_not_wait() -> None:
    locks = KeyedLocks()
    events: list[str] = []
    release_first = asyncio.Event()

    async def first() -> None:
        async with locks.hold("anna"):
            events.append("anna 1 in")
            await release_first.wait()
            events.append("anna 1 out")

    async def later(name: str, key: str) -> None:
        async with locks.hold(key):
            events.append(f"{name} in")

    tasks = [asyncio.create_task(first())]
    await asyncio.sleep(0)
    tasks += [asyncio.create_task(later("anna 2", "anna")), asyncio.create_task(later("ahmed", "ahmed"))]
    await asyncio.sleep(0.01)
    assert events == ["anna 1 in", "ahmed in"]  # Ahmed's messages do not wait for Anna's
    release_first.set()
    await asyncio.gather(*tasks)
    assert events == ["anna 1 in", "ahmed in", "anna 1 out", "anna 2 in"]
    assert len(locks) == 0
