"""The store for async code: the same operations, each run in a worker thread.

A write may wait up to the busy timeout for a lock held by another program; in a worker
thread that wait never blocks the event loop (and with it, a bot's gateway). Calls still
go through the one :class:`Store` and its lock, one at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import ParamSpec, TypeVar

from pact_advisor.checklists import Checklist
from pact_advisor.engine import Turn
from pact_advisor.store.channel import AsyncChannelRecords
from pact_advisor.store.plans import Change, Place
from pact_advisor.store.records import Digest, Event, Report, Run, TurnRecord
from pact_advisor.store.store import Store

P = ParamSpec("P")
T = TypeVar("T")


class AsyncStore(AsyncChannelRecords):
    """Awaitable twins of :class:`Store`'s operations, same names and arguments.

    ``sync`` is the wrapped store, for code already off the event loop.
    """

    def __init__(self, store: Store) -> None:
        self.sync = store

    async def _call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await asyncio.to_thread(fn, *args, **kwargs)

    @property
    def path(self) -> str:
        return self.sync.path

    @property
    def closed(self) -> bool:
        return self.sync.closed

    def close(self) -> None:
        """Close the store (at once: it waits only for a call in progress)."""
        self.sync.close()

    def __repr__(self) -> str:
        return f"AsyncStore({self.sync!r})"

    async def schema_versions(self) -> list[int]:
        return await self._call(self.sync.schema_versions)

    async def create_run(
        self,
        checklist: Checklist,
        *,
        guild_id: int | None,
        channel_id: int | None,
        created_by: int,
        created_by_name: str | None = None,
        guidance_version: str | None = None,
        context_note: str | None = None,
    ) -> Run:
        return await self._call(
            self.sync.create_run,
            checklist,
            guild_id=guild_id,
            channel_id=channel_id,
            created_by=created_by,
            created_by_name=created_by_name,
            guidance_version=guidance_version,
            context_note=context_note,
        )

    async def change_run(
        self,
        run_id: int,
        changes: Sequence[Change],
        *,
        user_id: int,
        user_name: str,
        place: Place | None = None,
    ) -> Run:
        return await self._call(
            self.sync.change_run,
            run_id,
            changes,
            user_id=user_id,
            user_name=user_name,
            place=place,
        )

    async def run_events(self, run_id: int) -> list[Event]:
        return await self._call(self.sync.run_events, run_id)

    async def list_runs(
        self, *, guild_id: int | None = None, channel_id: int | None = None
    ) -> list[Run]:
        return await self._call(self.sync.list_runs, guild_id=guild_id, channel_id=channel_id)

    async def set_run_message(self, run_id: int, message_id: int) -> None:
        await self._call(self.sync.set_run_message, run_id, message_id)

    async def set_digest(self, guild_id: int, channel_id: int, at_time: str, *, by: int) -> None:
        await self._call(self.sync.set_digest, guild_id, channel_id, at_time, by=by)

    async def clear_digest(self, guild_id: int) -> bool:
        return await self._call(self.sync.clear_digest, guild_id)

    async def digests(self) -> list[Digest]:
        return await self._call(self.sync.digests)

    async def mark_digest_sent(self, guild_id: int, day: str) -> bool:
        return await self._call(self.sync.mark_digest_sent, guild_id, day)

    async def get_run(self, run_id: int) -> Run | None:
        return await self._call(self.sync.get_run, run_id)

    async def set_tick(
        self, run_id: int, step: int, *, ticked: bool, user_id: int, user_name: str
    ) -> Run:
        return await self._call(
            self.sync.set_tick, run_id, step, ticked=ticked, user_id=user_id, user_name=user_name
        )

    async def record_feedback(
        self,
        question: str | None,
        item_id: str,
        helpful: bool,
        *,
        user_id: int,
        guidance_version: str | None,
    ) -> int:
        return await self._call(
            self.sync.record_feedback,
            question,
            item_id,
            helpful,
            user_id=user_id,
            guidance_version=guidance_version,
        )

    async def record_unanswered(
        self, question: str | None, suggestions: Sequence[str], *, user_id: int
    ) -> int:
        return await self._call(self.sync.record_unanswered, question, suggestions, user_id=user_id)

    async def report(self, since: datetime | float) -> Report:
        return await self._call(self.sync.report, since)

    async def save_turn(
        self,
        message_id: int,
        turn: Turn,
        *,
        channel_id: int | None = None,
        guidance_version: str | None = None,
        keep_question: bool = True,
    ) -> None:
        await self._call(
            self.sync.save_turn,
            message_id,
            turn,
            channel_id=channel_id,
            guidance_version=guidance_version,
            keep_question=keep_question,
        )

    async def get_turn(self, message_id: int) -> TurnRecord | None:
        return await self._call(self.sync.get_turn, message_id)

    async def last_turn(self, channel_id: int) -> TurnRecord | None:
        return await self._call(self.sync.last_turn, channel_id)

    async def recent_turns(self, limit: int = 200) -> list[TurnRecord]:
        return await self._call(self.sync.recent_turns, limit)

    async def purge_questions(self) -> int:
        return await self._call(self.sync.purge_questions)

    async def purge_expired(self) -> int:
        return await self._call(self.sync.purge_expired)
