"""TF-IDF vectors without scikit-learn at answer time.

scikit-learn weights the guidance's counts (:mod:`pact_advisor.engine.corpus`, imported only
when the guidance changes). Answering needs only what the fit produced, a vocabulary, idf weights and
the document matrix, as plain arrays: :class:`QueryVectorizer` reads questions with the same
analyzers as ``TfidfVectorizer`` (``tests/test_engine.py`` checks that the vectors are equal),
and :class:`Documents` multiplies them with the documents with NumPy alone. scipy is imported
only for a large batch, where one sparse product beats a loop of gathers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, pairwise
from math import sqrt
from typing import Literal

import numpy as np

from pact_advisor import collector


def scipy_sparse():
    """``scipy.sparse``, imported on first use (a large batch), with the cyclic collector
    paused: once a guidance is loaded, the collections that the import's allocations trigger
    would walk the whole heap, about a quarter of the import's time."""
    with collector.paused():
        import scipy.sparse

    return scipy.sparse


@dataclass(frozen=True)
class Weighting:
    """How a vectorizer reads text: scikit-learn's ``analyzer`` and ``ngram_range``."""

    analyzer: Literal["word", "char_wb"]
    ngram_range: tuple[int, int]
    #: Terms in more than this share of the documents are dropped (fit only).
    max_df: float = 1.0


def _word_ngrams(text: str, low: int, high: int) -> list[str]:
    """scikit-learn's word analyzer with ``token_pattern=r"\\S+"`` and no lowercasing."""
    words = text.split()
    grams = list(words) if low == 1 else []
    for n in range(max(low, 2), min(high, len(words)) + 1):
        grams.extend(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return grams


def _char_wb_ngrams(word: str, low: int, high: int) -> list[str]:
    """scikit-learn's ``char_wb`` n-grams of one word (padded with a space each side)."""
    padded = f" {word} "
    size = len(padded)
    grams = []
    for n in range(low, high + 1):
        offset = 0
        grams.append(padded[:n])
        while offset + n < size:
            offset += 1
            grams.append(padded[offset : offset + n])
        if offset == 0:  # a short word is counted once
            break
    return grams


class QueryVectorizer:
    """Texts to l2-normalised, sublinear TF-IDF vectors over a fitted vocabulary.

    ``char_wb`` n-grams never cross a word, so each word's feature ids are worked out once
    and remembered.
    """

    #: Words whose n-gram ids are remembered, at most.
    MEMO = 50_000

    def __init__(self, weighting: Weighting, terms: Sequence[str], idf: np.ndarray):
        self.weighting = weighting
        #: The vocabulary in column order.
        self.terms = list(terms)
        self.idf = np.asarray(idf, dtype=np.float64)
        self._vocabulary = {term: column for column, term in enumerate(self.terms)}
        self._memo: dict[str, list[int]] = {}

    @property
    def size(self) -> int:
        return len(self.terms)

    def _ids(self, text: str) -> list[int]:
        lookup = self._vocabulary.get
        low, high = self.weighting.ngram_range
        if self.weighting.analyzer == "word":
            return [i for i in map(lookup, _word_ngrams(text, low, high)) if i is not None]
        ids: list[int] = []
        memo = self._memo
        # scikit-learn squeezes runs of whitespace first; split() already splits on them.
        for word in text.split():
            known = memo.get(word)
            if known is None:
                known = [i for i in map(lookup, _char_wb_ngrams(word, low, high)) if i is not None]
                if len(memo) < self.MEMO:
                    memo[word] = known
            ids.extend(known)
        return ids

    def sparse(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All ``texts`` as CSR arrays ``(indptr, feature ids, weights)``, in one pass.

        Within a text, features come in the order they first occur, and each text's weights
        are normalised with the same dot product as one vector at a time would be: the
        weights are the same to the last bit however many texts come together.
        """
        counts = [Counter(self._ids(text)) for text in texts]  # keys: first occurrence
        lengths = [len(c) for c in counts]
        total = sum(lengths)
        columns = np.fromiter(chain.from_iterable(counts), dtype=np.int64, count=total)
        tf = np.fromiter(
            chain.from_iterable(c.values() for c in counts), dtype=np.float64, count=total
        )
        weights = (np.log(tf) + 1.0) * self.idf[columns]
        indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        bounds = indptr.tolist()
        # math.sqrt and np.sqrt are both IEEE's correctly rounded square root.
        norms = [sqrt(weights[a:b] @ weights[a:b]) for a, b in pairwise(bounds) if b > a]
        weights /= np.repeat(norms, [n for n in lengths if n])
        return indptr, columns, weights

    def vectors(self, texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Each text as (feature ids, weights)."""
        indptr, columns, weights = self.sparse(texts)
        bounds = indptr.tolist()
        return [(columns[a:b], weights[a:b]) for a, b in pairwise(bounds)]

    def transform(self, texts: Sequence[str]):
        """The vectors as a scipy CSR matrix (texts x features)."""
        sp = scipy_sparse()
        indptr, columns, weights = self.sparse(texts)
        matrix = sp.csr_matrix(
            (weights, columns, indptr), shape=(len(texts), self.size), dtype=np.float32
        )
        matrix.sort_indices()
        return matrix


class Documents:
    """A (features x documents) TF-IDF matrix in CSR arrays, multiplied by queries without
    building sparse matrices for them: a few texts at a time, NumPy gathers beat scipy's
    set-up costs."""

    #: Above this many texts, one scipy product is cheaper than a loop of gathers.
    BATCH = 24

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, size: int):
        self.indptr = np.asarray(indptr, dtype=np.int64)
        self.indices = np.asarray(indices, dtype=np.int32)
        self.data = np.asarray(data, dtype=np.float32)
        # For the gathers of a few texts: documents per feature.
        self._lengths = np.diff(self.indptr)
        #: How many documents.
        self.size = int(size)
        self._matrix = None

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "indptr": self.indptr,
            "indices": self.indices,
            "data": self.data,
            "size": np.asarray(self.size),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> Documents:
        return cls(arrays["indptr"], arrays["indices"], arrays["data"], int(arrays["size"]))

    @property
    def matrix(self):
        if self._matrix is None:
            sp = scipy_sparse()
            shape = (len(self.indptr) - 1, self.size)
            self._matrix = sp.csr_matrix((self.data, self.indices, self.indptr), shape=shape)
        return self._matrix

    def similarities(self, vectorizer: QueryVectorizer, texts: Sequence[str]) -> np.ndarray:
        if len(texts) > self.BATCH:
            return dense_product(vectorizer.transform(texts), self.matrix)
        return self.gather(*vectorizer.sparse(texts))

    def gather(self, indptr: np.ndarray, columns: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """``(texts, documents)`` similarities of the texts that the CSR arrays of
        :meth:`QueryVectorizer.sparse` describe, by one gather over all their features: each
        (text, document) sum adds its terms in the order of the text's features, as one text
        at a time would."""
        n = len(indptr) - 1
        lengths = self._lengths[columns]
        ends = np.cumsum(lengths)  # where each feature's documents end in the gather
        total = int(ends[-1]) if len(ends) else 0
        if not total:
            return np.zeros((n, self.size))
        gather = np.repeat(self.indptr[columns] - ends + lengths, lengths)
        gather += np.arange(total)
        cells = self.indices.take(gather).astype(np.int64)
        # A text's features are consecutive, so its cells are one slice: move it to its row.
        bounds = np.concatenate([[0], ends])[indptr].tolist()
        for text in range(1, n):
            cells[bounds[text] : bounds[text + 1]] += text * self.size
        # float32 documents times float64 weights: the product is taken in float64.
        products = np.multiply(self.data.take(gather), np.repeat(weights, lengths))
        return np.bincount(cells, weights=products, minlength=n * self.size).reshape(n, self.size)

    def split(self, features: int) -> tuple[Documents, Documents]:
        """The inverse of :meth:`stacked`: the first ``features`` features and the rest, as
        views of this matrix's arrays (only the second's ``indptr`` is new)."""
        cut = int(self.indptr[features])
        first = Documents(
            self.indptr[: features + 1], self.indices[:cut], self.data[:cut], self.size
        )
        rest = self.indptr[features:] - cut
        second = Documents(rest, self.indices[cut:], self.data[cut:], self.size)
        return first, second

    @classmethod
    def stacked(cls, first: Documents, second: Documents) -> Documents:
        """The same documents over two vocabularies as one matrix: ``second``'s features
        numbered after ``first``'s (see :func:`joined`)."""
        indptr = np.concatenate([first.indptr, second.indptr[1:] + first.indptr[-1]])
        indices = np.concatenate([first.indices, second.indices])
        return cls(indptr, indices, np.concatenate([first.data, second.data]), first.size)


def dense_product(a, b) -> np.ndarray:
    """``(a @ b).toarray()`` for two scipy CSR matrices, by the kernels scipy's own product
    runs (the same sums in the same order), without its first pass over the matrices that
    counts the product's nonzeros: the result is dense anyway, so room for each row's
    products, or for all its columns if fewer, is enough. The kernels live in scipy's private
    ``_sparsetools``; should a scipy release move them, the public product is used."""
    try:
        from scipy.sparse._sparsetools import csr_matmat, csr_todense
    except ImportError:  # pragma: no cover - another scipy layout
        return (a @ b).toarray()
    (rows, inner), columns = a.shape, b.shape[1]
    per_entry = np.diff(b.indptr)[a.indices]
    products = np.concatenate([[0], np.cumsum(per_entry)])
    per_row = products[a.indptr[1:]] - products[a.indptr[:-1]]
    room = int(np.minimum(per_row, columns).sum())
    largest = max(room, inner, columns, a.nnz, b.nnz)
    index = np.int32 if largest < np.iinfo(np.int32).max else np.int64
    kind = np.result_type(a.dtype, b.dtype)
    out_indptr = np.empty(rows + 1, dtype=index)
    out_indices = np.empty(room, dtype=index)
    out_data = np.empty(room, dtype=kind)
    csr_matmat(
        rows,
        columns,
        *(np.asarray(x, dtype=index) for x in (a.indptr, a.indices)),
        np.asarray(a.data, dtype=kind),
        *(np.asarray(x, dtype=index) for x in (b.indptr, b.indices)),
        np.asarray(b.data, dtype=kind),
        out_indptr,
        out_indices,
        out_data,
    )
    dense = np.zeros((rows, columns), dtype=kind)
    csr_todense(rows, columns, out_indptr, out_indices, out_data, dense)
    return dense


def joined(
    first: tuple[np.ndarray, np.ndarray, np.ndarray],
    second: tuple[np.ndarray, np.ndarray, np.ndarray],
    offset: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two sets of CSR query arrays as one, ``second``'s texts after ``first``'s and its
    feature ids moved up by ``offset`` (for a matrix of :meth:`Documents.stacked`)."""
    (p1, c1, w1), (p2, c2, w2) = first, second
    indptr = np.concatenate([p1, p2[1:] + p1[-1]])
    return indptr, np.concatenate([c1, c2 + offset]), np.concatenate([w1, w2])


class Rows:
    """A (documents x features) TF-IDF matrix in CSR arrays, for a guidance too large to score
    every document: each text is compared with the rows it names only (its candidates')."""

    #: Up to this many queries at once are scored by gathers, more by one scipy product.
    GATHERED = 8

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, size: int):
        self.indptr = np.asarray(indptr, dtype=np.int64)
        self.indices = np.asarray(indices, dtype=np.int32)
        self.data = np.asarray(data, dtype=np.float32)
        #: How many features (columns).
        self.size = int(size)
        self._matrix = None

    @property
    def count(self) -> int:
        """How many documents (rows)."""
        return len(self.indptr) - 1

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "indptr": self.indptr,
            "indices": self.indices,
            "data": self.data,
            "size": np.asarray(self.size),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> Rows:
        return cls(arrays["indptr"], arrays["indices"], arrays["data"], int(arrays["size"]))

    def score_ranges(self, queries: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
        """``(t, documents)``: dense ``queries`` (t x features) with every document of the
        ranges ``first[i]:last[i]``, in order. Each sum adds a document's entries in their
        order, as scipy's sparse-times-dense kernel does, so both ways give the same bits: a
        few queries (a message's texts) by gathers, without importing scipy at question
        time; many (a batch whose messages share their candidates) by scipy's product,
        which never holds every entry's product with every query."""
        docs = np.concatenate([np.arange(f, g) for f, g in zip(first, last, strict=True)])
        if len(queries) > self.GATHERED:
            if self._matrix is None:
                sp = scipy_sparse()
                shape = (self.count, self.size)
                self._matrix = sp.csr_matrix((self.data, self.indices, self.indptr), shape=shape)
            return np.asarray(self._matrix[docs] @ queries.T).T
        starts = self.indptr[docs]
        lengths = self.indptr[docs + 1] - starts
        ends = np.cumsum(lengths)
        out = np.zeros((len(queries), len(docs)))
        total = int(ends[-1]) if len(ends) else 0
        if not total:
            return out
        gather = np.repeat(starts - ends + lengths, lengths)
        gather += np.arange(total)
        columns = self.indices.take(gather)
        values = self.data.take(gather)
        owner = np.repeat(np.arange(len(docs)), lengths)
        for row, query in enumerate(queries):
            # bincount adds its weights one after another, in order.
            products = np.multiply(query.take(columns), values)
            out[row] = np.bincount(owner, weights=products, minlength=len(docs))
        return out
