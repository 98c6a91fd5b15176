"""Ranked items for a message, each with why it was chosen (the ranker's features that
carried it and the terms it shares with the message)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from pact_advisor.engine.features import FEATURES, FeatureSpace, Texts
from pact_advisor.engine.learn import LinearModel, softmax
from pact_advisor.engine.message import Reading
from pact_advisor.knowledge import Item


@dataclass(frozen=True)
class Hit:
    position: int
    id: str
    #: The ranker's probability that this is the right item, among all items.
    score: float
    #: The features that carried the match, strongest first.
    reasons: tuple[str, ...]
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Hits:
    """The ranked items for one message, and whether the guidance covers it at all."""

    reading: Reading
    hits: tuple[Hit, ...]
    #: The coverage model's probability that the guidance covers the message.
    covered: float
    #: The items the ranker scored (positions) and their scores (logits), for pooling with
    #: a previous turn.
    candidates: np.ndarray
    logits: np.ndarray
    known_terms: tuple[str, ...]
    #: The message's features and texts, kept so that ranking again computes nothing twice.
    features: np.ndarray = field(repr=False, compare=False, default=None)  # type: ignore[assignment]
    texts: Texts | None = field(repr=False, compare=False, default=None)

    @property
    def top(self) -> Hit | None:
        return self.hits[0] if self.hits else None


def ranked(
    space: FeatureSpace,
    items: Sequence[Item],
    ranker: LinearModel | None,
    readings: Sequence[Reading],
    texts: Sequence[Texts],
    x: np.ndarray,
    candidates: np.ndarray,
    logits: np.ndarray,
    covered: np.ndarray,
    k: int,
) -> list[Hits]:
    """Each message's ``k`` best items, ranked by ``logits`` (messages x candidates)."""
    probs = softmax(logits)
    order = np.argsort(-logits, axis=1, kind="stable")[:, :k]
    why = reasons(ranker, x, order)
    rows = np.arange(len(order))[:, None]
    positions = candidates[rows, order].tolist()
    shares = probs[rows, order].tolist()
    out = []
    for i, (reading, text) in enumerate(zip(readings, texts, strict=True)):
        terms = space.rarest_first(text.terms)
        hits = tuple(
            Hit(p, items[p].id, share, because, space.matched_rarest(terms, p))
            for p, share, because in zip(positions[i], shares[i], why[i], strict=True)
        )
        found = Hits(
            reading, hits, float(covered[i]), candidates[i], logits[i], text.terms, x[i], text
        )
        out.append(found)
    return out


def reasons(
    ranker: LinearModel | None, x: np.ndarray, order: np.ndarray, limit: int = 3
) -> list[list[tuple[str, ...]]]:
    """Per message and ranked position, the features that lift the item above the
    average candidate."""
    if ranker is None:
        return [[() for _ in row] for row in order]
    contributions = ranker.contributions(x)  # (messages, candidates, features)
    rows = np.arange(len(order))[:, None]
    lift = contributions[rows, order] - contributions.mean(axis=1)[:, None, :]
    best = np.argsort(-lift, axis=2)[:, :, :limit]
    lifted = np.take_along_axis(lift, best, axis=2) > 0
    names = FEATURES
    return [
        [
            tuple([names[f] for f, up in zip(row, ups, strict=True) if up])
            for row, ups in zip(message, lifts, strict=True)
        ]
        for message, lifts in zip(best.tolist(), lifted.tolist(), strict=True)
    ]
