"""The database schema, as an ordered list of migrations.

The applied versions are recorded in ``schema_migrations``. :func:`migrate` applies every
migration not yet recorded, each in its own transaction, so an older database is upgraded
in place and opening is idempotent. Never edit a released migration: append a new one.

``runs.message_id`` (v1, indexed in v2) is no longer written or read. The column stays:
dropping it would need a new schema version, which an earlier release refuses to open,
and the empty column costs nothing.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable

from pact_advisor.store.errors import UnusableDatabase

log = logging.getLogger(__name__)

#: Ordered schema migrations; version N is ``MIGRATIONS[N - 1]``.
MIGRATIONS: tuple[str, ...] = (
    # v1: base tables.
    """
    CREATE TABLE runs (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        topic       TEXT    NOT NULL,
        title       TEXT    NOT NULL,
        context     TEXT    NOT NULL,            -- JSON object
        steps       TEXT    NOT NULL,            -- JSON list of {text, item_id, collection}
        guild_id    INTEGER,                     -- NULL in DMs
        channel_id  INTEGER,
        message_id  INTEGER,                     -- set once the checklist is posted
        created_by  INTEGER NOT NULL,
        created_at  REAL    NOT NULL
    );
    CREATE TABLE ticks (
        run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step       INTEGER NOT NULL CHECK (step >= 0),
        user_id    INTEGER NOT NULL,
        user_name  TEXT    NOT NULL,
        ticked_at  REAL    NOT NULL,
        PRIMARY KEY (run_id, step)
    ) WITHOUT ROWID;
    CREATE TABLE feedback (
        id                INTEGER PRIMARY KEY AUTOINCREMENT,
        question          TEXT,                  -- NULL once purged
        item_id           TEXT    NOT NULL,
        helpful           INTEGER NOT NULL CHECK (helpful IN (0, 1)),
        user_id           INTEGER NOT NULL,
        guidance_version  TEXT,
        created_at        REAL    NOT NULL
    );
    CREATE TABLE unanswered (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        question     TEXT,                       -- NULL once purged
        suggestions  TEXT    NOT NULL,           -- JSON list
        user_id      INTEGER NOT NULL,
        created_at   REAL    NOT NULL
    );
    """,
    # v2: indexes for the time-window queries. report() filters on
    # created_at; purge_expired() runs on every open and periodically, so it
    # must only touch rows that still hold question text (partial indexes).
    # runs_message_id served a lookup by message that is gone (see above).
    """
    CREATE INDEX feedback_created_at ON feedback (created_at);
    CREATE INDEX unanswered_created_at ON unanswered (created_at);
    CREATE INDEX feedback_unpurged ON feedback (created_at)
        WHERE question IS NOT NULL;
    CREATE INDEX unanswered_unpurged ON unanswered (created_at)
        WHERE question IS NOT NULL;
    CREATE INDEX runs_message_id ON runs (message_id)
        WHERE message_id IS NOT NULL;
    """,
    # v3: the conversation turn behind each answer message, so that a reply to an
    # answer (or feedback on it) still knows the question after a restart.
    # channel_id is set for threads and DMs only: "the last answer given here".
    """
    CREATE TABLE turns (
        message_id        INTEGER PRIMARY KEY,   -- the answer's message; ids grow with time
        channel_id        INTEGER,
        question          TEXT,                  -- NULL once purged
        match_ids         TEXT    NOT NULL,      -- JSON list of item ids, best first
        context           TEXT    NOT NULL,      -- JSON object
        guidance_version  TEXT,
        created_at        REAL    NOT NULL
    );
    CREATE INDEX turns_unpurged ON turns (created_at)
        WHERE question IS NOT NULL;
    CREATE INDEX turns_channel ON turns (channel_id, message_id)
        WHERE channel_id IS NOT NULL;
    """,
    # v4: the language a checklist run was made in, so that its message keeps its
    # language (labels, titles, progress) when a tick re-renders it, also after a restart.
    """
    ALTER TABLE runs ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
    """,
    # v5: checklists as a work plan. Per step: owners (several), a due date, a note, and a
    # "not applicable" state with its reason; who made the run (by name) and from which
    # guidance version; the message that shows it (so a control is honoured only on its own
    # message); the event log, one row per change, written in the transaction of the change;
    # and each server's daily digest. Ticks made before keep their state and authors, and
    # become the first events of their run's log, so state and log agree from the start.
    """
    ALTER TABLE runs ADD COLUMN created_by_name TEXT;
    ALTER TABLE runs ADD COLUMN guidance_version TEXT;
    CREATE INDEX runs_place ON runs (guild_id, channel_id);
    CREATE TABLE step_skips (
        run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step        INTEGER NOT NULL CHECK (step >= 0),
        user_id     INTEGER NOT NULL,
        user_name   TEXT    NOT NULL,
        skipped_at  REAL    NOT NULL,
        reason      TEXT    NOT NULL CHECK (reason <> ''),
        PRIMARY KEY (run_id, step)
    ) WITHOUT ROWID;
    CREATE TABLE step_owners (
        run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step       INTEGER NOT NULL CHECK (step >= 0),
        user_id    INTEGER NOT NULL,
        user_name  TEXT    NOT NULL,
        position   INTEGER NOT NULL,
        PRIMARY KEY (run_id, step, user_id)
    ) WITHOUT ROWID;
    CREATE TABLE step_plans (
        run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step       INTEGER NOT NULL CHECK (step >= 0),
        due        TEXT,                       -- YYYY-MM-DD
        note       TEXT,
        PRIMARY KEY (run_id, step)
    ) WITHOUT ROWID;
    CREATE TABLE run_events (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step       INTEGER NOT NULL CHECK (step >= 0),
        kind       TEXT    NOT NULL,           -- tick untick assign due skip reopen note
        user_id    INTEGER NOT NULL,
        user_name  TEXT    NOT NULL,
        at         REAL    NOT NULL,
        detail     TEXT    NOT NULL DEFAULT '{}'  -- JSON: owners, due, reason or note
    );
    CREATE INDEX run_events_run ON run_events (run_id, id);
    INSERT INTO run_events (run_id, step, kind, user_id, user_name, at)
        SELECT run_id, step, 'tick', user_id, user_name, ticked_at FROM ticks
        ORDER BY ticked_at, run_id, step;
    CREATE TABLE digests (
        guild_id    INTEGER PRIMARY KEY,
        channel_id  INTEGER NOT NULL,
        at_time     TEXT    NOT NULL,          -- HH:MM, UTC
        last_sent   TEXT,                      -- YYYY-MM-DD, UTC
        set_by      INTEGER NOT NULL,
        set_at      REAL    NOT NULL
    );
    """,
    # v6: one vote per member per answer message (changeable; older votes have no message
    # and stay as they are), why an answer was not helpful, and the partnership context a
    # channel or thread set with /context.
    """
    ALTER TABLE feedback ADD COLUMN message_id INTEGER;
    ALTER TABLE feedback ADD COLUMN reason TEXT;
    ALTER TABLE feedback ADD COLUMN note TEXT;                -- NULL once purged
    CREATE UNIQUE INDEX feedback_vote ON feedback (message_id, user_id)
        WHERE message_id IS NOT NULL;
    CREATE TABLE channel_contexts (
        channel_id  INTEGER PRIMARY KEY,
        partner     TEXT,
        sector      TEXT,
        programme   TEXT,
        set_by      INTEGER NOT NULL,
        set_at      REAL    NOT NULL
    );
    """,
    # v7: whether a checklist was written for its channel's (or thread's) context, as set with
    # /context, so that every redraw of its message says so ("this channel's context").
    """
    ALTER TABLE runs ADD COLUMN context_note TEXT
        CHECK (context_note IS NULL OR context_note IN ('channel', 'thread'));
    """,
)

#: The schema version this program writes.
SCHEMA_VERSION = len(MIGRATIONS)

#: Every table that stores question text (personal data, blanked by retention).
QUESTION_TABLES = ("feedback", "unanswered", "turns")

_MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    applied_at  REAL NOT NULL
)
"""


def split_sql(script: str) -> list[str]:
    """Split an SQL script into complete statements (semicolon-aware)."""
    statements: list[str] = []
    buf = ""
    for part in script.split(";"):
        buf += part + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \t\r\n;"):
                statements.append(buf.strip())
            buf = ""
    if buf.rstrip(";").strip():
        raise ValueError(f"incomplete SQL statement in migration: {buf.strip()!r}")
    return statements


def applied_versions(conn: sqlite3.Connection) -> list[int]:
    """The migration versions recorded in the database, ascending."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if not exists:
        return []
    return [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]


def migrate(conn: sqlite3.Connection, *, clock: Callable[[], float]) -> list[int]:
    """Apply every migration not yet recorded, each in its own transaction; returns the
    versions applied now. ``conn`` must be in autocommit mode (``isolation_level=None``).

    Raises:
        UnusableDatabase: the database was written by a newer program, or belongs to
            another application (tables of its own, no migrations of ours): it is left as it
            is.
        sqlite3.Error: a migration failed (it is rolled back, earlier ones are kept).
    """
    applied = check_usable(conn)
    if applied == list(range(1, SCHEMA_VERSION + 1)):
        return []  # up to date: opening needs no write lock
    conn.execute(_MIGRATIONS_TABLE)
    return [
        version
        for version, script in enumerate(MIGRATIONS, start=1)
        if _apply(conn, version, script, clock)
    ]


def check_usable(conn: sqlite3.Connection) -> list[int]:
    """The applied versions, after checking that the database is ours and not newer.

    Raises:
        UnusableDatabase: another application's database, or a newer schema version.
    """
    applied = applied_versions(conn)
    if not applied:
        foreign = _foreign_tables(conn)
        if foreign:
            raise UnusableDatabase(
                "it is not a Pact Advisor database (it holds the tables "
                f"{', '.join(foreign[:5])}{', ...' if len(foreign) > 5 else ''} of another "
                "application); nothing was changed in it"
            )
    if applied and applied[-1] > SCHEMA_VERSION:
        raise UnusableDatabase(
            f"its schema version {applied[-1]} is newer than this program "
            f"supports ({SCHEMA_VERSION}); upgrade Pact Advisor (nothing was changed in it)"
        )
    return applied


def _foreign_tables(conn: sqlite3.Connection) -> list[str]:
    """Tables in a database where none of our migrations ran: another application's (ours
    could only have left ``schema_migrations``, from a first open cut short)."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
        "AND name NOT LIKE 'sqlite_%' AND name != 'schema_migrations' ORDER BY name"
    )
    return [name for (name,) in rows]


def _apply(conn: sqlite3.Connection, version: int, script: str, clock: Callable[[], float]) -> bool:
    """Apply one migration unless it is recorded already; True if it was applied now."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Checked inside the write lock: another process may have applied it since.
        done = conn.execute(
            "SELECT 1 FROM schema_migrations WHERE version = ?", (version,)
        ).fetchone()
        if not done:
            for statement in split_sql(script):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                (version, clock()),
            )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return not done
