"""Checklist runs and their ticks, on an open connection inside a transaction."""

from __future__ import annotations

import json
import sqlite3

from pact_advisor.checklists import Checklist
from pact_advisor.store import codec
from pact_advisor.store.errors import UnknownRunError
from pact_advisor.store.records import Run, Tick


def insert(
    conn: sqlite3.Connection,
    checklist: Checklist,
    *,
    guild_id: int | None,
    channel_id: int | None,
    created_by: int,
    now: float,
) -> int:
    """Store a run of ``checklist``'s steps as they are now; returns its id."""
    cur = conn.execute(
        "INSERT INTO runs (topic, title, context, steps, guild_id, channel_id,"
        " created_by, created_at, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            checklist.topic,
            checklist.title,
            codec.context_json(checklist.context),
            codec.steps_json(checklist.steps),
            guild_id,
            channel_id,
            created_by,
            now,
            checklist.language,
        ),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def load(conn: sqlite3.Connection, run_id: int) -> Run | None:
    """The run with its current ticks, or None."""
    row = conn.execute(
        "SELECT id, topic, title, context, steps, guild_id, channel_id, created_by, created_at,"
        " language FROM runs WHERE id = ?",
        (run_id,),
    ).fetchone()
    if row is None:
        return None
    ticks = {
        step: Tick(user_id=uid, user_name=name, ticked_at=at)
        for step, uid, name, at in conn.execute(
            "SELECT step, user_id, user_name, ticked_at FROM ticks WHERE run_id = ? ORDER BY step",
            (run_id,),
        )
    }
    return Run(
        id=row[0],
        topic=row[1],
        title=row[2],
        context=codec.read_context(row[3]),
        steps=codec.read_steps(row[4]),
        guild_id=row[5],
        channel_id=row[6],
        created_by=row[7],
        created_at=row[8],
        ticks=ticks,
        language=row[9],
    )


def set_tick(
    conn: sqlite3.Connection,
    run_id: int,
    step: int,
    *,
    ticked: bool,
    user_id: int,
    user_name: str,
    now: float,
) -> Run:
    """Tick or untick one step; returns the run as now stored.

    Raises:
        UnknownRunError: no such run.
        ValueError: ``step`` is not a valid step index.
    """
    if isinstance(step, bool) or not isinstance(step, int):
        raise ValueError(f"step must be an int, not {type(step).__name__}")
    count = _step_count(conn, run_id)
    if not 0 <= step < count:
        raise ValueError(f"step {step} is out of range (the run has {count} steps)")
    if ticked:
        conn.execute(
            "INSERT OR IGNORE INTO ticks (run_id, step, user_id, user_name, ticked_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (run_id, step, user_id, user_name, now),
        )
    else:
        conn.execute("DELETE FROM ticks WHERE run_id = ? AND step = ?", (run_id, step))
    run = load(conn, run_id)
    assert run is not None
    return run


def _step_count(conn: sqlite3.Connection, run_id: int) -> int:
    row = conn.execute("SELECT steps FROM runs WHERE id = ?", (run_id,)).fetchone()
    if row is None:
        raise UnknownRunError(run_id)
    return len(json.loads(row[0]))
