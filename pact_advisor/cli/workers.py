"""A long ``ask -`` answered on every core the process may use.

The advisor is loaded once, in this process; the workers are forked from it afterwards, so
each starts with the engine already in memory: nothing is loaded, pickled or imported again.
Each worker answers whole batches and sends back the text to write. The texts are written in
the order the batches were read, at most two batches per worker ahead of the writing, so a
long input streams through in bounded memory and the output is the same, byte for byte, as
one process gives.

Forking is used only where it is the platform's own way to start processes (Linux); elsewhere,
and for input that fits in one batch, the batches are answered here, one after the other.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from itertools import chain

#: Workers at most, whatever the machine: past this, writing the answers is the bottleneck.
MAX_JOBS = 8
#: Batches handed out per worker before the first of them is written.
AHEAD = 2

Work = Callable[[list[str]], str]

#: What a forked worker does with a batch: set before the workers are forked, never pickled.
_work: Work | None = None


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, where the platform tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def default_jobs() -> int:
    """Workers for a long batch: one per usable core, at most :data:`MAX_JOBS`; 1 where
    processes are not forked."""
    return min(usable_cores(), MAX_JOBS) if can_fork() else 1


def can_fork() -> bool:
    """Whether workers can start as copies of this process (Linux). macOS can fork too, but
    its system libraries are not safe to use after a fork, which is why Python does not
    start processes that way there."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


@contextmanager
def answered(
    work: Work,
    batches: Iterable[list[str]],
    jobs: int,
    *,
    prepare: Callable[[], None] | None = None,
) -> Iterator[Iterator[tuple[str, int]]]:
    """``(work(batch), len(batch))`` for each batch, in order, with ``jobs`` workers when
    there is more than one batch to answer (``prepare`` runs first, in this process, so that
    the workers share what it loads).

    The workers are forked on entering, before the caller starts any thread of its own (a
    progress bar's, say): a fork copies only the thread that makes it. A worker's exception
    is raised where its batch's text would have been written.
    """
    batches = iter(batches)
    first = next(batches, None)
    second = next(batches, None) if first is not None and jobs > 1 and can_fork() else None
    if second is None:
        ahead = [first] if first is not None else []
        yield ((work(batch), len(batch)) for batch in chain(ahead, batches))
        return
    if prepare is not None:
        prepare()
    global _work
    _work = work
    # What is loaded now is never collected: frozen, the collector in each worker leaves it
    # alone instead of walking it, which would copy every page it touches (the gc module's
    # advice for a fork without exec).
    gc.freeze()
    try:
        executor = ProcessPoolExecutor(
            jobs, mp_context=multiprocessing.get_context("fork"), initializer=_ignore_interrupts
        )
        try:
            # The first submission forks every worker (the executor's way with fork): now, on
            # entering, not later under the caller's threads.
            pending = deque(
                (executor.submit(_answer, batch), len(batch)) for batch in (first, second)
            )
            yield _in_order(executor, pending, batches, jobs)
        finally:
            # Interrupted or failed: the batches not yet started are dropped, the running
            # ones finish (a fraction of a second) and the workers exit.
            executor.shutdown(wait=True, cancel_futures=True)
    finally:
        _work = None
        gc.unfreeze()


def _in_order(
    executor: ProcessPoolExecutor,
    pending: deque[tuple[Future[str], int]],
    batches: Iterator[list[str]],
    jobs: int,
) -> Iterator[tuple[str, int]]:
    for batch in batches:
        pending.append((executor.submit(_answer, batch), len(batch)))
        # Write what is done without waiting for more, so that a slow input still streams.
        while pending and (len(pending) > AHEAD * jobs or pending[0][0].done()):
            future, size = pending.popleft()
            yield future.result(), size
    while pending:
        future, size = pending.popleft()
        yield future.result(), size


def _answer(batch: list[str]) -> str:
    assert _work is not None, "workers are forked after the work is set"
    return _work(batch)


def _ignore_interrupts() -> None:
    # Ctrl-C reaches every process of the terminal's group: this one stops the run, so that
    # the workers are not each interrupted mid-batch with a traceback of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
