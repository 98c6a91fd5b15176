"""What is wrong with a guidance folder: :class:`Problem` and :class:`GuidanceError`.

Free of the schema and of pydantic, so that front ends can catch the error without building
the schema's models first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


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
