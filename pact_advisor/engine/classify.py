"""Which item's examples a message reads like: a linear classifier over the items' examples.

Similarity scores compare a message with each document on its own, weighting a word by how
rare it is in the whole guidance. The classifier learns, from all the examples of all items
at once, which words and letter sequences tell one item from the others: "copied word for
word" and "same workplan" point to adapting to the local context even when no example
shares the message's other words. Besides the items it has one more class, the pool of
messages the guidance does not cover (``guidance/negatives.yaml``): how much a message reads
like those ("draft me a speech", "is my contract renewable") against how much it reads like an
item. Its margins are three of the ranker's features and four of the coverage model's, never a
decision on their own.

It is a one-against-the-rest linear support vector machine (scikit-learn's ``LinearSVC``,
liblinear), fitted on the same word and letter TF-IDF vectors the engine scores with, and kept
as plain arrays: a message's margins are a gather of its features' weight rows.

For the ranker and the coverage model to learn how far the margins can be trusted on a
message the classifier has not seen, the examples they train on get *out-of-fold* margins:
each from a classifier fitted without that example's fold (:func:`out_of_fold`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from pact_advisor.engine.features import FeatureSpace, Texts
    from pact_advisor.knowledge import Item

#: Folds for the out-of-fold margins of the training examples.
FOLDS = 5
#: A guidance larger than this (features x items) goes without the classifier: its weights
#: are dense, and would outgrow the memory the engine may use.
MAX_WEIGHTS = 8_000_000
#: The weights are kept in half precision: a margin is a feature, and the thousandths that
#: rounding moves it by are far below what it tells apart. It halves the memory an answer
#: reads them from.
WEIGHTS = np.float16
#: The margin of an item with no examples to learn from: "not this one".
NO_EXAMPLES = -1.0


@dataclass(frozen=True)
class ItemClassifier:
    """``weights``: (features, items + 1), word features then letter features; ``bias``:
    (items + 1,). Column ``i`` is item ``i`` against the rest; the last, the negative pool's."""

    weights: np.ndarray
    bias: np.ndarray

    def margins(self, indptr: np.ndarray, columns: np.ndarray, values: np.ndarray) -> np.ndarray:
        """``(rows, items)``: the margins of the CSR rows (features as in ``weights``)."""
        return self._sums(indptr, columns, values) + self.bias

    def message_margins(
        self, indptr: np.ndarray, columns: np.ndarray, values: np.ndarray
    ) -> np.ndarray:
        """``(messages, items)`` from CSR arrays of ``2 x messages`` texts, every message's
        words first, then every message's letters (as :func:`vectors.joined` gives them): the
        margins of each message's words and letters together."""
        sums = self._sums(indptr, columns, values)
        n = len(sums) // 2
        return sums[:n] + sums[n:] + self.bias

    def _sums(self, indptr: np.ndarray, columns: np.ndarray, values: np.ndarray) -> np.ndarray:
        out = np.zeros((len(indptr) - 1, len(self.bias)))
        if not len(columns):
            return out
        products = self.weights[columns] * values[:, None]
        starts = np.asarray(indptr[:-1])
        filled = np.diff(indptr) > 0
        out[filled] = np.add.reduceat(products, starts[filled], axis=0)
        return out


def fit_classifier(x, owners: np.ndarray, items: int, *, c: float) -> ItemClassifier | None:
    """The classifier of ``x`` (CSR, examples x features) into ``owners`` (each example's
    class, by position, among ``items`` classes); None when fewer than two have examples."""
    from sklearn.svm import LinearSVC

    classes = np.unique(owners)
    if len(classes) < 2:
        return None
    model = LinearSVC(C=c, random_state=0).fit(x, owners)
    coef = model.coef_
    intercept = model.intercept_
    if len(classes) == 2:  # one decision function: the second class against the first
        coef = np.concatenate([-coef, coef])
        intercept = np.concatenate([-intercept, intercept])
    weights = np.zeros((x.shape[1], items), dtype=WEIGHTS)
    weights[:, model.classes_] = coef.T
    bias = np.full(items, NO_EXAMPLES)
    bias[model.classes_] = intercept
    return ItemClassifier(weights, bias)


def message_rows(indptr: np.ndarray, columns: np.ndarray, values: np.ndarray, features: int):
    """The CSR arrays of :meth:`ItemClassifier.message_margins` as a scipy CSR matrix with
    one row per message, its words' features then its letters' (to fit on)."""
    import scipy.sparse as sp

    n = (len(indptr) - 1) // 2
    both = sp.csr_matrix((values, columns, indptr), shape=(2 * n, features))
    return (both[:n] + both[n:]).tocsr()


def learned_features(
    classifier: ItemClassifier | None,
    space: FeatureSpace,
    texts: Sequence[Texts],
    candidates: np.ndarray,
    margins: np.ndarray | None = None,
) -> np.ndarray:
    """``(messages, candidates, 3)``: each candidate's margin (``margins``, else the
    ``classifier``'s for the whole messages), that margin less the best of all items' (0 for
    the classifier's own choice), and less the negative pool's (the last column of
    ``margins``); zeros without a classifier."""
    if margins is None:
        if classifier is None:
            return np.zeros((*candidates.shape, 3))
        margins = classifier.message_margins(*space.whole_vectors(texts))
    items, outside = margins[:, :-1], margins[:, -1:]
    mine = np.take_along_axis(items, candidates, axis=1)
    return np.stack([mine, mine - items.max(axis=1, keepdims=True), mine - outside], axis=2)


def fit_on_examples(
    space: FeatureSpace,
    items: Sequence[Item],
    analyse: Callable[[int, str], Texts],
    negatives: Sequence[Texts],
    *,
    c: float,
) -> tuple[ItemClassifier | None, np.ndarray | None]:
    """The classifier of every item's whole examples (each read by ``analyse``, given its
    place among all the examples and its text) and of the ``negatives`` as one more class,
    and the out-of-fold margins of the examples (in item order) then of the negatives;
    (None, None) when the guidance is too large for it (see :data:`MAX_WEIGHTS`) or fewer
    than two items have examples."""
    if space.vocabulary_size * (len(items) + 1) > MAX_WEIGHTS:
        return None, None
    owners = [p for p, item in enumerate(items) for _ in item.examples]
    if len(set(owners)) < 2:
        return None, None
    labels = np.asarray(owners + [len(items)] * len(negatives), dtype=int)
    texts = [analyse(i, e) for i, e in enumerate(e for item in items for e in item.examples)]
    matrix = message_rows(*space.whole_vectors(texts + list(negatives)), space.vocabulary_size)
    classifier = fit_classifier(matrix, labels, len(items) + 1, c=c)
    return classifier, out_of_fold(matrix, labels, len(items) + 1, c=c)


def folds_of(owners: np.ndarray, folds: int = FOLDS) -> np.ndarray:
    """Each example's fold: an item's examples dealt round the folds in turn, so every fold
    holds about the same share of every item."""
    fold = np.empty(len(owners), dtype=np.int64)
    for owner in np.unique(owners):
        mine = np.flatnonzero(owners == owner)
        fold[mine] = np.arange(len(mine)) % folds
    return fold


def out_of_fold(x, owners: np.ndarray, items: int, *, c: float) -> np.ndarray:
    """``(examples, items)``: each example's margins from a classifier fitted on the other
    folds only, as a message never seen would get them."""
    fold = folds_of(owners)
    out = np.full((x.shape[0], items), NO_EXAMPLES)
    for k in np.unique(fold):
        held = fold == k
        model = fit_classifier(x[~held], owners[~held], items, c=c)
        if model is not None:
            rows = x[held].tocsr()
            out[held] = model.margins(rows.indptr, rows.indices, rows.data)
    return out
