"""Each server's daily digest schedule: one channel and one time of day (UTC)."""

from __future__ import annotations

import sqlite3

from pact_advisor.store.records import Digest


def set_digest(
    conn: sqlite3.Connection, guild_id: int, channel_id: int, at_time: str, *, by: int, now: float
) -> None:
    """Post the digest of ``guild_id`` in ``channel_id`` daily at ``at_time`` (HH:MM, UTC),
    replacing an earlier schedule."""
    conn.execute(
        "INSERT INTO digests (guild_id, channel_id, at_time, last_sent, set_by, set_at)"
        " VALUES (?, ?, ?, NULL, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET"
        " channel_id = excluded.channel_id, at_time = excluded.at_time,"
        " set_by = excluded.set_by, set_at = excluded.set_at",
        (guild_id, channel_id, at_time, by, now),
    )


def clear_digest(conn: sqlite3.Connection, guild_id: int) -> bool:
    """Stop the digest of ``guild_id``; False if there was none."""
    return conn.execute("DELETE FROM digests WHERE guild_id = ?", (guild_id,)).rowcount > 0


def all_digests(conn: sqlite3.Connection) -> list[Digest]:
    return [
        Digest(*row)
        for row in conn.execute(
            "SELECT guild_id, channel_id, at_time, last_sent FROM digests ORDER BY guild_id"
        )
    ]


def mark_sent(conn: sqlite3.Connection, guild_id: int, day: str) -> bool:
    """Record that today's digest of ``guild_id`` went out; False if it already had (another
    process sent it) or the schedule is gone."""
    cur = conn.execute(
        "UPDATE digests SET last_sent = ? WHERE guild_id = ? AND (last_sent IS NULL OR last_sent < ?)",
        (day, guild_id, day),
    )
    return cur.rowcount > 0
