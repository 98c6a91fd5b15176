"""The store for async code: the same operations, awaited, without blocking the event loop."""

from __future__ import annotations

import asyncio
import inspect
import sqlite3
import threading
from pathlib import Path

import pytest
from store_helpers import FakeClock, checklist

from pact_advisor.engine import Turn
from pact_advisor.store import AsyncStore, Store, StoreError


@pytest.fixture
def store(tmp_path: Path):
    store = AsyncStore(Store(tmp_path / "advisor.db", clock=FakeClock(), busy_timeout=0.5))
    yield store
    store.close()


def _operations(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_") and name != "close"
    }


def test_every_store_operation_has_an_awaitable_twin_with_the_same_arguments() -> None:
    sync, aio = _operations(Store), _operations(AsyncStore)
    assert set(aio) == set(sync)
    for name, signature in sync.items():
        assert inspect.iscoroutinefunction(getattr(AsyncStore, name)), name
        assert aio[name] == signature, name


async def test_awaited_operations_read_what_they_wrote(store: AsyncStore) -> None:
    run = await store.create_run(checklist(2), guild_id=1, channel_id=2, created_by=3)
    ticked = await store.set_tick(run.id, 1, ticked=True, user_id=4, user_name="ana")
    assert await store.get_run(run.id) == ticked
    await store.save_turn(7, Turn("q", ("a",)), channel_id=8)
    assert (await store.last_turn(8)).turn == Turn("q", ("a",))


async def test_operations_run_outside_the_event_loop_thread(tmp_path: Path) -> None:
    threads: list[threading.Thread] = []

    def clock() -> float:
        threads.append(threading.current_thread())
        return 0.0

    store = AsyncStore(Store(tmp_path / "advisor.db", clock=clock))
    threads.clear()
    try:
        await store.record_unanswered("q", [], user_id=1)
    finally:
        store.close()
    assert threads and threading.current_thread() not in threads


async def test_a_write_waiting_for_a_lock_leaves_the_event_loop_free(
    store: AsyncStore, tmp_path: Path
) -> None:
    run = await store.create_run(checklist(2), guild_id=1, channel_id=2, created_by=3)
    other = sqlite3.connect(tmp_path / "advisor.db", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    beats = 0

    async def heartbeat() -> None:
        nonlocal beats
        while True:
            await asyncio.sleep(0.01)
            beats += 1

    beating = asyncio.create_task(heartbeat())
    try:
        with pytest.raises(StoreError, match="locked"):
            await store.set_tick(run.id, 0, ticked=True, user_id=1, user_name="a")
    finally:
        beating.cancel()
        other.execute("ROLLBACK")
        other.close()
    assert beats >= 10  # the loop kept running through the half-second wait


async def test_errors_reach_the_awaiting_code_unchanged(store: AsyncStore) -> None:
    store.close()
    assert store.closed
    with pytest.raises(StoreError, match="closed"):
        await store.get_run(1)
