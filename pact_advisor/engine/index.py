"""Retrieval over guidance items: build once (fit), search many.

``Index.build`` fits the vectorizers, the item classifier, the ranker and the coverage model
on the guidance (:mod:`~pact_advisor.engine.classify`, :mod:`~pact_advisor.engine.learn`).
``Index.search`` reads a message, scores the items and returns :class:`Hits`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from pact_advisor.engine.classify import ItemClassifier, fit_on_examples, learned_features
from pact_advisor.engine.clauses import clause_similarities
from pact_advisor.engine.coverage import coverage_features, length_share
from pact_advisor.engine.features import FEATURES, Analyzer, FeatureSpace, Texts
from pact_advisor.engine.fitted import MODELS, model_arrays, models_from
from pact_advisor.engine.hits import Hit, Hits, ranked
from pact_advisor.engine.layout import training_examples
from pact_advisor.engine.learn import (
    COVERAGE_FEATURES,
    LinearModel,
    SmallNetwork,
    fit_coverage,
    fit_ranker,
)
from pact_advisor.engine.message import Reader, Reading
from pact_advisor.engine.rules import CompiledRules
from pact_advisor.engine.text import Glossary, Speller
from pact_advisor.knowledge import Item

#: Messages scored together: enough to share the sparse products, few enough that the dense
#: similarity arrays stay small.
CHUNK = 128
#: At most this many similarity values per chunk (messages x documents): with a large
#: guidance, fewer messages are scored together, so memory does not grow with the batch.
CHUNK_VALUES = 4_000_000
#: The ranker scores at most this many items per message: those the plain similarities rank
#: highest (every item, in a guidance of this size or smaller).
CANDIDATES = 48
#: The models learn from at most this many example questions, taken evenly across the items:
#: the ranker's features are the same for every item, so a sample teaches it as well as all.
TRAINING_EXAMPLES = 2_000


@dataclass(frozen=True)
class IndexConfig:
    """What the engine uses; switching a part off is how its ablation is measured."""

    use_ranker: bool = True
    use_clauses: bool = True
    use_coverage_model: bool = True
    use_stemming: bool = True
    use_speller: bool = True
    use_glossary: bool = True
    use_classifier: bool = True
    #: The item classifier learns the negative pool as a class of its own.
    use_negative_class: bool = True
    #: Regularisation of the ranker (scikit-learn's ``C``).
    ranker_c: float = 0.03
    #: L2 penalty of the coverage network (scikit-learn's ``alpha``).
    coverage_alpha: float = 3.0
    #: Regularisation of the item classifier (scikit-learn's ``C``).
    classifier_c: float = 0.5


class Index:
    """Fitted state over a fixed list of items. Build with :meth:`build`."""

    items: tuple[Item, ...]
    config: IndexConfig
    reader: Reader
    space: FeatureSpace
    ranker: LinearModel | None
    coverage: SmallNetwork | None
    classifier: ItemClassifier | None

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

        def analyzer_for(counts: Counter[str], documents: int) -> Analyzer:
            speller = Speller(counts if self.config.use_speller else {})
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
        for name, model in models_from(arrays).items():
            setattr(self, name, model)  # ranker, coverage, classifier
        return self

    def state(self) -> tuple[dict[str, np.ndarray], dict]:
        """The fitted state as arrays and plain data (JSON): nothing in it runs code."""
        arrays, space = self.space.state()
        analyzer = self.space.analyzer
        arrays.update(model_arrays({name: getattr(self, name) for name in MODELS}))
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
        names = sorted({it.collection for it in items})
        self._collection_of = np.array([names.index(it.collection) for it in items], dtype=int)
        # Items of the same collection, each but itself: only for a guidance small enough that
        # every item is a candidate (items x items; a large one compares candidates alone).
        self._mates = None
        if len(items) <= CANDIDATES:
            same = self._collection_of[:, None] == self._collection_of[None, :]
            self._mates = same & ~np.eye(len(items), dtype=bool)
        self.ranker = self.coverage = self.classifier = None
        return self

    def _analyzer(
        self, rules: CompiledRules, speller: Speller, counts: Counter[str], documents: int
    ) -> Analyzer:
        """The analyzer over the guidance's word counts (``documents`` documents)."""
        analyzer = Analyzer(rules.stopwords, speller, counts, documents)
        if not self.config.use_stemming:
            analyzer.stems = lambda words, language: " ".join(words)  # type: ignore[method-assign]
        return analyzer

    def _fit(self, negatives: Mapping[str, Sequence[str]]) -> None:
        examples, owners, exclude, picked = training_examples(self.items, TRAINING_EXAMPLES)
        readings = [self.reader.read(e) for e in examples]
        pool = [q for kind in sorted(negatives) for q in negatives[kind]]
        neg_readings = [self.reader.read(q) for q in pool]
        margins, neg_margins = self._fit_classifier(picked, readings, neg_readings)
        x, texts, candidates = self._features_chunked(readings, exclude, owners, margins)
        right = (candidates == owners[:, None]).argmax(axis=1)
        if self.config.use_ranker:
            self.ranker = fit_ranker(x, right, c=self.config.ranker_c)
        if not self.config.use_coverage_model or not pool:
            return
        nx, ntexts, ncand = self._features_chunked(
            neg_readings, np.full(len(pool), -1), None, neg_margins
        )
        sets = [(readings, texts, x, candidates, owners), (neg_readings, ntexts, nx, ncand, None)]
        cov = np.concatenate(
            [
                coverage_features(self.space, r, t, f, self._logits(f), c, o)
                for r, t, f, c, o in sets
            ]
        )
        covered = np.concatenate([np.ones(len(readings)), np.zeros(len(pool))])
        self.coverage = fit_coverage(cov, covered, alpha=self.config.coverage_alpha)

    def _fit_classifier(
        self, picked: np.ndarray, readings: Sequence[Reading], negatives: Sequence[Reading]
    ) -> tuple[np.ndarray | None, np.ndarray | None]:
        """Fit the item classifier on every example (those ``picked`` already read as
        ``readings``) and the ``negatives``; the out-of-fold margins of the picked examples
        and of the negatives (None, None without a classifier)."""
        if not self.config.use_classifier:
            return None, None
        read = dict(zip(picked.tolist(), readings, strict=True))

        def own(place: int, example: str) -> Texts:
            reading = read[place] if place in read else self.reader.read(example)
            return self.space.analyzer.texts(self._clauses(reading), own=True)

        if not self.config.use_negative_class:
            negatives = ()
        outside = [self.space.analyzer.texts(self._clauses(r)) for r in negatives]
        c = self.config.classifier_c
        self.classifier, margins = fit_on_examples(self.space, self.items, own, outside, c=c)
        if margins is None:
            return None, None
        return margins[picked], margins[len(margins) - len(outside) :] if outside else None

    def _chunk(self) -> int:
        """How many messages are scored together: in a guidance too large to compare every
        document, the similarities are only with each message's candidates, so the most."""
        if not self.space.exhaustive:
            return CHUNK
        return max(1, min(CHUNK, CHUNK_VALUES // (self.space.documents * 4 or 1)))

    def _features_chunked(
        self, readings: Sequence[Reading], exclude: np.ndarray, *known: np.ndarray | None
    ) -> tuple[np.ndarray, list[Texts], np.ndarray]:
        """:meth:`_features` a chunk at a time, joined (``known``: its owners and margins)."""
        size = self._chunk()
        parts = [
            self._features(
                readings[i : i + size],
                exclude[i : i + size],
                *(None if a is None else a[i : i + size] for a in known),
            )
            for i in range(0, len(readings), size)
        ]
        texts = [t for part in parts for t in part[1]]
        return (
            np.concatenate([part[0] for part in parts]),
            texts,
            np.concatenate([part[2] for part in parts]),
        )

    def _features(
        self,
        readings: Sequence[Reading],
        exclude: np.ndarray,
        owners: np.ndarray | None = None,
        margins: np.ndarray | None = None,
    ) -> tuple[np.ndarray, list[Texts], np.ndarray]:
        """``(messages, candidates, features)``, the texts, and the candidates' positions.
        ``owners``: for the guidance's own examples, the item each belongs to (always a
        candidate, so that the ranker learns from it); ``margins``: their out-of-fold item
        classifier margins (else the classifier's own)."""
        analyzer = self.space.analyzer
        texts = [
            analyzer.texts(self._clauses(r), own=bool(ex >= 0))
            for r, ex in zip(readings, exclude, strict=True)
        ]
        sims, candidates = clause_similarities(self.space, texts, exclude, owners)
        every = candidates is None and sims[0].shape[1] <= CANDIDATES
        if candidates is None:
            candidates = self._candidates(sims, owners)
            if not every:
                sims = tuple(np.take_along_axis(a, candidates[:, :, None], axis=1) for a in sims)
        q, w, best, e = sims
        point = self._best_point(w, candidates, every)

        def per_message(targets: list[frozenset[str]]) -> np.ndarray:
            masks = self._masks(targets)
            return masks if every else np.take_along_axis(masks, candidates, axis=1)

        length = length_share(readings)
        whole_list = np.array([r.whole_list for r in readings], dtype=float)[:, None]
        # A message that is little more than a name ("3I approach", "diaspora?").
        terse = np.array([1.0 / (1 + len(t.whole_terms)) for t in texts])[:, None]
        asks_programme = np.array([r.about_programme for r in readings], dtype=float)[:, None]
        named = per_message([r.named for r in readings])
        in_background = per_message([r.named_in_background for r in readings])
        overview = self._is_overview[candidates]
        programme = self._is_programme[candidates]
        structure = np.stack(
            [
                e[:, :, :4].max(axis=2),
                e[:, :, 4],
                overview,
                overview * whole_list,
                overview * point,
                overview * named * terse,
                programme,
                programme * asks_programme,
                named,
                in_background,
                named * programme * asks_programme,
            ],
            axis=2,
        )
        learned = learned_features(self.classifier, self.space, texts, candidates, margins)
        x = np.concatenate([q, w, best, structure, q * length[:, None, None], learned], axis=2)
        assert x.shape[2] == len(FEATURES)
        return x, texts, candidates

    def _candidates(
        self, sims: tuple[np.ndarray, ...], owners: np.ndarray | None = None
    ) -> np.ndarray:
        """Each message's candidates, by position: the :data:`CANDIDATES` items whose fields
        and examples are most like the question, the whole message or its best sentence."""
        n, items = sims[0].shape[:2]
        if items <= CANDIDATES:
            return np.broadcast_to(np.arange(items), (n, items))
        q, w, best, _ = sims
        score = (q.max(axis=2) + w.max(axis=2) + best.max(axis=2)) + (q + w + best).mean(axis=2)
        if owners is not None:
            score[np.arange(n), owners] = np.inf
        top = np.argpartition(-score, CANDIDATES - 1, axis=1)[:, :CANDIDATES]
        return np.sort(top, axis=1)

    def _best_point(
        self, whole: np.ndarray, candidates: np.ndarray, every: bool = False
    ) -> np.ndarray:
        """For each candidate, the best similarity among the other candidates of its
        collection (0 if none). ``every``: the candidates are all the items, in order."""
        fused = whole.mean(axis=2)  # (n, candidates)
        if every:
            mates = self._mates
        else:
            collection = self._collection_of[candidates]
            mates = collection[:, :, None] == collection[:, None, :]
            mates &= ~np.eye(candidates.shape[1], dtype=bool)
        best = np.where(mates, fused[:, None, :], -np.inf).max(axis=2, initial=-np.inf)
        return np.where(np.isfinite(best), best, 0.0)

    def _clauses(self, reading: Reading) -> Reading:
        if self.config.use_clauses or not reading.has_background:
            return reading
        from dataclasses import replace

        return replace(reading, question=reading.whole)

    def _masks(self, targets: Sequence[frozenset[str]]) -> np.ndarray:
        """``(messages, items)``: 1 where the message's ``targets`` name the item."""
        masks = np.zeros((len(targets), len(self.items)))
        for row, named in enumerate(targets):
            for target in named:
                found = self._targets.get(target)
                if found is not None:
                    np.maximum(masks[row], found, out=masks[row])
        return masks

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
        size = self._chunk()
        return [
            hits
            for start in range(0, len(readings), size)
            for hits in self._search_chunk(readings[start : start + size], k)
        ]

    def _search_chunk(self, readings: Sequence[Reading], k: int) -> list[Hits]:
        x, texts, candidates = self._features(readings, np.full(len(readings), -1))
        logits = self._logits(x)
        cov = coverage_features(self.space, readings, texts, x, logits, candidates)
        if self.coverage is not None:
            covered = self.coverage.probability(cov)
        else:
            covered = (cov[:, 0] > 0).astype(float)
        return self._ranked(readings, texts, x, candidates, logits, covered, k)

    def _ranked(self, *args) -> list[Hits]:
        return ranked(self.space, self.items, self.ranker, *args)

    def pooled(self, hits: Hits, earlier: Hits, weight: float, k: int = 5) -> Hits:
        """``hits`` ranked again with ``weight`` of an earlier message's scores added (an
        item the earlier message did not score counts as its lowest score)."""
        assert hits.texts is not None
        before = np.full(len(self.items), earlier.logits.min() if earlier.logits.size else 0.0)
        before[earlier.candidates] = earlier.logits
        logits = hits.logits + weight * before[hits.candidates]
        x, covered = hits.features[None], np.array([hits.covered])
        candidates = hits.candidates[None]
        return self._ranked([hits.reading], [hits.texts], x, candidates, logits[None], covered, k)[
            0
        ]


__all__ = ["COVERAGE_FEATURES", "Hit", "Hits", "Index", "IndexConfig"]
