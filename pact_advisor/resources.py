"""Where the bundled guidance and templates live, and the start-up cache folder.

In a source checkout (and an editable install) they sit at the top of the repository; a wheel
ships them inside the package as ``pact_advisor/_data``. Neither depends on the current directory.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent

GUIDANCE_ENV = "PACT_ADVISOR_GUIDANCE"
CACHE_ENV = "PACT_ADVISOR_CACHE"


def _bundled(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    # Report the packaged location: it is where an installed copy should have it.
    return _PACKAGE / "_data" / name


def guidance_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The guidance folder: ``explicit``, else $PACT_ADVISOR_GUIDANCE, else the bundled one."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(GUIDANCE_ENV)
    if from_env:
        return Path(from_env)
    return _bundled("guidance")


def prompts_dir() -> Path:
    """The bundled Jinja2 templates."""
    return _bundled("prompts")


def eval_dir() -> Path:
    """The bundled eval set (dev and test splits)."""
    return _bundled("eval")


#: The held-out splits whose bars ``eval --check``, the quality gate and CI enforce.
TEST_SPLITS = ("test.yaml", "test-chat.yaml")


def default_cache_dir() -> Path | None:
    """$PACT_ADVISOR_CACHE, else the user's cache folder; ``PACT_ADVISOR_CACHE=off`` disables it."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return None if configured.strip().lower() in ("", "0", "off", "no") else Path(configured)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("pact-advisor"))
