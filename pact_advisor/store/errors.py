"""What can go wrong with the database, worded for a person.

Every SQLite failure leaves the store as a :class:`StoreError` whose message can be shown
as is (``"could not save: the database is read-only"``); :func:`reason` turns an SQLite
error into those words, from its result code. :func:`write_problem` asks the database
file whether it accepts a write right now, in the same words.
"""

from __future__ import annotations

import logging
import os
import sqlite3

log = logging.getLogger(__name__)

#: How a database that refuses writes is described: "the database {READ_ONLY}".
READ_ONLY = "is read-only"
LOCKED = "is locked by another program"


class StoreError(Exception):
    """A storage failure, with a message that can be shown to a person.

    The original :class:`sqlite3.Error` (if any) is the ``__cause__``.
    """


class UnusableDatabase(StoreError):
    """The file is there but is not a Pact Advisor database this program can use: damaged,
    not a database, another application's, from a newer version, or a folder. Opening it
    changed nothing in it."""


class UnknownRunError(ValueError, LookupError):
    """No checklist run has the given id."""

    def __init__(self, run_id: int) -> None:
        super().__init__(f"no checklist run with id {run_id}")
        self.run_id = run_id


# SQLite primary result codes (https://sqlite.org/rescode.html).
_PERM = 3
_BUSY = 5
_LOCKED = 6
_NOMEM = 7
_READONLY = 8
_IOERR = 10
_CORRUPT = 11
_FULL = 13
_CANTOPEN = 14
_NOTADB = 26

_REASONS = {
    _PERM: "permission denied",
    _BUSY: f"the database {LOCKED}; try again",
    _LOCKED: f"the database {LOCKED}; try again",
    _NOMEM: "out of memory",
    _READONLY: f"the database {READ_ONLY}",
    _IOERR: "a disk I/O error occurred",
    _CORRUPT: "the database file is damaged",
    _FULL: "the disk is full",
    _CANTOPEN: "the database file cannot be opened",
    _NOTADB: "the file is not a database",
}

#: For errors that come without a result code: words in the message, and their code.
_NEEDLES = (
    ("readonly", _READONLY),
    ("read-only", _READONLY),
    ("locked", _BUSY),
    ("disk i/o", _IOERR),
    ("disk is full", _FULL),
    ("not a database", _NOTADB),
    ("malformed", _CORRUPT),
    ("unable to open", _CANTOPEN),
)


def _code(exc: sqlite3.Error) -> int | None:
    """The primary result code of ``exc``, if it is one the table knows."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _REASONS:
        return code & 0xFF
    text = str(exc).lower()
    return next((code for needle, code in _NEEDLES if needle in text), None)


def is_damage(exc: BaseException) -> bool:
    """Whether ``exc`` says the database file is damaged or is not a database at all."""
    cause = exc if isinstance(exc, sqlite3.Error) else exc.__cause__
    return isinstance(cause, sqlite3.Error) and _code(cause) in (_CORRUPT, _NOTADB)


def is_full(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk (or the database's size limit) is full."""
    cause = exc if isinstance(exc, sqlite3.Error) else exc.__cause__
    return isinstance(cause, sqlite3.Error) and _code(cause) == _FULL


def reason(exc: sqlite3.Error) -> str:
    """A short human description of an SQLite error."""
    code = _code(exc)
    if code is not None:
        return _REASONS[code]
    return str(exc) or type(exc).__name__


def write_problem(path: str | os.PathLike[str], timeout: float) -> str | None:
    """Why the database at ``path`` cannot be written right now (:data:`READ_ONLY`,
    :data:`LOCKED`), or ``None`` if it can.

    Opening a store only reads an up-to-date database, so a read-only file or a lock held by
    another program goes unnoticed until the first write. This makes one real write (the
    header's ``user_version``, set to itself) on a connection of its own, and rolls it back.
    """
    if os.fspath(path) == ":memory:":
        return None
    try:
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    except sqlite3.Error:
        return None  # a store opened it a moment ago; let the store report what changed
    try:
        conn.execute("BEGIN IMMEDIATE")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        code = _code(exc)
        if code == _READONLY:
            return READ_ONLY
        if code in (_BUSY, _LOCKED):
            return LOCKED
        log.warning("database write check failed: %s", exc)
        return None
    finally:
        conn.close()
    return None
