"""Values computed for the keys seen recently (the contexts users give), kept up to a size."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Recent(Generic[V]):
    """What ``compute`` gave for each recent key, up to ``size`` keys (then all are forgotten
    at once, so a long run of new contexts costs memory only up to the size). A key that
    cannot be hashed (a context given as a mapping) is computed every time."""

    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._values: dict[Hashable, V] = {}

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        try:
            found = self._values.get(key)
        except TypeError:
            return compute()
        if found is None:
            found = compute()
            if len(self._values) >= self._size:
                self._values.clear()
            self._values[key] = found
        return found
