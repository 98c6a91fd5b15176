"""The guidance's documents analysed once, as arrays of ids, and their TF-IDF matrices.

A guidance of ten thousand items has about half a million documents (four fields per item and
every example question). Read one by one, as questions are, they would cost minutes; here
every distinct token is spelled, stemmed and cut into character n-grams once, and a document
is only a run of ids. Counting is sparse algebra (documents x words, times words x n-grams),
and scikit-learn's ``TfidfTransformer`` weights the counts, as ``TfidfVectorizer`` does
(``tests/test_corpus.py`` checks that the matrices are the same).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

from pact_advisor.engine.text import LanguageGuess
from pact_advisor.engine.vectors import (
    Documents,
    QueryVectorizer,
    Rows,
    Weighting,
    _char_wb_ngrams,
)


def _distinct(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of ``keys``, sorted, and how often each occurs (by sorting: much
    quicker than ``np.unique``'s hashing on millions of keys)."""
    ordered = np.sort(keys)
    starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
    return ordered[starts], np.diff(np.append(starts, len(ordered)))


@dataclass(frozen=True)
class Tokens:
    """Every document's tokens as ids into ``vocabulary``, concatenated."""

    vocabulary: list[str]
    ids: np.ndarray
    #: The document each token belongs to.
    doc: np.ndarray
    documents: int

    @classmethod
    def of(cls, docs: Sequence[str]) -> Tokens:
        """``docs``: folded text (words of ``[a-z0-9&]`` separated by single spaces)."""
        split = [d.split() for d in docs]
        lengths = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
        flat = list(chain.from_iterable(split))
        # Ids in order of first occurrence; both passes run in C (dict and map built-ins).
        index = {t: i for i, t in enumerate(dict.fromkeys(flat))}
        ids = np.fromiter(map(index.__getitem__, flat), dtype=np.int64, count=len(flat))
        doc = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
        return cls(list(index), ids, doc, len(docs))

    def frequency(self) -> Counter[str]:
        """In how many documents each token of two characters or more occurs."""
        size = len(self.vocabulary)
        pairs = _distinct(self.doc * size + self.ids)[0] % size if size else self.ids
        counts = np.bincount(pairs, minlength=size)
        return Counter(
            {t: int(c) for t, c in zip(self.vocabulary, counts.tolist(), strict=True) if len(t) > 1}
        )

    def languages(self, guess: LanguageGuess) -> np.ndarray:
        """Each document's language, as :meth:`LanguageGuess.guess` reads its tokens."""
        names = guess.languages
        if not names:
            return np.full(self.documents, "en", dtype=object)
        marks = np.zeros((len(self.vocabulary), len(names)))
        for i, token in enumerate(self.vocabulary):
            for lang in guess.marked(token):
                marks[i, names.index(lang)] += 1
        counts = np.stack(
            [
                np.bincount(self.doc, weights=marks[self.ids, j], minlength=self.documents)
                for j in range(len(names))
            ],
            axis=1,
        ).reshape(self.documents, len(names))
        english = counts[:, names.index("en")] if "en" in names else np.zeros(self.documents)
        best = counts.argmax(axis=1)  # the first language of the most markers, as ``max``
        won = counts[np.arange(self.documents), best] > english
        return np.where(won, np.asarray(names, dtype=object)[best], "en")


@dataclass(frozen=True)
class Corpus:
    """The documents' content words (spelled) and their stems, as ids, in document order."""

    documents: int
    words: list[str]
    word_ids: np.ndarray
    stems: list[str]
    stem_ids: np.ndarray
    #: The document of each entry of ``word_ids`` and ``stem_ids``.
    doc: np.ndarray

    @classmethod
    def analyse(
        cls,
        tokens: Tokens,
        languages: np.ndarray,
        words_of: Callable[[str, str], list[str]],
        stems_of: Callable[[list[str], str], str],
    ) -> Corpus:
        """``words_of(token, language)``: the token's content word (spelled) or nothing;
        ``stems_of(words, language)``: their stems, joined by spaces."""
        langs = sorted(set(languages.tolist()))
        lang_of = np.searchsorted(langs, languages)[tokens.doc] if langs else tokens.doc
        words: dict[str, int] = {}
        table = np.full((max(len(langs), 1), len(tokens.vocabulary)), -1, dtype=np.int64)
        for row, lang in enumerate(langs):
            for i, token in enumerate(tokens.vocabulary):
                found = words_of(token, lang)
                if found:
                    table[row, i] = words.setdefault(found[0], len(words))
        word_ids = table[lang_of, tokens.ids]
        kept = word_ids >= 0
        word_ids, doc, lang_of = word_ids[kept], tokens.doc[kept], lang_of[kept]
        vocabulary = list(words)
        stems: dict[str, int] = {}
        stem_table = np.zeros((max(len(langs), 1), len(vocabulary)), dtype=np.int64)
        for row, lang in enumerate(langs):
            for i, stem in enumerate(stems_of(vocabulary, lang).split()):
                stem_table[row, i] = stems.setdefault(stem, len(stems))
        stem_ids = stem_table[lang_of, word_ids] if len(word_ids) else word_ids
        return cls(tokens.documents, vocabulary, word_ids, list(stems), stem_ids, doc)

    def counts(self, ids: np.ndarray, size: int):
        """Documents x terms counts (scipy CSR, float64) of one id per entry."""
        import scipy.sparse as sp

        ones = np.ones(len(ids))
        return sp.csr_matrix((ones, (self.doc, ids)), shape=(self.documents, size))


def _sorted_columns(terms: list[str]) -> tuple[list[str], np.ndarray]:
    """The terms in scikit-learn's vocabulary order (sorted), and each term's new column."""
    order = sorted(range(len(terms)), key=terms.__getitem__)
    column = np.empty(len(terms), dtype=np.int64)
    column[order] = np.arange(len(terms))
    return [terms[i] for i in order], column


def _weighted(counts, weighting: Weighting, terms: list[str]):
    """TF-IDF of a documents x terms count matrix, as ``TfidfVectorizer`` weights it: the
    vectorizer for questions, and the weighted matrix (scipy CSR, documents x terms)."""
    from sklearn.feature_extraction.text import TfidfTransformer

    fitted = TfidfTransformer(sublinear_tf=True)
    matrix = fitted.fit_transform(counts).astype(np.float32)
    matrix.sort_indices()
    return QueryVectorizer(weighting, terms, fitted.idf_), matrix


def by_feature(matrix) -> Documents:
    """A documents x terms matrix as :class:`Documents` (terms x documents), to score every
    document at once."""
    transposed = matrix.T.tocsr()
    transposed.sort_indices()
    return Documents(transposed.indptr, transposed.indices, transposed.data, matrix.shape[0])


def by_document(matrix) -> Rows:
    """A documents x terms matrix as :class:`Rows`, to score chosen documents."""
    return Rows(matrix.indptr, matrix.indices, matrix.data, matrix.shape[1])


def per_item(matrix, item_of: np.ndarray, items: int) -> Documents:
    """Each item as one document, the sum of its documents' vectors, l2-normalised
    (terms x items): what chooses a large guidance's candidates."""
    import scipy.sparse as sp

    owner = sp.csr_matrix(
        (np.ones(len(item_of)), (item_of, np.arange(len(item_of)))),
        shape=(items, matrix.shape[0]),
    )
    summed = (owner @ matrix).tocsr()
    norms = np.sqrt(np.asarray(summed.multiply(summed).sum(axis=1)).ravel())
    summed = sp.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ summed
    return by_feature(summed.astype(np.float32).tocsr())


def fit_words(corpus: Corpus, weighting: Weighting):
    """Word uni- and bigrams of the stems (bigrams within a document)."""
    assert weighting.analyzer == "word" and weighting.ngram_range == (1, 2)
    size = len(corpus.stems)
    ids, doc = corpus.stem_ids, corpus.doc
    same = doc[1:] == doc[:-1]
    keys = np.concatenate([ids, size + ids[:-1][same] * size + ids[1:][same]])
    docs = np.concatenate([doc, doc[:-1][same]])
    distinct, inverse = np.unique(keys, return_inverse=True)
    stems = corpus.stems
    terms = [
        stems[k] if k < size else f"{stems[(k - size) // size]} {stems[(k - size) % size]}"
        for k in distinct.tolist()
    ]
    terms, column = _sorted_columns(terms)
    counted = Corpus(corpus.documents, [], np.empty(0), [], np.empty(0), docs)
    return _weighted(counted.counts(column[inverse], len(terms)), weighting, terms)


def fit_letters(corpus: Corpus, weighting: Weighting):
    """Character n-grams of each word (``char_wb``): documents x words, times words x
    n-grams, so each distinct word is cut once."""
    import scipy.sparse as sp

    assert weighting.analyzer == "char_wb"
    low, high = weighting.ngram_range
    index: dict[str, int] = {}
    rows, columns = [], []
    for w, word in enumerate(corpus.words):
        for gram in _char_wb_ngrams(word, low, high):
            rows.append(w)
            columns.append(index.setdefault(gram, len(index)))
    grams = sp.csr_matrix(
        (np.ones(len(rows)), (rows, columns)), shape=(len(corpus.words), len(index))
    )
    counts = (corpus.counts(corpus.word_ids, len(corpus.words)) @ grams).tocsr()
    counts.sum_duplicates()
    frequency = np.bincount(counts.indices, minlength=len(index))
    grams_in_order = list(index)
    _, column = _sorted_columns(grams_in_order)
    order = np.argsort(column)  # each sorted term's column in ``counts``
    kept = order[frequency[order] <= weighting.max_df * corpus.documents]
    counts = counts[:, kept].tocsr()
    return _weighted(counts, weighting, [grams_in_order[c] for c in kept.tolist()])


class ItemTerms:
    """In how many of each item's documents each term occurs: items x terms counts (CSR),
    with each item's row read into a dict the first time it is asked about."""

    #: Items whose rows are kept as dicts, at most.
    MEMO = 4096

    def __init__(self, terms: Sequence[str], indptr, indices, data):
        self.terms = list(terms)
        self.indptr = np.asarray(indptr, dtype=np.int64)
        self.indices = np.asarray(indices, dtype=np.int32)
        self.data = np.asarray(data, dtype=np.int32)
        self._rows: dict[int, dict[str, int]] = {}

    @classmethod
    def count(
        cls, terms: list[str], ids: np.ndarray, doc: np.ndarray, item_of: np.ndarray, items: int
    ) -> ItemTerms:
        """``ids``: a term per entry, ``doc``: its document; ``item_of``: each document's item."""
        size = max(len(terms), 1)
        document, term = np.divmod(_distinct(doc * size + ids)[0], size)  # each pair once
        keys, counts = _distinct(item_of[document] * size + term)
        item, term = np.divmod(keys, size)
        indptr = np.zeros(items + 1, dtype=np.int64)
        np.cumsum(np.bincount(item, minlength=items), out=indptr[1:])
        return cls(terms, indptr, term, counts)

    def row(self, position: int) -> dict[str, int]:
        found = self._rows.get(position)
        if found is None:
            a, b = self.indptr[position], self.indptr[position + 1]
            terms = self.terms
            found = dict(
                zip(
                    [terms[i] for i in self.indices[a:b].tolist()],
                    self.data[a:b].tolist(),
                    strict=True,
                )
            )
            if len(self._rows) >= self.MEMO:
                self._rows.clear()
            self._rows[position] = found
        return found

    def arrays(self) -> dict[str, np.ndarray]:
        return {"indptr": self.indptr, "indices": self.indices, "data": self.data}
