"""Python's cyclic garbage collector paused while large, acyclic data is built.

Parsing a large guidance folder or fitting the index allocates millions of small objects
(YAML nodes, dicts, strings) that live on, none of them in a reference cycle. The collector
counts each allocation and, as the heap grows, walks the whole of it again and again: at
10,000 items that is a third of the time spent reading the guidance. Pausing it for those
phases frees nothing less, since everything they drop is freed by reference counting.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Run the block with the cyclic collector off; it is back on (if it was) afterwards.

    Nested and concurrent uses are safe: only the outermost block that found the collector
    on turns it back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
