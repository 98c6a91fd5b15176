"""An on-disk cache of the loaded guidance and fitted index, so a one-shot ``pact-advisor ask``
starts fast.

The key covers everything the fitted state depends on: the guidance files' hash, the retrieval
settings and the versions of this package, scikit-learn and NumPy. A missing, stale or
unreadable entry is simply rebuilt; the cache never changes an answer.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy
import sklearn

from pact_advisor import __version__
from pact_advisor.engine.index import Index, IndexConfig
from pact_advisor.knowledge import Guidance, guidance_version, load_guidance
from pact_advisor.resources import CACHE_ENV, default_cache_dir

__all__ = ["CACHE_ENV", "cache_key", "default_cache_dir", "load", "load_engine", "save"]

if TYPE_CHECKING:
    from pact_advisor.engine.engine import Engine

log = logging.getLogger(__name__)

#: Cache entries kept (one per guidance folder and version in use).
KEEP = 4


def _engine_source() -> str:
    """Hash of the engine's own code: a changed class must never meet an old pickle."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(guidance_version: str, config: IndexConfig) -> str:
    parts = (
        guidance_version,
        repr(config),
        __version__,
        _engine_source(),
        sklearn.__version__,
        numpy.__version__,
    )
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]


def load(directory: Path, key: str) -> tuple[Guidance, Index] | None:
    path = directory / f"index-{key}.pickle"
    try:
        with open(path, "rb") as handle:
            entry = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # a corrupt or foreign file: rebuild rather than fail
        log.warning("ignoring unreadable index cache %s", path, exc_info=True)
        return None
    ok = isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[1], Index)
    return entry if ok else None


def save(directory: Path, key: str, guidance: Guidance, index: Index) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".index-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump((guidance, index), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, directory / f"index-{key}.pickle")
        _prune(directory)
    except OSError:
        log.debug("could not write the index cache in %s", directory, exc_info=True)


def _prune(directory: Path) -> None:
    """Keep the few newest entries: each guidance edit or upgrade leaves an old one behind."""
    entries = sorted(directory.glob("index-*.pickle"), key=lambda p: p.stat().st_mtime)
    for stale in entries[:-KEEP]:
        stale.unlink(missing_ok=True)


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
        guidance, index = cached
        return Engine(guidance, config, index=index)
    engine = Engine(load_guidance(directory), config)
    save(cache_dir, key, engine.guidance, engine.index)
    return engine
