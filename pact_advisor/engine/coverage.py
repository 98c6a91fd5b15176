"""The coverage model's evidence: one row of :data:`COVERAGE_FEATURES` per message.

How sure the ranker is, how much of the message the guidance knows, what the message shares
with its top item, and the rules' cues (out of scope, "write me ...", "what does the
document say").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pact_advisor.engine.features import FeatureSpace, Texts
from pact_advisor.engine.learn import softmax
from pact_advisor.engine.message import Reading

_LENGTH_SCALE = np.log1p(60.0)


def length_share(readings: Sequence[Reading]) -> np.ndarray:
    """Each message's length in words, on a log scale capped at 1 (60 words)."""
    return np.array([min(np.log1p(r.words) / _LENGTH_SCALE, 1.0) for r in readings])


def coverage_features(
    space: FeatureSpace,
    readings: Sequence[Reading],
    texts: Sequence[Texts],
    x: np.ndarray,
    logits: np.ndarray,
    candidates: np.ndarray,
    owners: np.ndarray | None = None,
) -> np.ndarray:
    """One row per message, in :data:`COVERAGE_FEATURES` order, from the ranker's ``logits``
    of the ``candidates`` (positions). ``owners``: for the guidance's own examples, the item
    each belongs to (see :func:`_overlap`)."""
    order = np.argsort(-logits, axis=1)
    rows = np.arange(len(readings))
    top, second = order[:, 0], order[:, 1]
    s1, s2 = logits[rows, top], logits[rows, second]
    length = length_share(readings)
    scores = np.stack([s1, s1 - s2, softmax(logits)[rows, top], length, s1 * length], axis=1)
    known = np.array(
        [
            [
                t.known_share,
                min(t.known, 6) / 6,
                t.known_share * (r.language != "en"),
                float(r.language != "en"),
                t.question_known_share,
                t.near_known_share,
                min(len(t.whole_terms), 12) / 12,
            ]
            for r, t in zip(readings, texts, strict=True)
        ]
    ).reshape(len(readings), 7)
    cues = np.array(
        [
            [
                min(len(r.out_of_scope), 2),
                min(len(r.out_of_scope_anywhere), 2),
                float(r.produce),
                float(r.about_guidance),
                float(not t.question_terms),
                float(r.specific),
            ]
            for r, t in zip(readings, texts, strict=True)
        ]
    ).reshape(len(readings), 6)
    similar = np.stack([x[rows, top, 4], x[rows, top, 16]], axis=1)
    named = np.array([[float(bool(r.named))] for r in readings]).reshape(len(readings), 1)
    overlap = _overlap(space, texts, candidates[rows, top], owners)
    learned = _learned(x, rows, top)
    return np.concatenate([scores, known, overlap, cues, similar, named, learned], axis=1)


def _learned(x: np.ndarray, rows: np.ndarray, top: np.ndarray) -> np.ndarray:
    """The item classifier's best margin among the candidates, its lead over its second, how
    far the ranker's top item falls below the classifier's best (0 when they agree), and the
    negative pool's margin (the same in every candidate: its margin less the margin against
    the pool)."""
    margins = x[:, :, -3]
    if margins.shape[1] < 2:
        best = margins[:, 0]
        lead = np.zeros(len(margins))
    else:
        two = -np.partition(-margins, 1, axis=1)[:, :2]
        best, lead = two[:, 0], two[:, 0] - two[:, 1]
    outside = x[:, 0, -3] - x[:, 0, -1]
    return np.stack([best, lead, x[rows, top, -2], outside], axis=1)


def _overlap(
    space: FeatureSpace, texts: Sequence[Texts], top: np.ndarray, owners: np.ndarray | None
) -> np.ndarray:
    """What the message shares with its top item. For one of the guidance's own examples
    (``owners[i]`` is its item), its own words never count as shared: leave-one-out."""
    rows = []
    for i, (t, position) in enumerate(zip(texts, top.tolist(), strict=True)):
        mine = owners is not None and owners[i] == position
        words = frozenset(t.whole_terms) if mine else frozenset()
        stems = frozenset(t.whole_stems) if mine else frozenset()
        rows.append(
            [
                min(space.matched_weight(t.question_terms, position, words), 20.0) / 20,
                space.share_in_item(t.question_stems, position, stems),
                space.share_in_item(t.whole_stems, position, stems),
            ]
        )
    return np.array(rows).reshape(len(texts), 3)
