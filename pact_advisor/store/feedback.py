"""Votes on answers, questions left unanswered, and the report over both."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from pact_advisor.store import channel, codec
from pact_advisor.store.records import FeedbackRecord, ItemCounts, Report, UnansweredQuestion


def insert_feedback(
    conn: sqlite3.Connection,
    question: str | None,
    item_id: str,
    helpful: bool,
    *,
    user_id: int,
    guidance_version: str | None,
    now: float,
) -> int:
    cur = conn.execute(
        "INSERT INTO feedback (question, item_id, helpful, user_id, guidance_version,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (question, item_id, int(bool(helpful)), user_id, guidance_version, now),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def insert_unanswered(
    conn: sqlite3.Connection,
    question: str | None,
    suggestions: Sequence[str],
    *,
    user_id: int,
    now: float,
) -> int:
    cur = conn.execute(
        "INSERT INTO unanswered (question, suggestions, user_id, created_at) VALUES (?, ?, ?, ?)",
        (question, codec.ids_json(suggestions), user_id, now),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def epoch(when: datetime | float | int) -> float:
    """Epoch seconds of a datetime (naive means local time) or a number."""
    if isinstance(when, datetime):
        return when.timestamp()
    if isinstance(when, (int, float)) and not isinstance(when, bool):
        return float(when)
    raise TypeError(f"since must be a datetime or epoch seconds, not {type(when).__name__}")


def report(conn: sqlite3.Connection, since: float, until: float) -> Report:
    """Unanswered questions, not-helpful votes and vote counts from ``since`` on."""
    unanswered = tuple(
        UnansweredQuestion(
            id=r[0],
            question=r[1],
            suggestions=codec.read_ids(r[2]),
            user_id=r[3],
            created_at=r[4],
        )
        for r in conn.execute(
            "SELECT id, question, suggestions, user_id, created_at FROM unanswered"
            " WHERE created_at >= ? ORDER BY created_at, id",
            (since,),
        )
    )
    not_helpful = tuple(
        FeedbackRecord(
            id=r[0],
            question=r[1],
            item_id=r[2],
            helpful=bool(r[3]),
            user_id=r[4],
            guidance_version=r[5],
            created_at=r[6],
            reason=r[7],
            note=r[8],
        )
        for r in conn.execute(
            "SELECT id, question, item_id, helpful, user_id, guidance_version, created_at,"
            " reason, note FROM feedback WHERE created_at >= ? AND helpful = 0 ORDER BY created_at, id",
            (since,),
        )
    )
    reasons = channel.reasons_by_item(conn, since)
    counts = {
        item: ItemCounts(helpful=h, not_helpful=n, reasons=reasons.get(item, {}))
        for item, h, n in conn.execute(
            "SELECT item_id, SUM(helpful), SUM(1 - helpful) FROM feedback"
            " WHERE created_at >= ? GROUP BY item_id ORDER BY item_id",
            (since,),
        )
    }
    return Report(since, until, unanswered, not_helpful, counts)
