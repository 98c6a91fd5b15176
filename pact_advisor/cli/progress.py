"""Progress on standard error, only when it is a terminal: long runs (``eval``, ``ask -``)
say how far they are, and piped or logged output stays clean."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from pact_advisor.cli.common import is_terminal

Advance = Callable[[int], None]


@contextmanager
def progress(
    what: str, total: int | None = None, stream: TextIO | None = None, *, shown: bool = True
) -> Iterator[Advance]:
    """A progress bar for ``total`` questions (a counter when the total is unknown) on
    ``stream`` (standard error); yields the function that counts questions done.

    ``shown=False`` (answers going to the same screen) shows none.
    """
    stream = stream or sys.stderr
    if not shown or not is_terminal(stream):
        yield lambda done: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    counted = MofNCompleteColumn() if total else TextColumn("{task.completed} questions")
    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), counted]
    with Progress(
        *columns, TimeElapsedColumn(), console=Console(file=stream), transient=False
    ) as bar:
        task = bar.add_task(what, total=total)
        yield lambda done: bar.advance(task, done)
