"""Checklist runs and their ticks, on an open connection inside a transaction."""

from __future__ import annotations

import sqlite3

from pact_advisor.checklists import Checklist
from pact_advisor.store import codec, plans
from pact_advisor.store.plans import Change
from pact_advisor.store.records import Owner, Run, Skip, Tick


def insert(
    conn: sqlite3.Connection,
    checklist: Checklist,
    *,
    guild_id: int | None,
    channel_id: int | None,
    created_by: int,
    now: float,
    created_by_name: str | None = None,
    guidance_version: str | None = None,
    context_note: str | None = None,
) -> int:
    """Store a run of ``checklist``'s steps as they are now; returns its id."""
    cur = conn.execute(
        "INSERT INTO runs (topic, title, context, steps, guild_id, channel_id,"
        " created_by, created_at, language, created_by_name, guidance_version, context_note)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            created_by_name,
            guidance_version,
            context_note,
        ),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


_COLUMNS = (
    "id, topic, title, context, steps, guild_id, channel_id, created_by, created_at,"
    " language, created_by_name, guidance_version, message_id, context_note"
)


def load(conn: sqlite3.Connection, run_id: int) -> Run | None:
    """The run with its current state, or None."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM runs WHERE id = ?", (run_id,)).fetchone()
    return None if row is None else _run(conn, row)


def _rows(conn: sqlite3.Connection, sql: str, run_id: int) -> list[tuple]:
    return list(conn.execute(sql, (run_id,)))


def _run(conn: sqlite3.Connection, row: tuple) -> Run:
    run_id = row[0]
    ticks = {
        step: Tick(user_id=uid, user_name=name, ticked_at=at)
        for step, uid, name, at in _rows(
            conn, "SELECT step, user_id, user_name, ticked_at FROM ticks WHERE run_id = ?", run_id
        )
    }
    skips = {
        step: Skip(uid, name, at, reason)
        for step, uid, name, at, reason in _rows(
            conn,
            "SELECT step, user_id, user_name, skipped_at, reason FROM step_skips WHERE run_id = ?",
            run_id,
        )
    }
    owners: dict[int, tuple[Owner, ...]] = {}
    for step, uid, name in _rows(
        conn,
        "SELECT step, user_id, user_name FROM step_owners WHERE run_id = ? ORDER BY step, position",
        run_id,
    ):
        owners[step] = (*owners.get(step, ()), Owner(uid, name))
    plans = _rows(conn, "SELECT step, due, note FROM step_plans WHERE run_id = ?", run_id)
    return Run(
        id=run_id,
        topic=row[1],
        title=row[2],
        context=codec.read_context(row[3]),
        steps=codec.read_steps(row[4]),
        guild_id=row[5],
        channel_id=row[6],
        created_by=row[7],
        created_at=row[8],
        ticks=dict(sorted(ticks.items())),
        language=row[9],
        skips=dict(sorted(skips.items())),
        owners=owners,
        due={step: due for step, due, _ in sorted(plans) if due is not None},
        notes={step: note for step, _, note in sorted(plans) if note is not None},
        created_by_name=row[10],
        guidance_version=row[11],
        message_id=row[12],
        context_note=row[13],
    )


def find(
    conn: sqlite3.Connection, *, guild_id: int | None = None, channel_id: int | None = None
) -> list[Run]:
    """Every run (of one server, or one channel), newest first."""
    where, args = [], []
    if guild_id is not None:
        where.append("guild_id = ?")
        args.append(guild_id)
    if channel_id is not None:
        where.append("channel_id = ?")
        args.append(channel_id)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM runs{clause} ORDER BY id DESC", args)
    return [_run(conn, row) for row in rows.fetchall()]


def set_message(conn: sqlite3.Connection, run_id: int, message_id: int) -> None:
    """Remember the message that shows the run."""
    conn.execute("UPDATE runs SET message_id = ? WHERE id = ?", (message_id, run_id))


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
    change = Change("tick" if ticked else "untick", step)
    plans.apply(conn, run_id, [change], user_id=user_id, user_name=user_name, now=now)
    run = load(conn, run_id)
    assert run is not None
    return run
