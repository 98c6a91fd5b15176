"""TF-IDF retrieval over guidance items: build once, search many.

Each item is indexed twice over: its own text (title, keywords, summary, quote) and each of
its example questions. Word n-grams carry meaning; ``char_wb`` n-grams carry typos and
French/Spanish cognates. An item's score fuses both, over its text and its best example.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.engine.text import Glossary, Speller, fold
from bot.knowledge import Item

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
        self._item_word = self._word.transform(items).T.tocsr()
        self._item_char = self._char.transform(items).T.tocsr()
        self._ex_word = self._word.transform(examples).T.tocsr()
        self._ex_char = self._char.transform(examples).T.tocsr()
        # Examples are stored grouped by item, so a maximum per item is a reduceat.
        self._ex_starts = np.searchsorted(owners, np.arange(len(self.items)))
        self._item_terms = [frozenset(_TOKEN.findall(doc)) for doc in items]
        self._example_terms = [set() for _ in self.items]
        for owner, doc in zip(owners, examples, strict=True):
            self._example_terms[owner].update(_TOKEN.findall(doc))

    # -- querying -------------------------------------------------------------------------

    def prepare(self, question: str) -> Query:
        expanded = self._glossary.expand(fold(question))
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
        qw = self._word.transform(texts)
        qc = self._char.transform(texts)
        cw = self.config.char_weight
        item_sim = (1 - cw) * (qw @ self._item_word).toarray() + cw * (
            qc @ self._item_char
        ).toarray()
        ex_sim = (1 - cw) * (qw @ self._ex_word).toarray() + cw * (qc @ self._ex_char).toarray()
        best_example = np.maximum.reduceat(ex_sim, self._ex_starts, axis=1)
        ew = self.config.example_weight
        return (1 - ew) * item_sim + ew * best_example

    def matched_terms(self, query: Query, position: int, limit: int = 5) -> tuple[str, ...]:
        """The question's words that this item's text or examples share, rarest first."""
        vocab = self._item_terms[position] | self._example_terms[position]
        shared = [t for t in query.known_terms if t in vocab]
        idf = self._word.idf_
        lookup = self._word.vocabulary_
        shared.sort(key=lambda t: -idf[lookup[t]])
        return tuple(shared[:limit])


def _content(folded: str, stopwords: frozenset[str]) -> str:
    return " ".join(t for t in _TOKEN.findall(folded) if t not in stopwords)
