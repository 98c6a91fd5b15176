"""Question text is personal data: it is blanked (set to NULL, the rest of the row kept for
statistics) after the retention period, or at once on request.

The store purges on open; the bot repeats :meth:`Store.purge_expired` hourly.
"""

from __future__ import annotations

import sqlite3

from pact_advisor.store.schema import QUESTION_TABLES

DAY = 86_400.0


def cutoff(now: float, retention_days: float) -> float:
    """Question text written before this time (epoch seconds) has expired."""
    return now - retention_days * DAY


def has_expired(conn: sqlite3.Connection, before: float) -> bool:
    """Whether any question text was written before ``before`` (an indexed read)."""
    checks = [
        f"EXISTS (SELECT 1 FROM {table} WHERE question IS NOT NULL AND created_at < ?)"
        for table in QUESTION_TABLES
    ]
    checks.append("EXISTS (SELECT 1 FROM feedback WHERE note IS NOT NULL AND created_at < ?)")
    row = conn.execute(f"SELECT {' OR '.join(checks)}", (before,) * len(checks)).fetchone()
    return bool(row[0])


def blank(conn: sqlite3.Connection, before: float | None = None) -> int:
    """Blank question text written before ``before`` (all of it if None); returns how many
    copies were blanked (one per answer's turn, vote or unanswered question)."""
    cond, args = ("", ()) if before is None else (" AND created_at < ?", (before,))
    # A vote's own words on why it was not helpful are the member's text too.
    conn.execute(f"UPDATE feedback SET note = NULL WHERE note IS NOT NULL{cond}", args)
    return sum(
        conn.execute(
            f"UPDATE {table} SET question = NULL WHERE question IS NOT NULL{cond}", args
        ).rowcount
        for table in QUESTION_TABLES
    )
