"""An on-disk cache of the loaded guidance and fitted index, so a one-shot ``pact-advisor ask``
starts fast.

The key covers everything the cached state depends on: the guidance files' hash, the retrieval
settings, the source of the engine, the schema and validation code (``knowledge/``) and the
checklist code, and the versions of this package, scikit-learn, symspellpy and NumPy. A
missing, stale or unreadable entry is simply rebuilt; the cache never changes an answer.

An entry holds nothing that can run code: a JSON header (the validated guidance, the
vocabularies, the speller's tables, the rules' patterns as written for RE2, and each array's
dtype, shape and place) followed by the fitted index's arrays as raw bytes, each aligned to 64
bytes, so loading it imports neither scikit-learn nor scipy, and the arrays are used in place
(read-only views of the memory-mapped file, never copied: a large guidance's entry is hundreds
of megabytes, and a question only reads the pages of the documents it compares). It also
carries an HMAC made with this installation's key (a random key in ``.key`` inside the cache
folder, a file only the owner can read), so a planted or altered entry, which could not run
code but could change answers, is never used. Checking the HMAC reads the whole entry, so
once an entry has been checked, a stamp records it for that very file (inode, size, times),
and later starts trust the file as Python trusts a ``.pyc``: a question then reads only the
pages it needs. A cache folder that others can write to (or
that belongs to someone else) is not used at all: whoever can write there could replace the
key (:mod:`pact_advisor.cachedir`). Entries are written to a temporary file and renamed, so
a crash, a full disk or a concurrent start never leaves a half-written entry under an
entry's name.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import logging
import mmap
import os
import time
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import numpy
import orjson

from pact_advisor import __version__, collector
from pact_advisor.cachedir import (
    TAG_BYTES,
    UnsafeCacheDir,
    installation_key,
    keep_newest,
    passed,
    record_passed,
    sign,
    write_signed,
)
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

#: An entry's file name ends so; its body starts with the format's magic bytes.
SUFFIX = ".entry"
_MAGIC = b"PACTIDX\x01"
#: Each array starts at a multiple of this many bytes from the end of the header.
_ALIGN = 64

_PACKAGE = Path(__file__).resolve().parent.parent


def _source_files() -> list[Path]:
    """The code that shapes a cache entry: the engine, the schema and validation, checklists,
    and the catalogues the rendering check renders the guidance's texts with."""
    files = [
        *sorted((_PACKAGE / "engine").glob("*.py")),
        *sorted((_PACKAGE / "knowledge").glob("*.py")),
        _PACKAGE / "checklists.py",
        *sorted(p for p in (_PACKAGE / "i18n").rglob("*") if p.suffix in (".py", ".mo")),
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
    return directory / f"index-{key}{SUFFIX}"


def _parts(
    guidance: Guidance, state: tuple[dict[str, numpy.ndarray], dict]
) -> Iterator[bytes | memoryview]:
    """An entry's body, a part at a time: the header, then each array's bytes, padded."""
    arrays, meta = state
    contiguous = {
        name: a if a.flags.c_contiguous else numpy.array(a, order="C")
        for name, a in ((name, numpy.asarray(array)) for name, array in arrays.items())
    }
    places, offset = [], 0
    for name, array in contiguous.items():
        places.append([name, array.dtype.str, list(array.shape), offset])
        offset += _aligned(array.nbytes)
    header = {"guidance": to_data(guidance), "index": meta, "arrays": places}
    data = orjson.dumps(header)
    head = _MAGIC + len(data).to_bytes(8, "little") + data
    yield head + bytes(_aligned(len(head)) - len(head))
    for array in contiguous.values():
        yield memoryview(array.reshape(-1).view(numpy.uint8))
        yield bytes(_aligned(array.nbytes) - array.nbytes)


def _encode(guidance: Guidance, state: tuple[dict[str, numpy.ndarray], dict]) -> bytes:
    """An entry's body in one piece (:func:`save` writes :func:`_parts` one by one)."""
    return b"".join(_parts(guidance, state))


def _aligned(size: int) -> int:
    return -(-size // _ALIGN) * _ALIGN


def _decode(body: bytes | bytearray | memoryview) -> Entry:
    """An entry's guidance and index state; the arrays are views of ``body``."""
    body = memoryview(body)
    if bytes(body[: len(_MAGIC)]) != _MAGIC:
        raise ValueError("not an index cache entry of this format")
    end = _header_end(body)
    header = orjson.loads(body[len(_MAGIC) + 8 : end])
    start = _aligned(end)
    arrays = {}
    for name, dtype, shape, at in header["arrays"]:
        kind = numpy.dtype(dtype)
        if kind.hasobject:
            raise ValueError(f"{name}: an array of objects")
        count = int(numpy.prod(shape, dtype=numpy.int64))
        if start + at + count * kind.itemsize > len(body):
            raise ValueError(f"{name}: past the end of the entry")
        array = numpy.frombuffer(body, kind, count, start + at)
        arrays[name] = array.reshape(shape)
    return from_data(header["guidance"]), (arrays, header["index"])


def load(directory: Path, key: str) -> Entry | None:
    """The entry for ``key``, or None when it is missing, unauthentic, damaged or unsafe."""
    path = _entry_path(directory, key)
    try:
        secret = installation_key(directory, create=False)
        if secret is None:
            return None
        with open(path, "rb") as handle:
            # Mapped, not read: the arrays are views of the file's pages, which the system
            # shares with every process that has the entry open. An entry is only ever
            # replaced by renaming a new file over it, so these pages never change.
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            info = os.fstat(handle.fileno())
    except FileNotFoundError:
        return None
    except UnsafeCacheDir as exc:
        log.warning("not using the index cache: %s", exc)
        return None
    except (OSError, ValueError):  # ValueError: an empty file
        log.warning("ignoring unreadable index cache %s", path, exc_info=True)
        return None
    view = memoryview(mapped)
    tag, body = bytes(view[:TAG_BYTES]), view[TAG_BYTES:]
    stamp = _verified_stamp(key, info)
    if not passed(directory, stamp):
        if len(tag) != TAG_BYTES or not hmac.compare_digest(
            tag, sign(secret, key, _checked_parts(mapped, view))
        ):
            log.warning("ignoring index cache %s: it was not written by this installation", path)
            return None
        if time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) > SETTLED_NS:
            record_passed(directory, stamp)
    try:
        entry = _decode(body)
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        # An authentic entry that this build cannot read: rebuild.
        log.warning("ignoring unreadable index cache %s", path, exc_info=True)
        return None
    # The header is parsed into objects of its own: its pages are let go (130 MB at 10,000
    # items), which an answer never reads again.
    _forget(mapped, 0, TAG_BYTES + _header_end(body))
    return entry


def _header_end(body: memoryview) -> int:
    """Where the header (magic, length, JSON) of an entry's body ends."""
    return len(_MAGIC) + 8 + int.from_bytes(body[len(_MAGIC) : len(_MAGIC) + 8], "little")


def _forget(mapped: mmap.mmap, start: int, length: int) -> None:
    """Let go of the mapped pages of ``start:start + length`` that lie wholly inside it: they
    leave this process's memory, and come back from the system's file cache if read again."""
    forget = getattr(mmap, "MADV_DONTNEED", None)
    first = -(-start // mmap.PAGESIZE) * mmap.PAGESIZE
    end = (start + length) // mmap.PAGESIZE * mmap.PAGESIZE
    if forget is not None and end > first:
        mapped.madvise(forget, first, end - first)


#: How long ago an entry must have last changed for its check to be stamped. File times tick
#: coarsely (a few milliseconds), so a file changed again within the same tick as the check
#: would keep its times; one whose times are this old cannot change without new ones.
SETTLED_NS = 2_000_000_000


def _verified_stamp(key: str, info: os.stat_result) -> str:
    """The name of the stamp recording that the entry for ``key``, as this very file (its
    inode, size, and modification and change times), was authenticated in full before.

    Authenticating means reading every byte (a second for an entry of 1.5 GB); a start that
    finds the stamp trusts the file as Python trusts a ``.pyc`` whose source's size and time
    match. Any write to the file, or a new file under its name, changes the change time or
    the inode, so the entry is authenticated again; and whoever could reset both could read
    the key as well.
    """
    identity = f"{key}\0{info.st_ino}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}"
    return "entry-" + hashlib.sha256(identity.encode()).hexdigest()[:24]


#: The entry is authenticated this many bytes at a time (a multiple of any page size).
_CHECKED = 1 << 26


def _checked_parts(mapped: mmap.mmap, view: memoryview) -> Iterator[memoryview]:
    """The body of a mapped entry a part at a time; each part's pages are let go once it is
    signed, so checking a large entry does not hold all of it in memory (the pages an answer
    reads come back from the system's file cache)."""
    for start in range(0, len(view), _CHECKED):
        yield view[max(start, TAG_BYTES) : start + _CHECKED]
        _forget(mapped, start, min(_CHECKED, len(view) - start))


def save(
    directory: Path, key: str, guidance: Guidance, state: tuple[dict[str, numpy.ndarray], dict]
) -> None:
    """Write the entry for ``key`` atomically; a cache that cannot be written is skipped."""
    try:
        name = _entry_path(directory, key).name
        write_signed(directory, name, key, _parts(guidance, state))
        _prune(directory)
    except UnsafeCacheDir as exc:
        log.warning("not using the index cache: %s", exc)
    except OSError:
        log.warning("could not write the index cache in %s", directory, exc_info=True)


def _prune(directory: Path) -> None:
    """Keep the few newest entries: each guidance edit or upgrade leaves an old one behind."""
    keep_newest(directory.glob(f"index-*{SUFFIX}"), KEEP)
    for legacy in (*directory.glob("index-*.pickle"), *directory.glob("index-*.npz")):
        legacy.unlink(missing_ok=True)  # the formats of earlier releases


def load_engine(
    directory: Path, cache_dir: Path | None, config: IndexConfig | None = None
) -> Engine:
    """The engine for the guidance in ``directory``, from the cache when it is current.

    A cache hit skips parsing, validating, the rendering check and fitting; anything else
    loads and validates the guidance as usual and renders every advice text and checklist step
    once (:func:`~pact_advisor.knowledge.rendering.check_rendering`), raising
    :class:`~pact_advisor.knowledge.GuidanceError`, before it fits and refreshes the cache. So
    an entry only ever holds guidance whose texts render, checked by the code in its key, and
    every engine this returns serves such guidance.
    """
    from pact_advisor.engine.engine import Engine

    config = config or IndexConfig()
    key = None
    if cache_dir is not None:
        with contextlib.suppress(OSError):
            key = cache_key(guidance_version(directory), config)
    with collector.paused():  # a guidance's worth of small objects, none in a cycle
        cached = load(cache_dir, key) if cache_dir is not None and key is not None else None
    if cached is not None:
        guidance, state = cached
        # The same files in another folder share the entry; the guidance is this folder's.
        guidance = dataclasses.replace(guidance, directory=Path(directory))
        return Engine(guidance, config, state=state)
    from pact_advisor.knowledge.rendering import check_rendering

    with collector.paused():
        guidance = load_guidance(directory)
        check_rendering(guidance)
        engine = Engine(guidance, config)
    if cache_dir is not None and key is not None:
        save(cache_dir, key, engine.guidance, engine.state())
    return engine
