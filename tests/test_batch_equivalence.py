"""What the engine computes for many texts at once is, bit for bit, what it computes for
each text alone: answers never depend on which questions came in the same batch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pact_advisor.engine import Engine
from pact_advisor.evaluation import load_questions
from pact_advisor.knowledge import load_guidance
from pact_advisor.resources import guidance_dir

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_guidance(guidance_dir()))


@pytest.fixture(scope="module")
def texts(engine):
    index = engine.index
    questions = [q.q for q in load_questions(ROOT / "eval" / "test-chat.yaml")]
    return [index.space.analyzer.texts(index.read(q)) for q in questions]


@pytest.mark.parametrize("kind", ["words", "letters"])
def test_query_vectors_of_a_batch_are_those_of_each_text_alone(engine, texts, kind):
    space = engine.index.space
    vectorizer = space._qword if kind == "words" else space._qchar
    batch = [getattr(t, f"whole_{kind}") for t in texts] + [""]
    together = vectorizer.vectors(batch)
    for text, (columns, weights) in zip(batch, together, strict=True):
        [(alone_columns, alone_weights)] = vectorizer.vectors([text])
        assert np.array_equal(columns, alone_columns)
        assert np.array_equal(weights, alone_weights)
    # Each text's features come once, in the order they first occur.
    columns, _ = together[0]
    assert len(set(columns.tolist())) == len(columns) > 0


@pytest.mark.parametrize("kind", ["words", "letters"])
def test_similarities_of_a_few_texts_are_those_of_each_text_alone(engine, texts, kind):
    space = engine.index.space
    vectorizer, documents = (
        (space._qword, space._doc_word) if kind == "words" else (space._qchar, space._doc_char)
    )
    few = [getattr(t, f"question_{kind}") for t in texts[:20]] + [""]
    assert len(few) <= documents.BATCH
    together = documents.similarities(vectorizer, few)
    for row, text in zip(together, few, strict=True):
        assert np.array_equal(row, documents.similarities(vectorizer, [text])[0])
    assert together[:-1].max(axis=1).min() > 0  # every question is like some document
    assert not together[-1].any()


def _best_point_one_collection_at_a_time(index, whole, candidates) -> np.ndarray:
    fused = whole.mean(axis=2)
    out = np.zeros_like(fused)
    for row in range(len(fused)):
        by_collection: dict[str, list[int]] = {}
        for column, position in enumerate(candidates[row]):
            by_collection.setdefault(index.items[position].collection, []).append(column)
        for members in by_collection.values():
            if len(members) < 2:
                continue
            values = fused[row, members]
            best = int(np.argmax(values))
            first, second = np.sort(values)[::-1][:2]
            for i, column in enumerate(members):
                out[row, column] = second if i == best else first
    return out


def test_best_point_is_the_best_other_candidate_of_the_collection(engine):
    index = engine.index
    rng = np.random.default_rng(7)
    n, items = 6, len(index.items)
    every = np.tile(np.arange(items), (n, 1))
    whole = rng.random((n, items, 12)).round(1)  # rounded: ties happen
    whole[0] = 0.5  # every item alike
    expected = _best_point_one_collection_at_a_time(index, whole, every)
    assert np.array_equal(index._best_point(whole, every), expected)
    some = np.stack([rng.choice(items, size=12, replace=False) for _ in range(n)])
    part = whole[:, :12]
    expected = _best_point_one_collection_at_a_time(index, part, some)
    assert np.array_equal(index._best_point(part, some), expected)
    assert len({it.collection for it in index.items}) > 3
