"""The conversation turn behind each answer message, for follow-ups after a restart."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from pact_advisor.engine import Turn
from pact_advisor.store import codec
from pact_advisor.store.records import TurnRecord

_COLUMNS = "message_id, channel_id, question, match_ids, context, guidance_version, created_at"


def save(
    conn: sqlite3.Connection,
    message_id: int,
    turn: Turn,
    *,
    channel_id: int | None,
    guidance_version: str | None,
    now: float,
    keep_question: bool = True,
) -> None:
    """Store ``turn`` as the one behind ``message_id``, replacing an earlier one (without
    its question's text unless ``keep_question``)."""
    conn.execute(
        f"INSERT OR REPLACE INTO turns ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            message_id,
            channel_id,
            turn.question if keep_question else None,
            codec.ids_json(turn.match_ids),
            codec.context_json(turn.context),
            guidance_version,
            now,
        ),
    )


def by_message(conn: sqlite3.Connection, message_id: int) -> TurnRecord | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM turns WHERE message_id = ?", (message_id,)
    ).fetchone()
    return _record(row)


def last_in_channel(conn: sqlite3.Connection, channel_id: int) -> TurnRecord | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM turns WHERE channel_id = ? ORDER BY message_id DESC LIMIT 1",
        (channel_id,),
    ).fetchone()
    return _record(row)


def recent(conn: sqlite3.Connection, limit: int) -> list[TurnRecord]:
    """The latest ``limit`` turns whose question is still stored, newest first."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM turns WHERE question IS NOT NULL "
        "ORDER BY created_at DESC, message_id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    return [record for row in rows if (record := _record(row)) is not None]


def _record(row: Sequence[Any] | None) -> TurnRecord | None:
    if row is None:
        return None
    return TurnRecord(
        message_id=row[0],
        channel_id=row[1],
        question=row[2],
        match_ids=codec.read_ids(row[3]),
        context=codec.read_context(row[4]),
        guidance_version=row[5],
        created_at=row[6],
    )
