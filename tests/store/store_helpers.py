"""What the store tests share: a settable clock, small checklists, and a database as an
earlier release left it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pact_advisor.checklists import Checklist, Section, Step
from pact_advisor.engine import Context
from pact_advisor.store import MIGRATIONS, Run, Store

DAY = 86_400.0


class FakeClock:
    """A settable clock (epoch seconds)."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def checklist(n: int = 3, context: Context | None = None) -> Checklist:
    """A checklist of ``n`` steps from one collection."""
    steps = tuple(Step(f"Step {i}", f"lessons.item-{i}", "lessons") for i in range(n))
    return Checklist(
        topic="labour-mobility",
        title="Launch a pilot",
        context=context or Context(partner="Morocco"),
        sections=(Section("lessons", "Lessons learnt", steps),),
    )


def new_run(store: Store, n: int = 3, **where: int | None) -> Run:
    """A run of a checklist of ``n`` steps, made in server 10, channel 20, by user 30."""
    return store.create_run(
        checklist(n),
        guild_id=where.get("guild_id", 10),
        channel_id=where.get("channel_id", 20),
        created_by=where.get("created_by", 30),
    )


def build_old_db(path: Path, version: int = 1) -> None:
    """A database as an earlier release left it: migrations up to ``version`` applied, one
    run of two steps (the second ticked), one vote."""
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at REAL NOT NULL);"
        + "".join(MIGRATIONS[:version])
    )
    conn.executemany(
        "INSERT INTO schema_migrations VALUES (?, 1.0)", [(v,) for v in range(1, version + 1)]
    )
    conn.execute(
        "INSERT INTO runs (topic, title, context, steps, guild_id, channel_id, created_by,"
        " created_at) VALUES ('t', 'Old run', '{}', ?, NULL, 5, 7, 1.0)",
        (
            '[{"text": "a", "item_id": null, "collection": null}, '
            '{"text": "b", "item_id": null, "collection": null}]',
        ),
    )
    conn.execute("INSERT INTO ticks VALUES (1, 1, 7, 'old-user', 2.0)")
    conn.execute(
        "INSERT INTO feedback (question, item_id, helpful, user_id, guidance_version,"
        " created_at) VALUES ('old question?', 'item-x', 1, 7, 'g1', 3.0)"
    )
    conn.commit()
    conn.close()


def dump(path: Path | str) -> str:
    """Every row of the database at ``path``, as SQL."""
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()
