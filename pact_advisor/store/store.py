"""The SQLite store: one connection, short transactions, and every operation the program
needs on checklist runs, votes, unanswered questions and conversation turns.

Durability and safety
---------------------
* WAL journal, ``synchronous=FULL``: when a write method returns, the change has been
  fsynced and survives a SIGKILL (or power loss).
* Every write is a single short ``BEGIN IMMEDIATE`` ... ``COMMIT`` transaction; a failed
  write is rolled back as a whole.
* Any SQLite failure is raised as :class:`StoreError` with a message meant to be shown to a
  person (``"could not save: the database is read-only"``).
* An invalid step index raises :class:`ValueError`; an unknown run id raises
  :class:`UnknownRunError` (a ``ValueError`` and ``LookupError``).

Privacy
-------
Question text (in votes, unanswered questions and turns) is blanked after
``retention_days``: on open, and whenever :meth:`Store.purge_expired` is called (hourly, by
the bot). :meth:`Store.purge_questions` blanks all of it at once.
"""

from __future__ import annotations

import logging
import math
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from pact_advisor.checklists import Checklist
from pact_advisor.engine import Turn
from pact_advisor.store import feedback, retention, runs, schema, turns
from pact_advisor.store.channel import ChannelRecords
from pact_advisor.store.errors import StoreError, UnusableDatabase, is_damage, reason
from pact_advisor.store.records import Report, Run, TurnRecord
from pact_advisor.store.workplan import WorkPlanOperations

log = logging.getLogger(__name__)


def _create_private(path: Path) -> None:
    """Create the database file readable and writable by its owner only, if it is new: it
    holds the questions people asked. SQLite gives its -wal and -shm files the same mode."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except OSError:  # there already, or not creatable: sqlite3.connect opens it or says why
        return
    os.close(fd)


class Store(WorkPlanOperations, ChannelRecords):
    """The SQLite store. Thread-safe (one lock around one connection).

    Args:
        path: database file (created with its parent folders if missing), or ``":memory:"``.
        clock: returns the current time in epoch seconds; injected for tests.
        retention_days: question text older than this is blanked; ``None`` keeps it forever.
        busy_timeout: seconds to wait for a lock held by another connection before a write
            fails with :class:`StoreError`.

    Raises:
        StoreError: the database cannot be opened, created or migrated; the message names
            the path.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        clock: Callable[[], float] = time.time,
        retention_days: float | None = 90,
        busy_timeout: float = 5.0,
    ) -> None:
        if retention_days is not None and not (0 < retention_days < math.inf):
            raise ValueError("retention_days must be a finite positive number or None")
        self.path = str(path)
        self.retention_days = retention_days
        self._clock = clock
        self._busy_timeout = busy_timeout
        self._lock = threading.RLock()
        #: Damage found at run time has been reported (it is logged once, not per write).
        self.damage_reported = False
        #: Called once, with no arguments, when damage is first found at run time: from the
        #: thread that found it, with the store's lock held (so it must only hand the news on).
        self.on_damage: Callable[[], None] | None = None
        self._conn: sqlite3.Connection | None = self._open()
        try:
            if blanked := self.purge_expired():
                log.info("retention: blanked %d expired question(s) on open", blanked)
        except StoreError as exc:  # e.g. a read-only file: reads still work
            log.warning("retention purge on open skipped: %s", exc)

    # -- opening and closing -----------------------------------------------

    def _open_error(self, why: str) -> StoreError:
        return StoreError(f"could not open the database at {self.path}: {why}")

    def _open(self) -> sqlite3.Connection:
        if self.path != ":memory:":
            if Path(self.path).is_dir():
                raise UnusableDatabase(
                    f"could not open the database at {self.path}: it is a folder, not a file"
                )
            try:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            except OSError as exc:
                raise self._open_error(f"cannot create its folder ({exc.strerror or exc})") from exc
            _create_private(Path(self.path))
        try:
            conn = sqlite3.connect(
                self.path,
                isolation_level=None,
                check_same_thread=False,
                timeout=self._busy_timeout,
            )
        except sqlite3.Error as exc:
            raise self._open_error(reason(exc)) from exc
        try:
            # Checked before anything is written (even the journal mode, which is in the
            # file's header): a file that is not ours, or damaged, is left exactly as it is.
            self._check_intact(conn)
            self._configure(conn)
            for version in schema.migrate(conn, clock=self._clock):
                log.info("%s: applied schema migration v%d", self.path, version)
        except sqlite3.Error as exc:
            conn.close()
            if is_damage(exc):
                raise self._damaged(reason(exc)) from exc
            raise self._open_error(reason(exc)) from exc
        except StoreError as exc:
            conn.close()
            kind = UnusableDatabase if isinstance(exc, UnusableDatabase) else StoreError
            raise kind(f"could not open the database at {self.path}: {exc}") from exc
        return conn

    def _damaged(self, why: str) -> UnusableDatabase:
        return UnusableDatabase(
            f"could not open the database at {self.path}: {why}; nothing was changed in it"
        )

    def _check_intact(self, conn: sqlite3.Connection) -> None:
        """Refuse a damaged file (a quick structural check: milliseconds for a bot's
        database) and one of another application or a newer version (see
        :func:`~pact_advisor.store.schema.migrate`)."""
        conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout * 1000)}")
        (verdict,) = conn.execute("PRAGMA quick_check(1)").fetchone()
        if verdict != "ok":
            raise self._damaged("the database file is damaged")
        schema.check_usable(conn)

    def _configure(self, conn: sqlite3.Connection) -> None:
        conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() not in ("wal", "memory"):
            log.warning("%s: journal_mode is %s, not WAL", self.path, mode)
        conn.execute("PRAGMA synchronous = FULL")
        # Deleted and overwritten content is zeroed, so purged question text does not linger
        # in free pages or free space inside a page.
        conn.execute("PRAGMA secure_delete = ON")

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
                raise self._failure(verb, exc) from exc
            try:
                yield conn
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback(conn)
                raise self._failure(verb, exc) from exc
            except BaseException:
                self._rollback(conn)
                raise

    def _failure(self, verb: str, exc: sqlite3.Error) -> StoreError:
        """``exc`` in words; damage to the file is also logged and passed to
        :attr:`on_damage`, once, for whoever runs the program (each failed operation still
        says so to the person who asked for it)."""
        if is_damage(exc) and not self.damage_reported:
            self.damage_reported = True
            log.critical(
                "the database at %s is damaged (%s): stop the program, keep a copy of the file "
                "and restore a backup or recover it (sqlite3 %s .recover)",
                self.path,
                exc,
                self.path,
            )
            try:
                if self.on_damage is not None:
                    self.on_damage()
            except Exception:  # the listener's failure must not hide the store's error
                log.exception("the database damage listener failed")
        return StoreError(f"{verb}: {reason(exc)}")

    @staticmethod
    def _rollback(conn: sqlite3.Connection) -> None:
        try:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        except sqlite3.Error:  # pragma: no cover - nothing more we can do
            log.exception("rollback failed")

    def schema_versions(self) -> list[int]:
        """Applied migration versions, ascending."""
        with self._tx(write=False) as conn:
            return schema.applied_versions(conn)

    # -- checklist runs ----------------------------------------------------

    def create_run(
        self,
        checklist: Checklist,
        *,
        guild_id: int | None,
        channel_id: int | None,
        created_by: int,
        created_by_name: str | None = None,
        guidance_version: str | None = None,
        context_note: str | None = None,
    ) -> Run:
        """Store a new run of ``checklist`` and return it. The steps are kept as they are
        now: later guidance changes do not alter the run. ``context_note`` (``channel`` or
        ``thread``): it was written for the context set there."""
        with self._tx(write=True) as conn:
            run_id = runs.insert(
                conn,
                checklist,
                guild_id=guild_id,
                channel_id=channel_id,
                created_by=created_by,
                now=self._clock(),
                created_by_name=created_by_name,
                guidance_version=guidance_version,
                context_note=context_note,
            )
            run = runs.load(conn, run_id)
        assert run is not None
        return run

    def get_run(self, run_id: int) -> Run | None:
        """The run with its current ticks, or None if there is no such run."""
        with self._tx(write=False) as conn:
            return runs.load(conn, run_id)

    def set_tick(
        self, run_id: int, step: int, *, ticked: bool, user_id: int, user_name: str
    ) -> Run:
        """Tick or untick one step and return the run as now stored.

        Idempotent: ticking a ticked step keeps the original ticker and time; unticking an
        unticked step does nothing.

        Raises:
            UnknownRunError: no such run.
            ValueError: ``step`` is not a valid step index.
        """
        with self._tx(write=True) as conn:
            return runs.set_tick(
                conn,
                run_id,
                step,
                ticked=ticked,
                user_id=user_id,
                user_name=user_name,
                now=self._clock(),
            )

    # -- votes, unanswered questions, report -------------------------------

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
            return feedback.insert_feedback(
                conn,
                question,
                item_id,
                helpful,
                user_id=user_id,
                guidance_version=guidance_version,
                now=self._clock(),
            )

    def record_unanswered(
        self, question: str | None, suggestions: Sequence[str], *, user_id: int
    ) -> int:
        """Record a question with no good answer and the item ids suggested instead."""
        with self._tx(write=True) as conn:
            return feedback.insert_unanswered(
                conn, question, suggestions, user_id=user_id, now=self._clock()
            )

    def report(self, since: datetime | float) -> Report:
        """Unanswered questions, not-helpful answers and vote counts since ``since``.

        ``since`` is a datetime (naive means local time) or epoch seconds.
        """
        start = feedback.epoch(since)
        until = self._clock()
        with self._tx(write=False) as conn:
            return feedback.report(conn, start, until)

    # -- conversation turns ------------------------------------------------

    def save_turn(
        self,
        message_id: int,
        turn: Turn,
        *,
        channel_id: int | None = None,
        guidance_version: str | None = None,
        keep_question: bool = True,
    ) -> None:
        """Store the turn behind answer message ``message_id`` (replacing an earlier one).

        ``channel_id`` marks it as the latest turn of a conversation channel (a thread or
        DM); see :meth:`last_turn`. Without ``keep_question`` no text of the question is
        stored (it held personal data), only that it was asked.
        """
        with self._tx(write=True) as conn:
            turns.save(
                conn,
                message_id,
                turn,
                channel_id=channel_id,
                guidance_version=guidance_version,
                now=self._clock(),
                keep_question=keep_question,
            )

    def get_turn(self, message_id: int) -> TurnRecord | None:
        """The turn behind answer message ``message_id``, or None."""
        with self._tx(write=False) as conn:
            return turns.by_message(conn, message_id)

    def last_turn(self, channel_id: int) -> TurnRecord | None:
        """The latest turn saved for conversation channel ``channel_id``, or None."""
        with self._tx(write=False) as conn:
            return turns.last_in_channel(conn, channel_id)

    def recent_turns(self, limit: int = 200) -> list[TurnRecord]:
        """The latest ``limit`` answers whose question is still stored, newest first (what a
        reload preview replays under the new guidance)."""
        with self._tx(write=False) as conn:
            return turns.recent(conn, limit)

    # -- privacy -----------------------------------------------------------

    def purge_questions(self) -> int:
        """Blank every stored question text now; returns how many were blanked (one per
        stored copy: an answer's turn, a vote, an unanswered question).

        Votes, suggestions and counts are kept.
        """
        with self._lock:
            with self._tx(write=True) as conn:
                blanked = retention.blank(conn)
            self._scrub_wal()
            return blanked

    def purge_expired(self) -> int:
        """Blank question text older than ``retention_days``; returns how many.

        Cheap when there is nothing to do (an indexed read, no write transaction), so it
        can be called often.
        """
        if self.retention_days is None:
            return 0
        before = retention.cutoff(self._clock(), self.retention_days)
        with self._lock:
            with self._tx(write=False) as conn:
                if not retention.has_expired(conn, before):
                    return 0
            with self._tx(write=True) as conn:
                blanked = retention.blank(conn, before)
            self._scrub_wal()
            return blanked

    def _scrub_wal(self) -> None:
        """Copy the WAL into the database and truncate it: the WAL still holds the pages as
        they were before a purge, question text included."""
        conn = self._connection()
        try:
            busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.Error as exc:
            log.warning("%s: could not checkpoint after a purge: %s", self.path, reason(exc))
            return
        if busy:  # another connection is reading; the next purge (hourly) tries again
            log.warning("%s: purged text may remain in the WAL until the next purge", self.path)
