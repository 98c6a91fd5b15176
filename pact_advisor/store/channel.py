"""What a shared channel keeps: one vote per member per answer (changeable, with why an
answer was not helpful), and the partnership context a channel or thread set.

The operations are mixed into :class:`~pact_advisor.store.Store` (``ChannelRecords``) and
:class:`~pact_advisor.store.AsyncStore` (``AsyncChannelRecords``); the SQL is here.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from pact_advisor.engine import Context

#: Why an answer was not helpful, as the member picks it.
REASONS = ("wrong-topic", "too-general", "missing", "out-of-date", "other")
#: Characters of the optional text kept with a reason.
NOTE_MAX = 200


@dataclass(frozen=True)
class Vote:
    """A member's vote on one answer message."""

    item_id: str
    helpful: bool
    reason: str | None = None


@dataclass(frozen=True)
class ChannelContext:
    """The context a channel or thread set, and who set it when."""

    channel_id: int
    context: Context
    set_by: int
    set_at: float


def upsert_vote(
    conn: sqlite3.Connection,
    *,
    message_id: int,
    user_id: int,
    item_id: str,
    helpful: bool,
    question: str | None,
    reason: str | None,
    note: str | None,
    guidance_version: str | None,
    now: float,
) -> Vote | None:
    """Store the member's vote on ``message_id``, replacing theirs; returns the vote it
    replaced (``None`` for a first vote)."""
    row = conn.execute(
        "SELECT item_id, helpful, reason FROM feedback WHERE message_id = ? AND user_id = ?",
        (message_id, user_id),
    ).fetchone()
    conn.execute(
        "INSERT INTO feedback (question, item_id, helpful, user_id, guidance_version,"
        " created_at, message_id, reason, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (message_id, user_id) WHERE message_id IS NOT NULL DO UPDATE SET"
        " question = excluded.question, item_id = excluded.item_id,"
        " helpful = excluded.helpful, guidance_version = excluded.guidance_version,"
        " created_at = excluded.created_at, reason = excluded.reason, note = excluded.note",
        (
            question,
            item_id,
            int(bool(helpful)),
            user_id,
            guidance_version,
            now,
            message_id,
            reason if reason in REASONS else None,
            (note or "").strip()[:NOTE_MAX] or None,
        ),
    )
    return Vote(row[0], bool(row[1]), row[2]) if row else None


def get_vote(conn: sqlite3.Connection, message_id: int, user_id: int) -> Vote | None:
    row = conn.execute(
        "SELECT item_id, helpful, reason FROM feedback WHERE message_id = ? AND user_id = ?",
        (message_id, user_id),
    ).fetchone()
    return Vote(row[0], bool(row[1]), row[2]) if row else None


def reasons_by_item(conn: sqlite3.Connection, since: float) -> dict[str, dict[str, int]]:
    """How often each reason was given per item, for votes from ``since`` on."""
    out: dict[str, dict[str, int]] = {}
    for item, why, count in conn.execute(
        "SELECT item_id, reason, COUNT(*) FROM feedback WHERE created_at >= ? AND helpful = 0"
        " AND reason IS NOT NULL GROUP BY item_id, reason ORDER BY item_id, reason",
        (since,),
    ):
        out.setdefault(item, {})[why] = count
    return out


def set_context(
    conn: sqlite3.Connection, channel_id: int, context: Context, *, user_id: int, now: float
) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO channel_contexts"
        " (channel_id, partner, sector, programme, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)",
        (channel_id, context.partner, context.sector, context.programme, user_id, now),
    )


def get_context(conn: sqlite3.Connection, channel_id: int) -> ChannelContext | None:
    row = conn.execute(
        "SELECT partner, sector, programme, set_by, set_at FROM channel_contexts"
        " WHERE channel_id = ?",
        (channel_id,),
    ).fetchone()
    if row is None:
        return None
    context = Context(partner=row[0], sector=row[1], programme=row[2])
    return ChannelContext(channel_id, context, set_by=row[3], set_at=row[4])


def clear_context(conn: sqlite3.Connection, channel_id: int) -> bool:
    cur = conn.execute("DELETE FROM channel_contexts WHERE channel_id = ?", (channel_id,))
    return cur.rowcount > 0


class ChannelRecords:
    """Votes and channel contexts, for :class:`~pact_advisor.store.Store`."""

    # Store's clock and transactions.
    _clock: Callable[[], float]
    _tx: Callable[..., AbstractContextManager[sqlite3.Connection]]

    def set_vote(
        self,
        message_id: int,
        item_id: str,
        helpful: bool,
        *,
        user_id: int,
        question: str | None,
        guidance_version: str | None,
        reason: str | None = None,
        note: str | None = None,
    ) -> Vote | None:
        """The member's one vote on answer ``message_id`` (a new one replaces theirs);
        returns the vote replaced, if any. ``question`` is None when not kept."""
        with self._tx(write=True) as conn:
            return upsert_vote(
                conn,
                message_id=message_id,
                user_id=user_id,
                item_id=item_id,
                helpful=helpful,
                question=question,
                reason=reason,
                note=note,
                guidance_version=guidance_version,
                now=self._clock(),
            )

    def get_vote(self, message_id: int, user_id: int) -> Vote | None:
        with self._tx(write=False) as conn:
            return get_vote(conn, message_id, user_id)

    def set_channel_context(self, channel_id: int, context: Context, *, user_id: int) -> None:
        """Store the context of a channel or thread (replacing an earlier one)."""
        with self._tx(write=True) as conn:
            set_context(conn, channel_id, context, user_id=user_id, now=self._clock())

    def channel_context(self, channel_id: int) -> ChannelContext | None:
        with self._tx(write=False) as conn:
            return get_context(conn, channel_id)

    def clear_channel_context(self, channel_id: int) -> bool:
        """Remove a channel's context; whether there was one."""
        with self._tx(write=True) as conn:
            return clear_context(conn, channel_id)


class AsyncChannelRecords:
    """The awaitable twins of :class:`ChannelRecords`, for :class:`AsyncStore`."""

    sync: Any

    async def _run(self, name: str, *args: Any, **kwargs: Any) -> Any:
        return await asyncio.to_thread(getattr(self.sync, name), *args, **kwargs)

    async def set_vote(
        self,
        message_id: int,
        item_id: str,
        helpful: bool,
        *,
        user_id: int,
        question: str | None,
        guidance_version: str | None,
        reason: str | None = None,
        note: str | None = None,
    ) -> Vote | None:
        return await self._run(
            "set_vote",
            message_id,
            item_id,
            helpful,
            user_id=user_id,
            question=question,
            guidance_version=guidance_version,
            reason=reason,
            note=note,
        )

    async def get_vote(self, message_id: int, user_id: int) -> Vote | None:
        return await self._run("get_vote", message_id, user_id)

    async def set_channel_context(self, channel_id: int, context: Context, *, user_id: int) -> None:
        await self._run("set_channel_context", channel_id, context, user_id=user_id)

    async def channel_context(self, channel_id: int) -> ChannelContext | None:
        return await self._run("channel_context", channel_id)

    async def clear_channel_context(self, channel_id: int) -> bool:
        return await self._run("clear_channel_context", channel_id)


__all__ = ["REASONS", "AsyncChannelRecords", "ChannelContext", "ChannelRecords", "Vote"]
