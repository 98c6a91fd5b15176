"""What is wrong with a guidance folder: :class:`Problem` and :class:`GuidanceError`.

Free of the schema and of pydantic, so that front ends can catch the error without building
the schema's models first.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a guidance folder."""

    file: str
    line: int | None
    subject: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.subject}: {self.message}"
            if self.subject
            else f"{where}: {self.message}"
        )


class GuidanceError(Exception):
    """The guidance folder could not be loaded; ``problems`` lists every reason."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path | str) -> str:
    """How a problem names a file: relative to the working directory when under it."""
    return _display_path(os.fspath(path), os.getcwd())


@functools.lru_cache(maxsize=8192)
def _display_path(path: str, cwd: str) -> str:
    # Cached: a large guidance folder names each of its files several times, and resolving
    # a path costs a system call per component.
    try:
        return str(Path(path).resolve().relative_to(Path(cwd).resolve()))
    except ValueError:
        return path
