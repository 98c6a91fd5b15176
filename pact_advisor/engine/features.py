"""Features of (message, item) pairs: what the ranker and the coverage model learn from.

Every item is indexed field by field (title, body, quote, keywords) and by each of its example
questions, with word TF-IDF over Snowball stems and character TF-IDF (``char_wb``, which
carries typos and French/Spanish cognates). A message is compared twice, as its question
sentences and as a whole, and its glossary meanings once, as a separate weaker query.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from pact_advisor.engine.corpus import (
    Corpus,
    ItemTerms,
    Tokens,
    by_document,
    by_feature,
    fit_letters,
    fit_words,
    per_item,
)
from pact_advisor.engine.layout import ExampleLayout, example_pool, item_fields
from pact_advisor.engine.message import Reading
from pact_advisor.engine.text import LanguageGuess, Speller, Stems, fold_many
from pact_advisor.engine.vectors import Documents, QueryVectorizer, Rows, Weighting, joined
from pact_advisor.knowledge import Item

FIELDS = ("title", "body", "quote", "keywords")
_SIMS = (*FIELDS, "best example", "top examples")

#: Names of the features, in column order (the "why" of a match quotes them).
FEATURES: tuple[str, ...] = (
    *(f"question {kind} {f}" for kind in ("words", "letters") for f in _SIMS),
    *(f"message {kind} {f}" for kind in ("words", "letters") for f in _SIMS),
    *(f"best sentence {kind} {f}" for kind in ("words", "letters") for f in _SIMS),
    "glossary meaning fields",
    "glossary meaning examples",
    "overview",
    "overview for a whole list",
    "overview against its best point",
    "overview of a collection named alone",
    "programme card",
    "programme card asked about",
    "named in the question",
    "named in the background only",
    "named programme asked about",
    *(f"length x question {kind} {f}" for kind in ("words", "letters") for f in _SIMS),
    "reads like its examples",
    "reads like its examples, against the closest item",
    "reads like its examples, against the uncovered messages",
)


@dataclass(frozen=True)
class Texts:
    """A message turned into the strings the vectorizers read."""

    question_words: str
    question_letters: str
    whole_words: str
    whole_letters: str
    expansion_words: str
    #: Each sentence's words and letters, when the message has several.
    sentence_words: tuple[str, ...]
    sentence_letters: tuple[str, ...]
    #: The question's content words as written after spelling (for "terms that matched").
    terms: tuple[str, ...]
    #: Share of the message's content words the guidance knows (expansions not counted).
    known_share: float
    known: int
    #: The same, counting words one typo away from a known word as known.
    near_known_share: float
    #: Share of the question's own content words the guidance knows.
    question_known_share: float
    #: The content words of the question and of the whole message, after spelling.
    question_terms: tuple[str, ...]
    whole_terms: tuple[str, ...]
    #: Their stems, in the message's language.
    question_stems: tuple[str, ...]
    whole_stems: tuple[str, ...]


class Analyzer:
    """Content words, spelled and stemmed in the message's language."""

    #: Words whose spelling and idf are remembered, at most (each memo).
    MEMO = 50_000

    def __init__(
        self,
        stopwords: frozenset[str],
        speller: Speller,
        frequency: Mapping[str, int],
        documents: int,
    ):
        self._stop = stopwords
        self._speller = speller
        #: In how many of the ``documents`` guidance documents each word occurs.
        self.frequency = frequency
        self.vocabulary = frozenset(frequency)
        self._documents = documents
        self._stems = Stems()
        self._corrected: dict[tuple[str, str], str] = {}
        self._idf: dict[str, float] = {}

    @property
    def speller(self) -> Speller:
        return self._speller

    @property
    def documents(self) -> int:
        """How many guidance documents the word frequencies count."""
        return self._documents

    def idf(self, word: str) -> float:
        """Inverse document frequency of a word in the guidance (smoothed, as scikit-learn)."""
        known = self._idf.get(word)
        if known is None:
            known = float(np.log((1 + self._documents) / (1 + self.frequency.get(word, 0))) + 1)
            if len(self._idf) < self.MEMO:
                self._idf[word] = known
        return known

    def words(self, folded: str, language: str) -> list[str]:
        out = []
        for token in folded.split():
            if len(token) < 2 or token in self._stop:
                continue
            key = (token, language)
            fixed = self._corrected.get(key)
            if fixed is None:
                # The word list is English: French and Spanish words are left as written
                # (character n-grams still match their typos).
                fixed = (language == "en" and self._speller.correct(token)) or token
                if len(self._corrected) < self.MEMO:
                    self._corrected[key] = fixed
            out.append(fixed)
        return out

    def stems(self, words: list[str], language: str) -> str:
        return " ".join(self._stems.stem(words, language))

    def texts(self, reading: Reading, *, own: bool = False) -> Texts:
        """``own``: the message is one of the guidance's examples, so a word counts as known
        only if another document has it too (leave-one-out)."""
        lang = reading.language
        q = self.words(reading.question, lang)
        w = q if not reading.has_background else self.words(reading.whole, lang)
        e = self.words(reading.expansion, "en") if reading.expansion else []
        stems_q = self.stems(q, lang)
        stems_w = stems_q if w is q else self.stems(w, lang)
        sentences = [self.words(x, lang) for x in reading.sentences]
        least = 2 if own else 1
        known = sum(1 for t in w if self.frequency.get(t, 0) >= least)
        near = sum(
            1 for t in w if self.frequency.get(t, 0) >= least or self._speller.near(t, own=own)
        )
        return Texts(
            question_words=stems_q,
            question_letters=" ".join(q),
            whole_words=stems_w,
            whole_letters=" ".join(w),
            expansion_words=self.stems(e, "en"),
            sentence_words=tuple(self.stems(x, lang) for x in sentences),
            sentence_letters=tuple(" ".join(x) for x in sentences),
            terms=tuple(dict.fromkeys(t for t in q if t in self.vocabulary)),
            # Shares are smoothed (one unknown word added): one known word out of one is
            # weaker evidence than five out of five.
            known_share=known / (len(w) + 1),
            known=known,
            near_known_share=near / (len(w) + 1),
            question_known_share=sum(1 for t in q if self.frequency.get(t, 0) >= least)
            / (len(q) + 1),
            question_terms=tuple(q),
            whole_terms=tuple(w),
            question_stems=tuple(stems_q.split()),
            whole_stems=tuple(stems_w.split()),
        )


#: How each text is vectorised: word uni- and bigrams of stems, and character n-grams of the
#: spelled words (``char_wb``, which carries typos and cognates; very common n-grams dropped).
WORDS = Weighting("word", (1, 2))
LETTERS = Weighting("char_wb", (3, 5), max_df=0.2)


#: Up to this many documents (about 30 times the bundled guidance), every message is compared
#: with every document; beyond, with its candidates' documents only, chosen by how like the
#: message each item is as a whole (:meth:`FeatureSpace.candidate_items`).
EXHAUSTIVE_DOCS = 60_000


class FeatureSpace:
    """Fitted vectorizers and document matrices; ``similarities`` compares texts with the
    items. Build with :meth:`fit`, or :meth:`restore` from :meth:`state`."""

    def __init__(
        self,
        analyzer: Analyzer,
        vectorizers: tuple[QueryVectorizer, QueryVectorizer],
        documents: tuple[Documents, Documents] | tuple[Rows, Rows],
        example_owner: np.ndarray,
        item_words: ItemTerms,
        item_stems: ItemTerms,
        items_index: Documents | None = None,
    ):
        self.analyzer = analyzer
        self._qword, self._qchar = vectorizers
        self._doc_word, self._doc_char = documents
        #: Every document is scored (else only candidates', chosen with ``items_index``).
        self.exhaustive = isinstance(self._doc_word, Documents)
        self._items_index = items_index
        self.example_owner = np.asarray(example_owner, dtype=np.int64)
        #: In how many of each item's documents (fields and examples) each word occurs.
        self._item_words = item_words
        #: The same by stem, for the coverage model's overlap features.
        self._item_stems = item_stems
        self.n_items = len(item_words.indptr) - 1
        #: How many documents: four fields per item, then every example question.
        self.documents = self._doc_word.size if self.exhaustive else self._doc_word.count
        self._layout = ExampleLayout(self.example_owner, self.n_items)

    @cached_property
    def _both(self) -> Documents:
        """Both document matrices as one, letters' features after words'."""
        return Documents.stacked(self._doc_word, self._doc_char)

    @classmethod
    def fit(
        cls,
        items: Sequence[Item],
        analyzer_for: Callable[[Counter[str], int], Analyzer],
        languages: LanguageGuess,
    ) -> FeatureSpace:
        """``analyzer_for(frequency, documents)``: the analyzer over the documents' token
        frequencies."""
        docs = [f for item in items for f in item_fields(item)]
        pools = [example_pool(item) for item in items]
        owners = [p for p, pool in enumerate(pools) for _ in pool]
        docs = fold_many([*docs, *(text for pool in pools for text in pool)])
        tokens = Tokens.of(docs)
        analyzer = analyzer_for(tokens.frequency(), len(docs))
        corpus = Corpus.analyse(tokens, tokens.languages(languages), analyzer.words, analyzer.stems)
        qword, mword = fit_words(corpus, WORDS)
        qchar, mchar = fit_letters(corpus, LETTERS)
        n = len(items)
        item_of = np.concatenate([np.repeat(np.arange(n), 4), np.asarray(owners, dtype=np.int64)])
        item_words = ItemTerms.count(corpus.words, corpus.word_ids, corpus.doc, item_of, n)
        item_stems = ItemTerms.count(corpus.stems, corpus.stem_ids, corpus.doc, item_of, n)
        if len(docs) <= EXHAUSTIVE_DOCS:
            matrices, index = (by_feature(mword), by_feature(mchar)), None
        else:
            matrices, index = (by_document(mword), by_document(mchar)), per_item(mword, item_of, n)
        return cls(
            analyzer,
            (qword, qchar),
            matrices,
            np.asarray(owners),
            item_words,
            item_stems,
            index,
        )

    def state(self) -> tuple[dict[str, np.ndarray], dict]:
        """The fitted state as arrays and plain data (JSON), for the start-up cache."""
        arrays = {"example_owner": self.example_owner}
        meta: dict = {"exhaustive": self.exhaustive}
        if self._items_index is not None:
            arrays.update({f"items.{k}": v for k, v in self._items_index.arrays().items()})
        for name, terms in (("item_words", self._item_words), ("item_stems", self._item_stems)):
            arrays.update({f"{name}.{k}": v for k, v in terms.arrays().items()})
            meta[name] = terms.terms
        for name, vectorizer, documents in (
            ("words", self._qword, self._doc_word),
            ("letters", self._qchar, self._doc_char),
        ):
            arrays[f"{name}.idf"] = vectorizer.idf
            meta[f"{name}.terms"] = vectorizer.terms
            if not self.exhaustive:
                arrays.update({f"{name}.{k}": v for k, v in documents.arrays().items()})
        if self.exhaustive:  # one matrix, read in place; the two are views of it
            arrays.update({f"documents.{k}": v for k, v in self._both.arrays().items()})
        return arrays, meta

    @classmethod
    def restore(
        cls, analyzer: Analyzer, arrays: Mapping[str, np.ndarray], meta: dict
    ) -> FeatureSpace:
        def part(prefix: str) -> dict[str, np.ndarray]:
            return {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}

        vectorizers = tuple(
            QueryVectorizer(weighting, meta[f"{name}.terms"], arrays[f"{name}.idf"])
            for name, weighting in (("words", WORDS), ("letters", LETTERS))
        )
        both = None
        if meta["exhaustive"]:
            both = Documents.from_arrays(part("documents."))
            documents = both.split(vectorizers[0].size)
        else:
            documents = (Rows.from_arrays(part("words.")), Rows.from_arrays(part("letters.")))
        index = None if meta["exhaustive"] else Documents.from_arrays(part("items."))
        terms = [ItemTerms(meta[name], **part(f"{name}.")) for name in ("item_words", "item_stems")]
        space = cls(analyzer, vectorizers, documents, arrays["example_owner"], *terms, index)
        if both is not None:
            space.__dict__["_both"] = both  # the cached property, already at hand
        return space

    def similarities(
        self,
        words: list[str],
        letters: list[str],
        exclude: np.ndarray,
        candidates: np.ndarray | None = None,
    ) -> np.ndarray:
        """``(n, items, 12)``: word then letter similarity to each field and the examples;
        with ``candidates`` (``(n, K)`` positions), ``(n, K, 12)`` for those items only.

        A text that comes twice (a question that is also one of the sentences) is scored once.
        """
        if candidates is not None:
            return self._candidate_similarities(words, letters, exclude, candidates)
        unique: dict[tuple[str, str, int], int] = {}
        keys = zip(words, letters, exclude.tolist(), strict=True)
        where = [unique.setdefault(key, len(unique)) for key in keys]
        if len(unique) < len(where):
            keys = list(unique)
            once = self.similarities(
                [k[0] for k in keys], [k[1] for k in keys], np.asarray([k[2] for k in keys])
            )
            return once[where]
        n = len(words)
        if n > Documents.BATCH:
            parts = [
                self._layout.per_item(docs.similarities(vectorizer, texts), exclude)
                for vectorizer, docs, texts in (
                    (self._qword, self._doc_word, words),
                    (self._qchar, self._doc_char, letters),
                )
            ]
            return np.concatenate(parts, axis=2)
        # A few texts: words and letters in one gather and one pass.
        queries = joined(self._qword.sparse(words), self._qchar.sparse(letters), self._qword.size)
        both = self._layout.per_item(
            self._both.gather(*queries), np.concatenate([exclude, exclude])
        )
        return np.concatenate([both[:n], both[n:]], axis=2)

    @property
    def vocabulary_size(self) -> int:
        """Word and letter features together."""
        return self._qword.size + self._qchar.size

    def whole_vectors(self, texts: Sequence[Texts]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every message's whole words, then every message's whole letters, as CSR arrays
        over both vocabularies (letters' features after words'), for the item classifier."""
        words = self._qword.sparse([t.whole_words for t in texts])
        letters = self._qchar.sparse([t.whole_letters for t in texts])
        return joined(words, letters, self._qword.size)

    def candidate_items(
        self, words: list[str], message_of: np.ndarray, n: int, k: int, owners=None
    ) -> np.ndarray:
        """``(n, k)``: for each of ``n`` messages (``message_of``: each text's message), the
        ``k`` items most like its texts as a whole, by position; ``owners`` are always in."""
        sims = self._items_index.similarities(self._qword, words)  # (texts, items)
        score = np.full((n, self.n_items), -np.inf)
        np.maximum.at(score, message_of, sims)
        if owners is not None:
            score[np.arange(n), owners] = np.inf
        k = min(k, self.n_items)
        return np.sort(np.argpartition(-score, k - 1, axis=1)[:, :k], axis=1)

    def _candidate_similarities(self, words, letters, exclude, candidates) -> np.ndarray:
        """:meth:`similarities` with each text's candidates only (texts of one message share
        their candidates, so each message's documents are gathered once)."""
        n, k = candidates.shape
        out = np.zeros((n, k, 12))
        messages: dict[tuple[int, ...], list[int]] = {}
        for i, row in enumerate(map(tuple, candidates.tolist())):
            messages.setdefault(row, []).append(i)
        for chosen, members in messages.items():
            out[members] = self._score_candidates(
                np.asarray(chosen),
                [words[i] for i in members],
                [letters[i] for i in members],
                exclude[members],
            )
        return out

    def _score_candidates(self, chosen, words, letters, exclude) -> np.ndarray:
        """``(t, k, 12)`` for ``t`` texts and the ``k`` items ``chosen``."""
        first, last = self._layout.ranges(chosen)
        parts = []
        for vectorizer, docs, texts in (
            (self._qword, self._doc_word, words),
            (self._qchar, self._doc_char, letters),
        ):
            vectors = vectorizer.vectors(texts)
            present = [i for i, (columns, _) in enumerate(vectors) if len(columns)]
            queries = np.zeros((len(present), vectorizer.size))
            for row, i in enumerate(present):
                queries[row, vectors[i][0]] = vectors[i][1]
            sims = np.zeros((len(texts), int((last - first).sum())))
            if present:  # an empty text is like nothing: similarity 0
                sims[present] = docs.score_ranges(queries, first, last)
            parts.append(self._layout.per_candidate(sims, chosen, exclude))
        return np.concatenate(parts, axis=2)

    def _shared(
        self, stems: Sequence[str], position: int, own: frozenset[str], *, by_stem: bool = True
    ) -> list[str]:
        """``stems`` that the item's text or examples contain; with ``own`` (the stems of one
        of this item's examples), only those that another of its documents contains too."""
        counts = (self._item_stems if by_stem else self._item_words).row(position)
        return [s for s in stems if counts.get(s, 0) > (s in own)]

    def share_in_item(
        self, stems: Sequence[str], position: int, own: frozenset[str] = frozenset()
    ) -> float:
        """Share of ``stems`` that the item's text or examples contain (smoothed)."""
        return len(self._shared(stems, position, own)) / (len(stems) + 1)

    def matched_terms(self, terms: Sequence[str], position: int, limit: int = 5) -> tuple[str, ...]:
        """The question's words that this item's text or examples share, rarest first."""
        return self.matched_rarest(self.rarest_first(terms), position, limit)

    def rarest_first(self, terms: Sequence[str]) -> list[str]:
        """``terms`` by falling idf (equals in their order), for :meth:`matched_rarest`."""
        return sorted(terms, key=self.analyzer.idf, reverse=True)

    def matched_rarest(self, ranked: Sequence[str], position: int, limit: int = 5):
        """:meth:`matched_terms` of terms already ranked by :meth:`rarest_first`."""
        counts = self._item_words.row(position)
        return tuple([t for t in ranked if counts.get(t, 0) > 0][:limit])

    def matched_weight(
        self, words: Sequence[str], position: int, own: frozenset[str] = frozenset()
    ) -> float:
        """How much rare vocabulary the question shares with this item (sum of idf)."""
        shared = self._shared(words, position, own, by_stem=False)
        return sum(self.analyzer.idf(t) for t in shared)
