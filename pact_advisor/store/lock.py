"""One bot process per database file.

SQLite keeps two processes on one file consistent (every tick is a short ``BEGIN
IMMEDIATE`` transaction, and neither loses the other's), but two bots answering on the same
database are a mistake: every interaction would be answered twice, or by whichever process
Discord reaches. :class:`ProcessLock` is an exclusive lock on a file next to the database
(``advisor.db.lock``), taken at start and held until the process ends; the operating system
releases it if the process dies, so a crash never leaves a stale lock. Built on
``filelock``, which does this portably (``flock`` on Unix, ``msvcrt`` on Windows).
"""

from __future__ import annotations

import os
from pathlib import Path

from filelock import FileLock, Timeout

from pact_advisor.store.errors import StoreError


class AlreadyRunning(StoreError):
    """Another process holds the database's lock."""


class ProcessLock:
    """The exclusive lock of the database at ``db_path`` for this process.

    :meth:`acquire` raises :class:`AlreadyRunning` (naming the other process's id when it
    wrote it) instead of waiting. Nothing is locked for ``":memory:"``.
    """

    def __init__(self, db_path: str | os.PathLike[str]) -> None:
        self.db_path = os.fspath(db_path)
        self.path = Path(self.db_path + ".lock")
        self._lock: FileLock | None = None

    def acquire(self) -> ProcessLock:
        if self.db_path == ":memory:":
            return self
        lock = FileLock(self.path, timeout=0, mode=0o600)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            lock.acquire()
        except Timeout:
            raise AlreadyRunning(
                f"another Pact Advisor process{self._holder()} is already using the database "
                f"at {self.db_path}"
            ) from None
        except OSError as exc:
            raise StoreError(
                f"could not open the database at {self.db_path}: cannot lock it "
                f"({exc.strerror or exc})"
            ) from exc
        self._lock = lock
        self.path.write_text(f"{os.getpid()}\n", encoding="ascii")
        return self

    def _holder(self) -> str:
        try:
            pid = self.path.read_text(encoding="ascii").strip()
        except OSError:
            return ""
        return f" (process id {pid})" if pid.isdigit() else ""

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> ProcessLock:
        return self.acquire()

    def __exit__(self, *exc_info: object) -> None:
        self.release()
