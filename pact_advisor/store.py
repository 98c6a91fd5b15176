"""SQLite persistence for Pact Advisor.

This is a library layer: it knows nothing about Discord and uses only the
standard library. One :class:`Store` wraps one SQLite connection.

Durability and safety
---------------------
* WAL journal, ``synchronous=FULL``: when a write method returns, the change
  has been fsynced and survives a SIGKILL (or power loss).
* Every write is a single short ``BEGIN IMMEDIATE`` ... ``COMMIT``
  transaction; a failed write is rolled back as a whole.
* Any SQLite failure is raised as :class:`StoreError` with a message meant to
  be shown to a person (``"could not save: the database is read-only"``).
* Invalid arguments (bad step index, non-JSON context...) raise
  :class:`ValueError`; an unknown run id raises :class:`UnknownRunError`
  (a ``ValueError`` and ``LookupError``).

Schema
------
The schema is versioned in ``schema_migrations``. :data:`MIGRATIONS` is an
ordered list of SQL scripts; each is applied once, in its own transaction,
when a store is opened, so an older database is upgraded in place and opening
is idempotent.

Privacy
-------
Question text (in ``feedback``, ``unanswered`` and ``turns``) is personal data. It is
blanked (set to NULL, the rest of the row kept for statistics) after
``retention_days`` by :meth:`Store.purge_expired` (run on open, and hourly by
the bot) or at once by :meth:`Store.purge_questions`.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "FeedbackRecord",
    "ItemCounts",
    "Report",
    "Run",
    "Store",
    "StoreError",
    "Tick",
    "TurnRecord",
    "UnansweredQuestion",
    "UnknownRunError",
]

log = logging.getLogger(__name__)

#: Ordered schema migrations; version N is ``MIGRATIONS[N - 1]``.
#: Never edit a released entry: append a new one.
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
    # runs_message_id served a lookup by message that is gone: runs.message_id is
    # no longer written or read. The column stays, since dropping it would need a
    # new schema version, which an earlier release refuses to open.
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
)

#: The schema version this module writes.
SCHEMA_VERSION = len(MIGRATIONS)

_DAY = 86_400.0

_MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    applied_at  REAL NOT NULL
)
"""


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------


class StoreError(Exception):
    """A storage failure, with a message that can be shown to a person.

    The original :class:`sqlite3.Error` (if any) is the ``__cause__``.
    """


class UnknownRunError(ValueError, LookupError):
    """No checklist run has the given id."""

    def __init__(self, run_id: int) -> None:
        super().__init__(f"no checklist run with id {run_id}")
        self.run_id = run_id


# SQLite primary result codes (https://sqlite.org/rescode.html).
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_NOMEM = 7
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26

_REASONS = {
    _SQLITE_PERM: "permission denied",
    _SQLITE_BUSY: "the database is locked by another program; try again",
    _SQLITE_LOCKED: "the database is locked by another program; try again",
    _SQLITE_NOMEM: "out of memory",
    _SQLITE_READONLY: "the database is read-only",
    _SQLITE_IOERR: "a disk I/O error occurred",
    _SQLITE_CORRUPT: "the database file is damaged",
    _SQLITE_FULL: "the disk is full",
    _SQLITE_CANTOPEN: "the database file cannot be opened",
    _SQLITE_NOTADB: "the file is not a database",
}


def _reason(exc: sqlite3.Error) -> str:
    """A short human description of an SQLite error."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _REASONS:
        return _REASONS[code & 0xFF]
    text = str(exc).lower()
    for needle, code in (
        ("readonly", _SQLITE_READONLY),
        ("read-only", _SQLITE_READONLY),
        ("locked", _SQLITE_BUSY),
        ("disk i/o", _SQLITE_IOERR),
        ("disk is full", _SQLITE_FULL),
        ("not a database", _SQLITE_NOTADB),
        ("malformed", _SQLITE_CORRUPT),
        ("unable to open", _SQLITE_CANTOPEN),
    ):
        if needle in text:
            return _REASONS[code]
    return str(exc) or type(exc).__name__


# --------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Tick:
    """Who ticked a checklist step, and when (epoch seconds)."""

    user_id: int
    user_name: str
    ticked_at: float


@dataclass(frozen=True)
class Run:
    """A checklist run: a snapshot of the steps plus who ticked which.

    ``steps`` is the list given to :meth:`Store.create_run`, normalised to
    ``{"text", "item_id", "collection"}`` dicts. ``ticks`` maps a step index
    to its :class:`Tick`; a step absent from it is not ticked.
    """

    id: int
    topic: str
    title: str
    context: dict[str, Any]
    steps: list[dict[str, Any]]
    guild_id: int | None
    channel_id: int | None
    created_by: int
    created_at: float
    ticks: dict[int, Tick] = field(default_factory=dict)

    @property
    def ticked_count(self) -> int:
        """Number of ticked steps."""
        return len(self.ticks)

    @property
    def complete(self) -> bool:
        """True when every step is ticked (and there is at least one)."""
        return bool(self.steps) and len(self.ticks) == len(self.steps)

    def is_ticked(self, step: int) -> bool:
        """Whether step index ``step`` is ticked."""
        return step in self.ticks


@dataclass(frozen=True)
class FeedbackRecord:
    """One helpful / not helpful vote. ``question`` is None once purged."""

    id: int
    question: str | None
    item_id: str
    helpful: bool
    user_id: int
    guidance_version: str | None
    created_at: float


@dataclass(frozen=True)
class UnansweredQuestion:
    """A question the advisor could not answer. ``question`` is None once purged."""

    id: int
    question: str | None
    suggestions: list[Any]
    user_id: int
    created_at: float


@dataclass(frozen=True)
class TurnRecord:
    """The question behind an answer message. ``question`` is None once purged."""

    message_id: int
    channel_id: int | None
    question: str | None
    match_ids: list[str]
    context: dict[str, Any]
    guidance_version: str | None
    created_at: float


@dataclass(frozen=True)
class ItemCounts:
    """Helpful / not helpful vote counts for one guidance item."""

    helpful: int = 0
    not_helpful: int = 0

    @property
    def total(self) -> int:
        """All votes."""
        return self.helpful + self.not_helpful


@dataclass(frozen=True)
class Report:
    """Activity between ``since`` and ``until`` (epoch seconds).

    ``unanswered`` and ``not_helpful`` are oldest first; ``item_counts`` maps
    an item id to its vote counts.
    """

    since: float
    until: float
    unanswered: list[UnansweredQuestion]
    not_helpful: list[FeedbackRecord]
    item_counts: dict[str, ItemCounts]


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def _split_sql(script: str) -> list[str]:
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


def _to_json(value: Any, what: str) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what} is not JSON-serialisable: {exc}") from exc


def _normalise_steps(steps: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(steps, (str, bytes)) or not isinstance(steps, Sequence):
        raise ValueError("steps must be a list of dicts")
    out: list[dict[str, Any]] = []
    for i, step in enumerate(steps):
        if not isinstance(step, Mapping) or not isinstance(step.get("text"), str):
            raise ValueError(f"step {i} must be a dict with a 'text' string")
        out.append(
            {
                "text": step["text"],
                "item_id": step.get("item_id"),
                "collection": step.get("collection"),
            }
        )
    return out


def _epoch(when: datetime | float | int) -> float:
    if isinstance(when, datetime):
        # Naive datetimes are taken as local time (datetime.timestamp rules).
        return when.timestamp()
    if isinstance(when, (int, float)) and not isinstance(when, bool):
        return float(when)
    raise TypeError(f"since must be a datetime or epoch seconds, not {type(when).__name__}")


# --------------------------------------------------------------------------
# Store
# --------------------------------------------------------------------------


class Store:
    """The SQLite store. Thread-safe (one lock around one connection).

    Args:
        path: database file (created with its parent folders if missing), or
            ``":memory:"``.
        clock: returns the current time in epoch seconds; injected for tests.
        retention_days: question text older than this is blanked; ``None``
            keeps it forever.
        busy_timeout: seconds to wait for a lock held by another connection
            before a write fails with :class:`StoreError`.

    Raises:
        StoreError: the database cannot be opened, created or migrated; the
            message names the path.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        clock: Callable[[], float] = time.time,
        retention_days: float | None = 90,
        busy_timeout: float = 5.0,
    ) -> None:
        if retention_days is not None and retention_days <= 0:
            raise ValueError("retention_days must be positive or None")
        self.path = str(path)
        self.retention_days = retention_days
        self._clock = clock
        self._busy_timeout = busy_timeout
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._conn = self._open()
        try:
            self.purge_expired()
        except StoreError as exc:  # e.g. a read-only file: reads still work
            log.warning("retention purge on open skipped: %s", exc)

    # -- opening -----------------------------------------------------------

    def _open_error(self, reason: str) -> StoreError:
        return StoreError(f"could not open the database at {self.path}: {reason}")

    def _open(self) -> sqlite3.Connection:
        if self.path != ":memory:":
            try:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise self._open_error(f"cannot create its folder ({exc.strerror or exc})") from exc
        try:
            conn = sqlite3.connect(
                self.path,
                isolation_level=None,
                check_same_thread=False,
                timeout=self._busy_timeout,
            )
        except sqlite3.Error as exc:
            raise self._open_error(_reason(exc)) from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() not in ("wal", "memory"):
                log.warning("%s: journal_mode is %s, not WAL", self.path, mode)
            conn.execute("PRAGMA synchronous = FULL")
            self._migrate(conn)
        except sqlite3.Error as exc:
            conn.close()
            raise self._open_error(_reason(exc)) from exc
        except StoreError:
            conn.close()
            raise
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        """Apply every migration not yet recorded, each in its own transaction."""
        applied = self._applied_versions(conn)
        if applied and applied[-1] > SCHEMA_VERSION:
            raise self._open_error(
                f"its schema version {applied[-1]} is newer than this program "
                f"supports ({SCHEMA_VERSION}); upgrade Pact Advisor"
            )
        if applied == list(range(1, SCHEMA_VERSION + 1)):
            return  # up to date: opening needs no write lock
        conn.execute(_MIGRATIONS_TABLE)
        for version, script in enumerate(MIGRATIONS, start=1):
            conn.execute("BEGIN IMMEDIATE")
            try:
                # Re-checked inside the write lock: another process may have
                # applied it since we looked.
                done = conn.execute(
                    "SELECT 1 FROM schema_migrations WHERE version = ?", (version,)
                ).fetchone()
                if not done:
                    for statement in _split_sql(script):
                        conn.execute(statement)
                    conn.execute(
                        "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                        (version, self._clock()),
                    )
                    log.info("%s: applied schema migration v%d", self.path, version)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    @staticmethod
    def _applied_versions(conn: sqlite3.Connection) -> list[int]:
        exists = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()
        if not exists:
            return []
        rows = conn.execute("SELECT version FROM schema_migrations ORDER BY version")
        return [r[0] for r in rows]

    # -- lifecycle ---------------------------------------------------------

    def close(self) -> None:
        """Close the connection. Safe to call twice."""
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.close()
                finally:
                    self._conn = None

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has been called."""
        return self._conn is None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.path!r}{', closed' if self.closed else ''})"

    # -- transactions ------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError("the store is closed")
        return self._conn

    @contextmanager
    def _tx(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        """One transaction: IMMEDIATE for writes, a consistent snapshot for reads.

        sqlite3 errors become :class:`StoreError`; any exception rolls back.
        """
        verb = "could not save" if write else "could not read the database"
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            except sqlite3.Error as exc:
                raise StoreError(f"{verb}: {_reason(exc)}") from exc
            try:
                yield conn
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback(conn)
                raise StoreError(f"{verb}: {_reason(exc)}") from exc
            except BaseException:
                self._rollback(conn)
                raise

    @staticmethod
    def _rollback(conn: sqlite3.Connection) -> None:
        try:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        except sqlite3.Error:  # pragma: no cover - nothing more we can do
            log.exception("rollback failed")

    # -- introspection -----------------------------------------------------

    def schema_versions(self) -> list[int]:
        """Applied migration versions, ascending."""
        with self._tx(write=False) as conn:
            return self._applied_versions(conn)

    # -- checklist runs ----------------------------------------------------

    def create_run(
        self,
        topic: str,
        title: str,
        context: dict[str, Any],
        steps: list[dict[str, Any]],
        *,
        guild_id: int | None,
        channel_id: int | None,
        created_by: int,
    ) -> int:
        """Store a new checklist run and return its id.

        ``steps`` is snapshotted: later guidance changes do not alter the run.
        """
        norm = _normalise_steps(steps)
        steps_json = _to_json(norm, "steps")
        context_json = _to_json(dict(context), "context")
        with self._tx(write=True) as conn:
            cur = conn.execute(
                "INSERT INTO runs (topic, title, context, steps, guild_id, channel_id,"
                " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    topic,
                    title,
                    context_json,
                    steps_json,
                    guild_id,
                    channel_id,
                    created_by,
                    self._clock(),
                ),
            )
            run_id = cur.lastrowid
        assert run_id is not None
        return run_id

    def get_run(self, run_id: int) -> Run | None:
        """The run with its current ticks, or None if there is no such run."""
        with self._tx(write=False) as conn:
            return self._load_run(conn, run_id)

    @staticmethod
    def _load_run(conn: sqlite3.Connection, run_id: int) -> Run | None:
        row = conn.execute(
            "SELECT id, topic, title, context, steps, guild_id, channel_id,"
            " created_by, created_at FROM runs WHERE id = ?",
            (run_id,),
        ).fetchone()
        if row is None:
            return None
        ticks = {
            step: Tick(user_id=uid, user_name=name, ticked_at=at)
            for step, uid, name, at in conn.execute(
                "SELECT step, user_id, user_name, ticked_at FROM ticks"
                " WHERE run_id = ? ORDER BY step",
                (run_id,),
            )
        }
        return Run(
            id=row[0],
            topic=row[1],
            title=row[2],
            context=json.loads(row[3]),
            steps=json.loads(row[4]),
            guild_id=row[5],
            channel_id=row[6],
            created_by=row[7],
            created_at=row[8],
            ticks=ticks,
        )

    @staticmethod
    def _step_count(conn: sqlite3.Connection, run_id: int) -> int:
        row = conn.execute("SELECT steps FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise UnknownRunError(run_id)
        return len(json.loads(row[0]))

    def set_tick(
        self,
        run_id: int,
        step: int,
        *,
        ticked: bool,
        user_id: int,
        user_name: str,
    ) -> Run:
        """Tick or untick one step and return the run as now stored.

        Idempotent: ticking a ticked step keeps the original ticker and time;
        unticking an unticked step does nothing.

        Raises:
            UnknownRunError: no such run.
            ValueError: ``step`` is not a valid step index.
        """
        if isinstance(step, bool) or not isinstance(step, int):
            raise ValueError(f"step must be an int, not {type(step).__name__}")
        with self._tx(write=True) as conn:
            count = self._step_count(conn, run_id)
            if not 0 <= step < count:
                raise ValueError(f"step {step} is out of range (the run has {count} steps)")
            if ticked:
                conn.execute(
                    "INSERT OR IGNORE INTO ticks (run_id, step, user_id, user_name, ticked_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (run_id, step, user_id, user_name, self._clock()),
                )
            else:
                conn.execute("DELETE FROM ticks WHERE run_id = ? AND step = ?", (run_id, step))
            run = self._load_run(conn, run_id)
        assert run is not None
        return run

    # -- feedback and unanswered questions ---------------------------------

    def record_feedback(
        self,
        question: str | None,
        item_id: str,
        helpful: bool,
        *,
        user_id: int,
        guidance_version: str | None,
    ) -> int:
        """Record a helpful / not helpful vote on an answer; returns its id.

        ``question`` is None when the question is no longer known (purged).
        """
        with self._tx(write=True) as conn:
            cur = conn.execute(
                "INSERT INTO feedback (question, item_id, helpful, user_id,"
                " guidance_version, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (question, item_id, int(bool(helpful)), user_id, guidance_version, self._clock()),
            )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def record_unanswered(self, question: str, suggestions: Sequence[Any], *, user_id: int) -> int:
        """Record a question with no good answer (and what was suggested)."""
        suggestions_json = _to_json(list(suggestions), "suggestions")
        with self._tx(write=True) as conn:
            cur = conn.execute(
                "INSERT INTO unanswered (question, suggestions, user_id, created_at)"
                " VALUES (?, ?, ?, ?)",
                (question, suggestions_json, user_id, self._clock()),
            )
        assert cur.lastrowid is not None
        return cur.lastrowid

    # -- conversation turns ------------------------------------------------

    def save_turn(
        self,
        message_id: int,
        question: str,
        match_ids: Sequence[str],
        context: Mapping[str, Any],
        *,
        channel_id: int | None = None,
        guidance_version: str | None = None,
    ) -> None:
        """Store the turn behind answer message ``message_id`` (replacing an earlier one).

        ``channel_id`` marks it as the latest turn of a conversation channel (a thread
        or DM); see :meth:`last_turn`.
        """
        match_json = _to_json([str(m) for m in match_ids], "match_ids")
        context_json = _to_json(dict(context), "context")
        with self._tx(write=True) as conn:
            conn.execute(
                "INSERT OR REPLACE INTO turns (message_id, channel_id, question, match_ids,"
                " context, guidance_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    message_id,
                    channel_id,
                    question,
                    match_json,
                    context_json,
                    guidance_version,
                    self._clock(),
                ),
            )

    _TURN_COLUMNS = (
        "message_id, channel_id, question, match_ids, context, guidance_version, created_at"
    )

    def get_turn(self, message_id: int) -> TurnRecord | None:
        """The turn behind answer message ``message_id``, or None."""
        with self._tx(write=False) as conn:
            row = conn.execute(
                f"SELECT {self._TURN_COLUMNS} FROM turns WHERE message_id = ?", (message_id,)
            ).fetchone()
        return self._turn(row)

    def last_turn(self, channel_id: int) -> TurnRecord | None:
        """The latest turn saved for conversation channel ``channel_id``, or None."""
        with self._tx(write=False) as conn:
            row = conn.execute(
                f"SELECT {self._TURN_COLUMNS} FROM turns WHERE channel_id = ?"
                " ORDER BY message_id DESC LIMIT 1",
                (channel_id,),
            ).fetchone()
        return self._turn(row)

    @staticmethod
    def _turn(row: Sequence[Any] | None) -> TurnRecord | None:
        if row is None:
            return None
        return TurnRecord(
            message_id=row[0],
            channel_id=row[1],
            question=row[2],
            match_ids=json.loads(row[3]),
            context=json.loads(row[4]),
            guidance_version=row[5],
            created_at=row[6],
        )

    # -- reporting ---------------------------------------------------------

    def report(self, since: datetime | float) -> Report:
        """Unanswered questions, not-helpful answers and vote counts since ``since``.

        ``since`` is a datetime (naive means local time) or epoch seconds.
        """
        start = _epoch(since)
        until = self._clock()
        with self._tx(write=False) as conn:
            unanswered = [
                UnansweredQuestion(
                    id=r[0],
                    question=r[1],
                    suggestions=json.loads(r[2]),
                    user_id=r[3],
                    created_at=r[4],
                )
                for r in conn.execute(
                    "SELECT id, question, suggestions, user_id, created_at FROM unanswered"
                    " WHERE created_at >= ? ORDER BY created_at, id",
                    (start,),
                )
            ]
            not_helpful = [
                FeedbackRecord(
                    id=r[0],
                    question=r[1],
                    item_id=r[2],
                    helpful=bool(r[3]),
                    user_id=r[4],
                    guidance_version=r[5],
                    created_at=r[6],
                )
                for r in conn.execute(
                    "SELECT id, question, item_id, helpful, user_id, guidance_version,"
                    " created_at FROM feedback WHERE created_at >= ? AND helpful = 0"
                    " ORDER BY created_at, id",
                    (start,),
                )
            ]
            counts = {
                item: ItemCounts(helpful=h, not_helpful=n)
                for item, h, n in conn.execute(
                    "SELECT item_id, SUM(helpful), SUM(1 - helpful) FROM feedback"
                    " WHERE created_at >= ? GROUP BY item_id ORDER BY item_id",
                    (start,),
                )
            }
        return Report(
            since=start,
            until=until,
            unanswered=unanswered,
            not_helpful=not_helpful,
            item_counts=counts,
        )

    # -- privacy -----------------------------------------------------------

    #: Every table that stores question text.
    _QUESTION_TABLES = ("feedback", "unanswered", "turns")
    _BLANK_SQL = tuple(
        f"UPDATE {table} SET question = NULL WHERE question IS NOT NULL{{cond}}"
        for table in _QUESTION_TABLES
    )

    def purge_questions(self) -> int:
        """Blank every stored question text now; returns how many were blanked
        (one per stored copy: an answer's turn, a vote, an unanswered question).

        Votes, suggestions and counts are kept.
        """
        with self._tx(write=True) as conn:
            return sum(conn.execute(sql.format(cond="")).rowcount for sql in self._BLANK_SQL)

    def purge_expired(self) -> int:
        """Blank question text older than ``retention_days``; returns how many.

        Cheap when there is nothing to do (an indexed read, no write
        transaction), so it can be called often.
        """
        if self.retention_days is None:
            return 0
        cutoff = self._clock() - self.retention_days * _DAY
        with self._lock:
            if not self._has_expired(cutoff):
                return 0
            with self._tx(write=True) as conn:
                return self._blank_before(conn, cutoff)

    def _has_expired(self, cutoff: float) -> bool:
        query = " OR ".join(
            f"EXISTS (SELECT 1 FROM {table} WHERE question IS NOT NULL AND created_at < ?)"
            for table in self._QUESTION_TABLES
        )
        with self._tx(write=False) as conn:
            row = conn.execute(f"SELECT {query}", (cutoff,) * len(self._QUESTION_TABLES)).fetchone()
        return bool(row[0])

    def _blank_before(self, conn: sqlite3.Connection, cutoff: float) -> int:
        cond = " AND created_at < ?"
        return sum(
            conn.execute(sql.format(cond=cond), (cutoff,)).rowcount for sql in self._BLANK_SQL
        )
