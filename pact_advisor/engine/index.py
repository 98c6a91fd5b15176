"""TF-IDF retrieval over guidance items: build once, search many.

Each item is indexed twice over: its own text (title, keywords, summary, quote) and each of
its example questions. Word n-grams carry meaning; ``char_wb`` n-grams carry typos and
French/Spanish cognates. An item's score fuses both, over its text and its best example.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from pact_advisor.engine.text import Glossary, Speller, fold
from pact_advisor.knowledge import Item

_TOKEN = re.compile(r"[a-z0-9&]+")


@dataclass(frozen=True)
class IndexConfig:
    """Retrieval settings. The defaults are the ones the dev split chose (``pact-advisor eval``)."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (3, 5)
    #: Share of the character n-gram similarity in the fused score (0 = words only).
    char_weight: float = 0.7
    #: Share of the best example question in an item's score (0 = item text only).
    example_weight: float = 0.3
    use_glossary: bool = True
    use_speller: bool = True


@dataclass(frozen=True)
class Query:
    """A question as the index sees it."""

    text: str
    #: Content words (stopwords removed, typos corrected) that the guidance knows.
    known_terms: tuple[str, ...]
    content_terms: tuple[str, ...]


class Index:
    """Fitted TF-IDF state over a fixed list of items."""

    def __init__(
        self,
        items: Sequence[Item],
        config: IndexConfig,
        glossary: Glossary,
        stopwords: frozenset[str],
        word: TfidfVectorizer,
        char: TfidfVectorizer,
        speller: Speller | None,
    ):
        self.items = tuple(items)
        self.config = config
        self._glossary = glossary
        self._stopwords = stopwords
        self._word = word
        self._char = char
        self._speller = speller
        self._vocabulary = frozenset(t for t in word.vocabulary_ if " " not in t)

    # -- building -------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        items: Sequence[Item],
        *,
        glossary: Glossary,
        stopwords: Iterable[str] = (),
        config: IndexConfig | None = None,
    ) -> Index:
        config = config or IndexConfig()
        stop = frozenset(fold(w) for w in stopwords)
        gloss = glossary if config.use_glossary else Glossary()

        item_docs = [
            " ".join([it.title, it.title, *it.keywords, it.summary, it.quote]) for it in items
        ]
        example_docs: list[str] = []
        owners: list[int] = []
        for position, item in enumerate(items):
            for example in item.examples:
                example_docs.append(example)
                owners.append(position)

        def prepare(doc: str) -> str:
            return _content(gloss.expand(fold(doc)), stop)

        prepared_items = [prepare(d) for d in item_docs]
        prepared_examples = [prepare(d) for d in example_docs]
        corpus = prepared_items + prepared_examples

        word = TfidfVectorizer(
            analyzer="word",
            ngram_range=config.word_ngrams,
            token_pattern=r"[a-z0-9&]{2,}",
            lowercase=False,
            sublinear_tf=True,
            dtype=np.float32,
        ).fit(corpus)
        char = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=config.char_ngrams,
            lowercase=False,
            sublinear_tf=True,
            dtype=np.float32,
        ).fit(corpus)

        speller = None
        if config.use_speller:
            idf = dict(zip(word.get_feature_names_out(), word.idf_, strict=True))
            unigrams = [t for t in word.vocabulary_ if " " not in t]
            # Frequent words are the likelier correction: rank by inverse idf.
            speller = Speller(unigrams, {t: -idf[t] for t in unigrams})

        index = cls(items, config, gloss, stop, word, char, speller)
        index._fit_matrices(prepared_items, prepared_examples, np.asarray(owners))
        return index

    def _fit_matrices(self, items: list[str], examples: list[str], owners: np.ndarray) -> None:
        # One (features x documents) matrix per vectorizer: the items, then their examples.
        self._n_items = len(items)
        self._doc_word = self._word.transform(items + examples).T.tocsr()
        self._doc_char = self._char.transform(items + examples).T.tocsr()
        # Examples are stored grouped by item, so a maximum per item is a reduceat.
        self._ex_starts = np.searchsorted(owners, np.arange(len(self.items)))
        # Each item's words (text and examples), for explaining a match.
        terms: list[set[str]] = [set(_TOKEN.findall(doc)) for doc in items]
        for owner, doc in zip(owners, examples, strict=True):
            terms[owner].update(_TOKEN.findall(doc))
        self._item_terms = [frozenset(t) for t in terms]
        self._idf = {t: float(self._word.idf_[i]) for t, i in self._word.vocabulary_.items()}
        self._query_word = QueryVectorizer(self._word)
        self._query_char = QueryVectorizer(self._char)

    # -- querying -------------------------------------------------------------------------

    def prepare(self, question: str, *, folded: str | None = None) -> Query:
        """The question as the index sees it; pass ``folded`` if the caller already folded it."""
        expanded = self._glossary.expand(fold(question) if folded is None else folded)
        tokens = [t for t in _TOKEN.findall(expanded) if len(t) > 1 and t not in self._stopwords]
        if self._speller is not None:
            tokens = [
                t
                if t in self._vocabulary or t in self._glossary.words
                else (self._speller.correct(t) or t)
                for t in tokens
            ]
        content = tuple(dict.fromkeys(tokens))
        known = tuple(t for t in content if t in self._vocabulary)
        return Query(text=" ".join(tokens), known_terms=known, content_terms=content)

    def scores(self, queries: Sequence[Query]) -> np.ndarray:
        """Similarity of each query (rows) to each item (columns), in [0, 1]."""
        texts = [q.text for q in queries]
        cw = self.config.char_weight
        sim = (1 - cw) * (self._query_word.transform(texts) @ self._doc_word).toarray()
        sim += cw * (self._query_char.transform(texts) @ self._doc_char).toarray()
        item_sim, ex_sim = sim[:, : self._n_items], sim[:, self._n_items :]
        best_example = np.maximum.reduceat(ex_sim, self._ex_starts, axis=1)
        ew = self.config.example_weight
        return (1 - ew) * item_sim + ew * best_example

    def matched_terms(self, query: Query, position: int, limit: int = 5) -> tuple[str, ...]:
        """The question's words that this item's text or examples share, rarest first."""
        vocab = self._item_terms[position]
        shared = [t for t in query.known_terms if t in vocab]
        shared.sort(key=self._idf.__getitem__, reverse=True)
        return tuple(shared[:limit])


class QueryVectorizer:
    """``TfidfVectorizer.transform`` for short questions, from the fitted vectorizer's own parts.

    It uses the vectorizer's analyzer, vocabulary and idf weights, so it gives the same
    vectors (``tests/test_engine.py`` checks that), but skips the input validation that
    ``transform`` runs on every call: for a one-line question that validation cost more than
    the arithmetic.
    """

    def __init__(self, fitted: TfidfVectorizer):
        if not (fitted.sublinear_tf and fitted.norm == "l2" and fitted.use_idf):
            raise ValueError("QueryVectorizer mirrors sublinear, l2-normalised TF-IDF only")
        self._fitted = fitted
        self._size = len(fitted.idf_)
        self._setup()

    def _setup(self) -> None:
        self._analyze = self._fitted.build_analyzer()
        self._vocabulary = self._fitted.vocabulary_
        self._idf = self._fitted.idf_.astype(np.float64)

    def __getstate__(self) -> dict:
        return {"_fitted": self._fitted, "_size": self._size}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._setup()

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        indptr, indices, data = [0], [], []
        lookup = self._vocabulary.get
        for text in texts:
            counts = Counter(i for i in map(lookup, self._analyze(text)) if i is not None)
            if counts:
                columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
                tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
                weights = (np.log(tf) + 1.0) * self._idf[columns]
                weights /= np.sqrt(weights @ weights)
                indices.append(columns)
                data.append(weights)
            indptr.append(indptr[-1] + len(counts))
        matrix = sp.csr_matrix(
            (
                np.concatenate(data) if data else np.empty(0),
                np.concatenate(indices) if indices else np.empty(0, dtype=np.int64),
                np.asarray(indptr),
            ),
            shape=(len(texts), self._size),
            dtype=np.float32,
        )
        matrix.sort_indices()
        return matrix


def _content(folded: str, stopwords: frozenset[str]) -> str:
    return " ".join(t for t in _TOKEN.findall(folded) if t not in stopwords)
