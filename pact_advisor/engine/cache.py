"""An on-disk cache of the loaded guidance and fitted index, so a one-shot ``pact-advisor ask``
starts fast.

The key covers everything the cached state depends on: the guidance files' hash, the retrieval
settings, the source of the engine, the schema and validation code (``knowledge/``) and the
checklist code, and the versions of this package, scikit-learn and NumPy. A missing, stale or
unreadable entry is simply rebuilt; the cache never changes an answer.

An entry holds nothing that can run code: the fitted index as NumPy arrays in an ``.npz``
(read with ``allow_pickle=False``) and the validated guidance, the vocabularies and the
speller's tables as JSON, so loading it imports neither scikit-learn nor scipy. It also
carries an HMAC made with this installation's key (a random key in ``.key`` inside the cache
folder, a file only the owner can read), so a planted or altered entry, which could not run
code but could change answers, is never used. A cache folder that others can write to (or
that belongs to someone else) is not used at all: whoever can write there could replace the
key. Entries are written to a temporary file and renamed, so a crash, a full disk or a
concurrent start never leaves a half-written entry under an entry's name.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import hmac
import io
import json
import logging
import os
import secrets
import stat
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import numpy

from pact_advisor import __version__
from pact_advisor.engine.index import IndexConfig
from pact_advisor.knowledge import Guidance, guidance_version, load_guidance
from pact_advisor.knowledge.snapshot import from_data, to_data
from pact_advisor.resources import CACHE_ENV, default_cache_dir

__all__ = ["CACHE_ENV", "cache_key", "default_cache_dir", "load", "load_engine", "save"]

if TYPE_CHECKING:
    from pact_advisor.engine.engine import Engine

#: An entry: the guidance (as data) and the index's fitted state (arrays and data).
Entry = tuple[Guidance, tuple[dict[str, numpy.ndarray], dict]]

log = logging.getLogger(__name__)

#: Cache entries kept (one per guidance folder and version in use).
KEEP = 4

#: The per-installation key, inside the (owner-only) cache folder.
KEY_FILE = ".key"
_KEY_BYTES = 32
_TAG_BYTES = hashlib.sha256().digest_size

_PACKAGE = Path(__file__).resolve().parent.parent


def _source_files() -> list[Path]:
    """The code that shapes a cache entry: the engine, the schema and validation, checklists."""
    files = [
        *sorted((_PACKAGE / "engine").glob("*.py")),
        *sorted((_PACKAGE / "knowledge").glob("*.py")),
        _PACKAGE / "checklists.py",
    ]
    return files


def _engine_source() -> str:
    """Hash of the code behind a cache entry: a changed class or validator never meets an old
    entry."""
    digest = hashlib.sha256()
    for path in _source_files():
        digest.update(str(path.relative_to(_PACKAGE)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


class UnsafeCacheDir(Exception):
    """A cache folder (or key file) that someone other than the owner could have written."""


def _check_private_dir(directory: Path) -> None:
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


def _installation_key(directory: Path, *, create: bool) -> bytes | None:
    """This installation's HMAC key, made on first use (safely against concurrent starts)."""
    _check_private_dir(directory)
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


def _tag(key: bytes, entry_key: str, body: bytes) -> bytes:
    # The entry's name is signed too: a valid entry copied under another name is refused.
    return hmac.new(key, entry_key.encode() + b"\0" + body, hashlib.sha256).digest()


def cache_key(guidance_version: str, config: IndexConfig) -> str:
    parts = (
        guidance_version,
        repr(config),
        __version__,
        _engine_source(),
        _version("scikit-learn"),
        _version("symspellpy"),
        numpy.__version__,
    )
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return ""


def _entry_path(directory: Path, key: str) -> Path:
    return directory / f"index-{key}.npz"


def _encode(guidance: Guidance, state: tuple[dict[str, numpy.ndarray], dict]) -> bytes:
    arrays, meta = state
    text = json.dumps({"guidance": to_data(guidance), "index": meta}, ensure_ascii=False)
    buffer = io.BytesIO()
    numpy.savez(buffer, **arrays, **{"meta.json": numpy.frombuffer(text.encode(), numpy.uint8)})
    return buffer.getvalue()


def _decode(body: bytes) -> Entry:
    with numpy.load(io.BytesIO(body), allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    meta = json.loads(arrays.pop("meta.json").tobytes().decode())
    return from_data(meta["guidance"]), (arrays, meta["index"])


def load(directory: Path, key: str) -> Entry | None:
    """The entry for ``key``, or None when it is missing, unauthentic, damaged or unsafe."""
    path = _entry_path(directory, key)
    try:
        secret = _installation_key(directory, create=False)
        if secret is None:
            return None
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return None
    except UnsafeCacheDir as exc:
        log.warning("not using the index cache: %s", exc)
        return None
    except OSError:
        log.warning("ignoring unreadable index cache %s", path, exc_info=True)
        return None
    tag, body = data[:_TAG_BYTES], data[_TAG_BYTES:]
    if len(tag) != _TAG_BYTES or not hmac.compare_digest(tag, _tag(secret, key, body)):
        log.warning("ignoring index cache %s: it was not written by this installation", path)
        return None
    try:
        return _decode(body)
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile):
        # An authentic entry that this build cannot read: rebuild.
        log.warning("ignoring unreadable index cache %s", path, exc_info=True)
        return None


def save(
    directory: Path, key: str, guidance: Guidance, state: tuple[dict[str, numpy.ndarray], dict]
) -> None:
    """Write the entry for ``key`` atomically; a cache that cannot be written is skipped."""
    tmp: str | None = None
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        secret = _installation_key(directory, create=True)
        if secret is None:  # pragma: no cover - _installation_key creates it
            return
        body = _encode(guidance, state)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".index-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(_tag(secret, key, body))
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, _entry_path(directory, key))
        tmp = None
        _prune(directory)
    except UnsafeCacheDir as exc:
        log.warning("not using the index cache: %s", exc)
    except OSError:
        log.warning("could not write the index cache in %s", directory, exc_info=True)
    finally:
        if tmp is not None:  # a full or failing disk: leave no partial file behind
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _prune(directory: Path) -> None:
    """Keep the few newest entries: each guidance edit or upgrade leaves an old one behind."""
    entries = []
    for path in directory.glob("index-*.npz"):
        try:
            entries.append((path.stat().st_mtime, path))
        except FileNotFoundError:  # pruned by a concurrent start
            continue
    for _, stale in sorted(entries)[:-KEEP]:
        stale.unlink(missing_ok=True)
    for legacy in directory.glob("index-*.pickle"):  # the format of earlier releases
        legacy.unlink(missing_ok=True)


def load_engine(
    directory: Path, cache_dir: Path | None, config: IndexConfig | None = None
) -> Engine:
    """The engine for the guidance in ``directory``, from the cache when it is current.

    A cache hit skips parsing, validating and fitting; anything else loads and validates the
    guidance as usual (raising :class:`~pact_advisor.knowledge.GuidanceError`) and refreshes the cache.
    """
    from pact_advisor.engine.engine import Engine

    config = config or IndexConfig()
    if cache_dir is None:
        return Engine(load_guidance(directory), config)
    try:
        key = cache_key(guidance_version(directory), config)
    except OSError:
        return Engine(load_guidance(directory), config)
    cached = load(cache_dir, key)
    if cached is not None:
        guidance, state = cached
        # The same files in another folder share the entry; the guidance is this folder's.
        guidance = dataclasses.replace(guidance, directory=Path(directory))
        return Engine(guidance, config, state=state)
    engine = Engine(load_guidance(directory), config)
    save(cache_dir, key, engine.guidance, engine.index.state())
    return engine
