"""An item's documents and where they sit in the document matrices: four fields per item
first, then every item's example pool (its example questions, then its French and Spanish
text), and how a row of similarities becomes per-item features."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from pact_advisor.knowledge import Item

_SLOTS = re.compile(r"\{\{.*?\}\}")


def item_fields(item: Item) -> tuple[str, str, str, str]:
    body = " ".join([item.summary, _SLOTS.sub(" ", item.advice), *item.checklist])
    return (item.title, body, item.quote, " ".join(item.keywords))


def translated_texts(item: Item) -> list[str]:
    """The item's French and Spanish text as documents of its example pool: per language its
    title, its summary, the quote's translation, and its advice with its steps. A French
    question then meets French words, where the English fields have none."""
    out: list[str] = []
    for language in sorted(item.translations):
        t = item.translations[language]
        out.extend(text for text in (t.title, t.summary, t.quote) if text)
        body = " ".join([_SLOTS.sub(" ", t.advice or ""), *(t.checklist or ())]).split()
        if body:
            out.append(" ".join(body))
    return out


def example_pool(item: Item) -> tuple[str, ...]:
    """The documents an item's questions are compared with one by one ("best example"): its
    example questions, then its translated text."""
    return (*item.examples, *translated_texts(item))


def example_documents(items: Sequence[Item]) -> np.ndarray:
    """Where each item's example questions sit in the pools of :func:`example_pool`, in item
    order: what a left-out example excludes."""
    sizes = [len(example_pool(item)) for item in items]
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    return np.concatenate(
        [s + np.arange(len(item.examples)) for s, item in zip(starts, items, strict=True)]
        or [np.empty(0, dtype=np.int64)]
    ).astype(np.int64)


def training_examples(
    items: Sequence[Item], limit: int
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """The example questions to learn from: at most ``limit``, taken evenly across the items;
    with each one's item (position), its own document (see :func:`example_documents`) and
    its place among all the examples."""
    examples = [(e, p) for p, item in enumerate(items) for e in item.examples]
    picked = np.arange(len(examples))
    if len(examples) > limit:
        picked = np.unique(np.linspace(0, len(examples) - 1, limit).round().astype(int))
        examples = [examples[i] for i in picked.tolist()]
    owners = np.asarray([p for _, p in examples], dtype=np.int64)
    return [e for e, _ in examples], owners, example_documents(items)[picked], picked


class ExampleLayout:
    """Each item's examples, padded to a rectangle (-1 where an item has fewer)."""

    def __init__(self, example_owner: np.ndarray, n_items: int):
        owner = np.asarray(example_owner, dtype=np.int64)
        self.owner, self.n_items = owner, n_items
        self.counts = np.bincount(owner, minlength=n_items)
        pad = np.full((n_items, max(int(self.counts.max(initial=0)), 1)), -1, dtype=np.int64)
        order = np.argsort(owner, kind="stable")  # each item's examples, in their order
        self.starts = np.concatenate([[0], np.cumsum(self.counts)[:-1]]).astype(np.int64)
        pad[owner[order], np.arange(len(order)) - self.starts[owner[order]]] = order
        self.pad = pad

    def ranges(self, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """First and past-last document of each chosen item's fields, then of its examples."""
        counts = self.counts[chosen]
        base = self.n_items * 4 + self.starts[chosen]
        first = np.concatenate([chosen * 4, base])
        last = np.concatenate([chosen * 4 + 4, base + counts])
        return first, last

    def per_item(self, sims: np.ndarray, exclude: np.ndarray) -> np.ndarray:
        """``(n, items, 6)`` from ``(n, documents)`` similarities: the four fields, the best
        example and the mean of the best three; ``exclude`` (an example, or -1) never counts,
        so an example never finds itself."""
        n = sims.shape[0]
        fields = sims[:, : self.n_items * 4].reshape(n, self.n_items, 4)
        examples = sims[:, self.n_items * 4 :]
        examples = np.concatenate([examples, np.full((n, 1), -1.0, dtype=sims.dtype)], axis=1)
        rows = np.flatnonzero(exclude >= 0)
        examples[rows, exclude[rows]] = -1.0
        grid = np.take(examples, self.pad, axis=1)  # (n, items, width); the pad reads -1
        return np.concatenate([fields, *best_examples(grid)], axis=2)

    def per_candidate(self, sims: np.ndarray, chosen: np.ndarray, exclude: np.ndarray):
        """:meth:`per_item` for similarities with the documents of :meth:`ranges` only:
        ``(t, k, 6)`` for the ``k`` items ``chosen``."""
        t, k = sims.shape[0], len(chosen)
        counts = self.counts[chosen]
        which = np.repeat(np.arange(k), counts)
        slot = np.arange(len(which)) - np.repeat(np.cumsum(counts) - counts, counts)
        grid = np.full((t, k, self.pad.shape[1]), -1.0)
        grid[:, which, slot] = sims[:, 4 * k :]
        mine = np.flatnonzero(exclude >= 0)
        for i, example in zip(mine, exclude[mine], strict=True):
            item = self.owner[example]
            at = np.flatnonzero(chosen == item)
            if len(at):
                grid[i, at[0], example - self.starts[item]] = -1.0
        return np.concatenate([sims[:, : 4 * k].reshape(t, k, 4), *best_examples(grid)], axis=2)


def best_examples(grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """From ``(n, items, width)`` similarities with each item's examples (-1: none), the best
    and the mean of the best three, each ``(n, items, 1)``."""
    top = np.partition(grid, grid.shape[2] - 3, axis=2)[:, :, -3:] if grid.shape[2] > 3 else grid
    # Rank first, in one block: each reduction then runs over whole rows.
    top = np.ascontiguousarray(np.moveaxis(top, 2, 0))
    best = top.max(axis=0)
    top3 = np.where(top >= 0, top, 0).sum(axis=0) / np.maximum((top >= 0).sum(axis=0), 1)
    return best[:, :, None], top3[:, :, None]
