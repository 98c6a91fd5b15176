"""A message's clauses scored together: its question, its whole text, each sentence of its
background and its glossary meanings, then pooled per message.

The question clause and the whole message each give their similarities; a message's best
sentence is the highest of its sentences'; the glossary meanings are a query of their own.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pact_advisor.engine.features import FeatureSpace, Texts

#: In a guidance too large to compare every document (see ``features.EXHAUSTIVE_DOCS``), the
#: candidates are chosen from each item taken as one document, and fewer are scored: each
#: costs the comparison of all its examples.
LARGE_CANDIDATES = 20


def clause_similarities(
    space: FeatureSpace,
    texts: Sequence[Texts],
    exclude: np.ndarray,
    owners: np.ndarray | None = None,
) -> tuple[tuple[np.ndarray, ...], np.ndarray | None]:
    """Question, whole message, best sentence and glossary meanings, in one pass, with
    every item; or, in a guidance too large for that, with each message's candidates
    (returned too; else None).

    All texts of the batch are vectorised and multiplied together: one sparse product
    per vectorizer, however many sentences the messages have.
    """
    n = len(texts)
    words = [t.question_words for t in texts]
    letters = [t.question_letters for t in texts]
    background = [i for i, t in enumerate(texts) if t.sentence_words]
    for i in background:
        words.append(texts[i].whole_words)
        letters.append(texts[i].whole_letters)
    sentence_owner = [i for i in background for _ in texts[i].sentence_words]
    for i in background:
        words.extend(texts[i].sentence_words)
        letters.extend(texts[i].sentence_letters)
    words.extend(t.expansion_words for t in texts)
    letters.extend("" for _ in texts)
    message_of = np.asarray([*range(n), *background, *sentence_owner, *range(n)])
    candidates = None
    if space.exhaustive:
        sims = space.similarities(words, letters, exclude[message_of])
    else:
        candidates = space.candidate_items(words, message_of, n, LARGE_CANDIDATES, owners)
        sims = space.similarities(words, letters, exclude[message_of], candidates[message_of])
    q = sims[:n]
    w = q.copy()
    w[background] = sims[n : n + len(background)]
    best = w.copy()
    if sentence_owner:
        start = n + len(background)
        best[background] = 0.0
        np.maximum.at(best, np.asarray(sentence_owner), sims[start : start + len(sentence_owner)])
    e = sims[len(sims) - n :, :, :6]
    return (q, w, best, e), candidates
