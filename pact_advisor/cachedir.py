"""The cache folder's safety and this installation's key, and the record of checks that passed.

Whatever the cache keeps (start-up entries, passed checks) is trusted only because this
installation wrote it: each file carries an HMAC made with a random key in ``.key``, a file
only the owner can read, inside a folder only the owner can write. A folder that others can
write to, or that belongs to someone else, is not used at all, since whoever can write there
could replace the key.

A *passed check* is a stamp named by the hash of everything the check read: a start that
finds the stamp for exactly its inputs knows the check would pass again and skips it, the way
Python skips compiling a module whose ``.pyc`` matches the source's size and modification
time. A missing, planted or altered stamp only means the check runs.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import hmac
import logging
import os
import secrets
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

log = logging.getLogger(__name__)

#: The per-installation key, inside the (owner-only) cache folder.
KEY_FILE = ".key"
_KEY_BYTES = 32
TAG_BYTES = hashlib.sha256().digest_size
#: A passed check's stamp is ``checked-{name}``; the newest few are kept.
STAMP_PREFIX = "checked-"
KEEP_STAMPS = 8


#: What is signed: bytes, or its parts in order.
Body = bytes | bytearray | memoryview | Iterable[bytes | bytearray | memoryview]


class UnsafeCacheDir(Exception):
    """A cache folder (or key file) that someone other than the owner could have written."""


def check_private_dir(directory: Path) -> None:
    """Raise :class:`UnsafeCacheDir` unless ``directory`` is ours and writable by us alone."""
    info = os.lstat(directory)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise UnsafeCacheDir(f"{directory} is not a plain folder")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise UnsafeCacheDir(f"{directory} belongs to another user")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise UnsafeCacheDir(f"{directory} can be written by other users (chmod 700 it)")


def _read_key(path: Path) -> bytes | None:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeCacheDir(f"{path} is a symbolic link") from None
        raise
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeCacheDir(f"{path} is not a plain file")
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise UnsafeCacheDir(f"{path} belongs to another user")
        if info.st_mode & 0o077:
            raise UnsafeCacheDir(f"{path} can be read or written by other users")
        key = handle.read(_KEY_BYTES + 1)
    if len(key) != _KEY_BYTES:
        raise UnsafeCacheDir(f"{path} is not a cache key")
    return key


def installation_key(directory: Path, *, create: bool) -> bytes | None:
    """This installation's HMAC key, made on first use (safely against concurrent starts)."""
    check_private_dir(directory)
    path = directory / KEY_FILE
    key = _read_key(path)
    if key is not None or not create:
        return key
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".key-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:  # mkstemp makes it 0600
            handle.write(secrets.token_bytes(_KEY_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
        # Atomic, and never replaces a key that a concurrent start has just made.
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        os.unlink(tmp)
    return _read_key(path)


def sign(key: bytes, name: str, body: Body) -> bytes:
    """The HMAC of ``body`` (bytes, or its parts in order) under ``name``: a valid file copied
    under another name is refused."""
    signer = hmac.new(key, name.encode() + b"\0", hashlib.sha256)
    for part in (body,) if isinstance(body, (bytes, bytearray, memoryview)) else body:
        signer.update(part)
    return signer.digest()


def write_signed(directory: Path, filename: str, signed_as: str, body: Body = b"") -> None:
    """Write ``body`` under its HMAC (:func:`sign` as ``signed_as``) to ``filename`` in
    ``directory``, atomically: a crash, a full disk or a concurrent start never leaves a
    half-written file under that name. ``body`` may be given as its parts, written one after
    another (a large entry is never joined in memory). The folder and the key are made on
    first use; raises ``OSError`` or :class:`UnsafeCacheDir`."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = installation_key(directory, create=True)
    if key is None:  # pragma: no cover - installation_key creates it
        return
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{filename}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            parts = (body,) if isinstance(body, (bytes, bytearray, memoryview)) else body

            def written() -> Iterator[bytes | bytearray | memoryview]:
                for part in parts:
                    handle.write(part)
                    yield part

            handle.write(bytes(TAG_BYTES))  # the tag's place, filled once the body is written
            tag = sign(key, signed_as, written())
            handle.seek(0)
            handle.write(tag)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, directory / filename)
    except BaseException:
        with contextlib.suppress(OSError):  # leave no partial file behind
            os.unlink(tmp)
        raise


def keep_newest(paths: Iterable[Path], count: int) -> None:
    """Delete all but the ``count`` most recently written of ``paths``."""
    dated = []
    for path in paths:
        try:
            dated.append((path.stat().st_mtime, path))
        except FileNotFoundError:  # pruned by a concurrent start
            continue
    for _, stale in sorted(dated)[:-count]:
        stale.unlink(missing_ok=True)


# -- passed checks --------------------------------------------------------------------------


def files_fingerprint(*roots: Path) -> str:
    """A hash of every file's path, size and modification time under ``roots`` (compiled
    bytecode left out): what a stamp names, cheap enough to compute on every start."""
    parts = []
    for root in roots:
        for folder, subfolders, names in os.walk(root):
            subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
            for name in sorted(names):
                if name.endswith(".pyc"):
                    continue
                info = os.stat(os.path.join(folder, name))
                parts.append(f"{folder}/{name}\0{info.st_size}\0{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def passed(directory: Path, name: str) -> bool:
    """Whether this installation recorded the check ``name`` as passed in ``directory``."""
    try:
        key = installation_key(directory, create=False)
        if key is None:
            return False
        with open(directory / f"{STAMP_PREFIX}{name}", "rb") as handle:
            written = handle.read(TAG_BYTES + 1)
    except (OSError, UnsafeCacheDir):
        return False
    return hmac.compare_digest(written, sign(key, STAMP_PREFIX + name, b""))


def record_passed(directory: Path, name: str) -> None:
    """Stamp the check ``name`` as passed (atomically); a folder that cannot take it only
    means the check runs again next time."""
    try:
        write_signed(directory, f"{STAMP_PREFIX}{name}", STAMP_PREFIX + name)
        keep_newest(directory.glob(f"{STAMP_PREFIX}*"), KEEP_STAMPS)
    except (OSError, UnsafeCacheDir):
        log.debug("could not record a passed check in %s", directory, exc_info=True)
