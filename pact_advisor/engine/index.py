"""Retrieval over guidance items: build once (fit), search many.

``Index.build`` is the only constructor: it fits the vectorizers, the ranker and the coverage
model on the guidance (see :mod:`pact_advisor.engine.learn`). ``Index.search`` reads a message,
scores every item and returns :class:`Hits`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields

import numpy as np

from pact_advisor.engine.coverage import coverage_features, length_share
from pact_advisor.engine.features import FEATURES, Analyzer, FeatureSpace, Texts
from pact_advisor.engine.learn import (
    COVERAGE_FEATURES,
    LinearModel,
    SmallNetwork,
    fit_coverage,
    fit_ranker,
    softmax,
)
from pact_advisor.engine.message import Reader, Reading
from pact_advisor.engine.rules import CompiledRules
from pact_advisor.engine.text import Glossary, Speller
from pact_advisor.knowledge import Item

#: Messages scored together: enough to share the sparse products, few enough that the dense
#: similarity arrays stay small.
CHUNK = 128
#: At most this many feature values per chunk (messages x items x features): with a large
#: guidance, fewer messages are scored together, so memory does not grow with the batch.
CHUNK_VALUES = 4_000_000


@dataclass(frozen=True)
class IndexConfig:
    """What the engine uses; switching a part off is how its ablation is measured."""

    use_ranker: bool = True
    use_clauses: bool = True
    use_coverage_model: bool = True
    use_stemming: bool = True
    use_speller: bool = True
    use_glossary: bool = True
    #: Regularisation of the ranker (scikit-learn's ``C``).
    ranker_c: float = 0.03
    #: L2 penalty of the coverage network (scikit-learn's ``alpha``).
    coverage_alpha: float = 3.0


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
    #: All items' ranker scores (logits), for pooling with a previous turn.
    logits: np.ndarray
    known_terms: tuple[str, ...]
    #: The message's features and texts, kept so that ranking again computes nothing twice.
    features: np.ndarray = field(repr=False, compare=False, default=None)  # type: ignore[assignment]
    texts: Texts | None = field(repr=False, compare=False, default=None)

    @property
    def top(self) -> Hit | None:
        return self.hits[0] if self.hits else None


class Index:
    """Fitted state over a fixed list of items. Build with :meth:`build`."""

    items: tuple[Item, ...]
    config: IndexConfig
    reader: Reader
    space: FeatureSpace
    ranker: LinearModel | None
    coverage: SmallNetwork | None

    @classmethod
    def build(
        cls,
        items: Sequence[Item],
        *,
        rules: CompiledRules,
        glossary: Glossary,
        countries: Sequence[str] = (),
        sectors: Sequence[str] = (),
        negatives: Mapping[str, Sequence[str]] | None = None,
        config: IndexConfig | None = None,
    ) -> Index:
        self = cls._prepare(items, rules, glossary, countries, sectors, config)
        config = self.config

        def analyzer_for(counts: Counter[str], documents: int) -> Analyzer:
            speller = Speller(counts if config.use_speller else {})
            for word in glossary.words:
                counts[word] += 2  # glossary terms are known, never "corrected"
            return self._analyzer(rules, speller, counts, documents)

        self.space = FeatureSpace.fit(self.items, analyzer_for, self.reader.languages)
        self._fit(negatives or {})
        return self

    @classmethod
    def restore(
        cls,
        items: Sequence[Item],
        state: tuple[Mapping[str, np.ndarray], dict],
        *,
        rules: CompiledRules,
        glossary: Glossary,
        countries: Sequence[str] = (),
        sectors: Sequence[str] = (),
        config: IndexConfig | None = None,
    ) -> Index:
        """The index that :meth:`state` describes, fitted on these ``items`` before."""
        arrays, meta = state
        self = cls._prepare(items, rules, glossary, countries, sectors, config)
        speller = Speller.from_tables(meta["speller"])
        analyzer = self._analyzer(rules, speller, Counter(meta["frequency"]), meta["documents"])
        self.space = FeatureSpace.restore(analyzer, arrays, meta["space"])
        self.ranker = _model(LinearModel, arrays, "ranker.")
        self.coverage = _model(SmallNetwork, arrays, "coverage.")
        return self

    def state(self) -> tuple[dict[str, np.ndarray], dict]:
        """The fitted state as arrays and plain data (JSON): nothing in it runs code."""
        arrays, space = self.space.state()
        analyzer = self.space.analyzer
        for prefix, model in (("ranker.", self.ranker), ("coverage.", self.coverage)):
            if model is not None:
                arrays.update(
                    {prefix + f.name: np.asarray(getattr(model, f.name)) for f in fields(model)}
                )
        meta = {
            "space": space,
            "speller": analyzer.speller.tables(),
            "frequency": dict(analyzer.frequency),
            "documents": analyzer.documents,
        }
        return arrays, meta

    @classmethod
    def _prepare(cls, items, rules, glossary, countries, sectors, config) -> Index:
        """An index with everything but the fitted parts: reader and item masks."""
        self = cls.__new__(cls)
        self.config = config = config or IndexConfig()
        self.items = tuple(items)
        self.reader = Reader(
            rules, glossary if config.use_glossary else Glossary(), countries, sectors
        )
        items = self.items
        self._is_overview = np.array([it.id.endswith(".overview") for it in items], dtype=float)
        self._is_programme = np.array([it.collection == "programmes" for it in items], dtype=float)
        self._targets = {
            target: np.array(
                [it.id == target or it.collection == target for it in items], dtype=float
            )
            for mention in rules._mentions
            for target in mention[1].about
        }
        by_collection: dict[str, list[int]] = {}
        for position, item in enumerate(items):
            by_collection.setdefault(item.collection, []).append(position)
        # Each collection's items, padded to a rectangle (-1), and whether it has only one.
        width = max(map(len, by_collection.values()), default=1)
        grid = np.full((len(by_collection), max(width, 2)), -1, dtype=np.int64)
        for row, positions in enumerate(by_collection.values()):
            grid[row, : len(positions)] = positions
        self._collection_grid = (grid, (grid >= 0).sum(axis=1) < 2)
        self.ranker = self.coverage = None
        return self

    def _analyzer(
        self, rules: CompiledRules, speller: Speller, counts: Counter[str], documents: int
    ) -> Analyzer:
        """The analyzer over the guidance's word counts (``documents`` documents)."""
        analyzer = Analyzer(rules.stopwords, speller, counts, documents)
        if not self.config.use_stemming:
            analyzer.stems = lambda words, language: " ".join(words)  # type: ignore[method-assign]
        return analyzer

    # -- fitting --------------------------------------------------------------------------

    def _fit(self, negatives: Mapping[str, Sequence[str]]) -> None:
        examples = [(e, p) for p, it in enumerate(self.items) for e in it.examples]
        readings = [self.reader.read(e) for e, _ in examples]
        exclude = np.arange(len(examples))
        x, texts = self._features(readings, exclude)
        right = np.asarray([p for _, p in examples])
        if self.config.use_ranker:
            self.ranker = fit_ranker(x, right, c=self.config.ranker_c)
        pool = [q for kind in sorted(negatives) for q in negatives[kind]]
        if not self.config.use_coverage_model or not pool:
            return
        neg_readings = [self.reader.read(q) for q in pool]
        nx, ntexts = self._features(neg_readings, np.full(len(pool), -1))
        cov = np.concatenate(
            [
                coverage_features(self.space, readings, texts, x, self._logits(x), right),
                coverage_features(self.space, neg_readings, ntexts, nx, self._logits(nx)),
            ]
        )
        covered = np.concatenate([np.ones(len(readings)), np.zeros(len(pool))])
        self.coverage = fit_coverage(cov, covered, alpha=self.config.coverage_alpha)

    # -- features -------------------------------------------------------------------------

    def _features(
        self, readings: Sequence[Reading], exclude: np.ndarray
    ) -> tuple[np.ndarray, list[Texts]]:
        analyzer = self.space.analyzer
        texts = [
            analyzer.texts(self._clauses(r), own=bool(ex >= 0))
            for r, ex in zip(readings, exclude, strict=True)
        ]
        q, w, best, e = self._similarities(texts, exclude)
        n, items = q.shape[0], q.shape[1]
        length = length_share(readings)
        whole_list = np.array([r.whole_list for r in readings], dtype=float)[:, None]
        # A message that is little more than a name ("3I approach", "diaspora?").
        terse = np.array([1.0 / (1 + len(t.whole_terms)) for t in texts])[:, None]
        asks_programme = np.array([r.about_programme for r in readings], dtype=float)[:, None]
        named = np.stack([self._mask(r.named) for r in readings])
        in_background = np.stack([self._mask(r.named_in_background) for r in readings])
        overview = np.broadcast_to(self._is_overview, (n, items))
        programme = np.broadcast_to(self._is_programme, (n, items))
        structure = np.stack(
            [
                e[:, :, :4].max(axis=2),
                e[:, :, 4],
                overview,
                overview * whole_list,
                overview * self._best_point(w),
                overview * named * terse,
                programme,
                programme * asks_programme,
                named,
                in_background,
                named * programme * asks_programme,
            ],
            axis=2,
        )
        x = np.concatenate([q, w, best, structure, q * length[:, None, None]], axis=2)
        assert x.shape[2] == len(FEATURES)
        return x, texts

    def _similarities(
        self, texts: Sequence[Texts], exclude: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Question, whole message, best sentence and glossary meanings, in one pass.

        All texts of the batch are vectorised and multiplied together: one sparse product
        per vectorizer, however many sentences the messages have.
        """
        n = len(texts)
        words = [t.question_words for t in texts]
        letters = [t.question_letters for t in texts]
        owners = list(range(n))
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
        owners += background + sentence_owner + list(range(n))
        sims = self.space.similarities(words, letters, exclude[np.asarray(owners)])
        q = sims[:n]
        w = q.copy()
        w[background] = sims[n : n + len(background)]
        best = w.copy()
        if sentence_owner:
            start = n + len(background)
            best[background] = 0.0
            np.maximum.at(
                best, np.asarray(sentence_owner), sims[start : start + len(sentence_owner)]
            )
        e = sims[len(sims) - n :, :, :6]
        return q, w, best, e

    def _best_point(self, whole: np.ndarray) -> np.ndarray:
        """For each item, the best similarity among the other items of its collection."""
        fused = whole.mean(axis=2)  # (n, items)
        members, single = self._collection_grid
        block = np.where(members >= 0, fused[:, members], -np.inf)  # (n, collections, width)
        top2 = np.partition(block, block.shape[2] - 2, axis=2)[:, :, -2:]
        first, second = top2.max(axis=2), top2.min(axis=2)
        is_first = np.arange(block.shape[2]) == block.argmax(axis=2)[:, :, None]
        # The best item of a collection gets the second best; every other item, the best.
        # (Two best items that tie get the same value either way.)
        values = np.where(is_first, second[:, :, None], first[:, :, None])
        out = np.zeros_like(fused)
        keep = (members >= 0) & ~single[:, None]
        out[:, members[keep]] = values[:, keep]
        return out

    def _clauses(self, reading: Reading) -> Reading:
        if self.config.use_clauses or not reading.has_background:
            return reading
        from dataclasses import replace

        return replace(reading, question=reading.whole)

    def _mask(self, targets: frozenset[str]) -> np.ndarray:
        mask = np.zeros(len(self.items))
        for target in targets:
            found = self._targets.get(target)
            if found is not None:
                mask = np.maximum(mask, found)
        return mask

    def _logits(self, x: np.ndarray) -> np.ndarray:
        if self.ranker is not None:
            return self.ranker.decision(x)
        # Without the ranker: plain fused similarity of the whole message.
        return x[:, :, 12:24].mean(axis=2) * 10

    # -- searching ------------------------------------------------------------------------

    def read(self, question: str, *, folded: str | None = None) -> Reading:
        return self.reader.read(question, folded=folded)

    def known_terms(self, folded: str) -> tuple[str, ...]:
        """The content words of ``folded`` that the guidance knows."""
        return tuple(
            t
            for t in self.space.analyzer.words(folded, "en")
            if t in self.space.analyzer.vocabulary
        )

    def search(self, question: str, k: int = 5) -> Hits:
        """The ``k`` best items for ``question``."""
        return self.search_readings([self.read(question)], k)[0]

    def search_readings(self, readings: Sequence[Reading], k: int = 5) -> list[Hits]:
        """:meth:`search` for many messages, a chunk at a time (memory stays bounded)."""
        size = max(1, min(CHUNK, CHUNK_VALUES // (len(self.items) * len(FEATURES) or 1)))
        return [
            hits
            for start in range(0, len(readings), size)
            for hits in self._search_chunk(readings[start : start + size], k)
        ]

    def _search_chunk(self, readings: Sequence[Reading], k: int) -> list[Hits]:
        x, texts = self._features(readings, np.full(len(readings), -1))
        logits = self._logits(x)
        cov = coverage_features(self.space, readings, texts, x, logits)
        if self.coverage is not None:
            covered = self.coverage.probability(cov)
        else:
            covered = (cov[:, 0] > 0).astype(float)
        return self._hits(readings, texts, x, logits, covered, k)

    def rescore(self, hits: Hits, logits: np.ndarray, k: int = 5) -> Hits:
        """``hits`` ranked again by ``logits`` (pooled with a previous turn, say)."""
        assert hits.texts is not None
        x, covered = hits.features[None], np.array([hits.covered])
        return self._hits([hits.reading], [hits.texts], x, logits[None], covered, k)[0]

    def _hits(
        self,
        readings: Sequence[Reading],
        texts: Sequence[Texts],
        x: np.ndarray,
        logits: np.ndarray,
        covered: np.ndarray,
        k: int,
    ) -> list[Hits]:
        """Each message's ``k`` best items, ranked by ``logits`` (messages x items)."""
        probs = softmax(logits)
        order = np.argsort(-logits, axis=1, kind="stable")[:, :k]
        reasons = self._reasons(x, order)
        out = []
        space, items = self.space, self.items
        for i, (reading, text) in enumerate(zip(readings, texts, strict=True)):
            positions = order[i].tolist()
            ranked = space.rarest_first(text.terms)
            shares = probs[i, positions].tolist()
            hits = tuple(
                Hit(p, items[p].id, share, why, space.matched_rarest(ranked, p))
                for p, share, why in zip(positions, shares, reasons[i], strict=True)
            )
            out.append(Hits(reading, hits, float(covered[i]), logits[i], text.terms, x[i], text))
        return out

    def _reasons(
        self, x: np.ndarray, order: np.ndarray, limit: int = 3
    ) -> list[list[tuple[str, ...]]]:
        """Per message and ranked position, the features that lift the item above the
        average item."""
        if self.ranker is None:
            return [[() for _ in row] for row in order]
        contributions = self.ranker.contributions(x)  # (messages, items, features)
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


def _model(kind: type, arrays: Mapping[str, np.ndarray], prefix: str):
    """The :class:`LinearModel` or :class:`SmallNetwork` stored under ``prefix``, if any."""
    if f"{prefix}mean" not in arrays:
        return None
    values = {f.name: arrays[prefix + f.name] for f in fields(kind)}
    if "bias" in values:
        values["bias"] = float(values["bias"])
    return kind(**values)


__all__ = ["COVERAGE_FEATURES", "Hit", "Hits", "Index", "IndexConfig"]
