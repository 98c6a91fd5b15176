"""A guidance larger than the ranker's candidate list: the ranker scores only the items the
plain similarities rank highest, and learns from a sample of the examples. Checked on the
bundled guidance with a candidate list and a sample far smaller than it."""

from __future__ import annotations

import numpy as np
import pytest

import pact_advisor.engine.clauses as clauses_module
import pact_advisor.engine.features as features_module
import pact_advisor.engine.index as index_module
from pact_advisor.engine import Engine
from pact_advisor.evaluation import evaluate, load_questions
from pact_advisor.knowledge import Guidance
from pact_advisor.resources import eval_dir


@pytest.fixture(scope="module")
def narrow(guidance: Guidance) -> Engine:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index_module, "CANDIDATES", 12)
        patch.setattr(index_module, "TRAINING_EXAMPLES", 600)
        engine = Engine(guidance)
    assert len(engine.index.items) > 12 * 3
    return engine


def test_the_right_item_is_among_the_candidates(narrow: Engine) -> None:
    index = narrow.index
    position = {item.id: p for p, item in enumerate(index.items)}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index_module, "CANDIDATES", 12)
        questions = [q for q in load_questions(eval_dir() / "dev.yaml") if q.expect]
        readings = [index.read(q.q) for q in questions]
        _, _, candidates = index._features_chunked(readings, np.full(len(readings), -1))
    assert candidates.shape == (len(questions), 12)
    found = [
        position[q.expect] in row for q, row in zip(questions, candidates.tolist(), strict=True)
    ]
    assert np.mean(found) >= 0.99


def test_answers_from_candidates_keep_their_quality(narrow: Engine) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index_module, "CANDIDATES", 12)
        report = evaluate(narrow, load_questions(eval_dir() / "dev.yaml"))
    assert report.overall.top1 >= 0.90
    assert report.overall.oos_abstention >= 0.95


def test_a_follow_up_pools_scores_of_different_candidates(narrow: Engine) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index_module, "CANDIDATES", 12)
        first = narrow.ask("how do we keep employers on board in a talent partnership?")
        second = narrow.ask("and for diaspora?", previous=first.turn())
    assert first.matches[0].id == "talent-partnerships.public-private"
    assert second.answered and second.matches[0].id.startswith("diaspora")
    assert all(np.isfinite(m.score) and 0 <= m.score <= 1 for m in second.matches)


@pytest.fixture(scope="module")
def large(guidance: Guidance) -> Engine:
    """The bundled guidance handled as a large one: candidates' documents scored only."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(features_module, "EXHAUSTIVE_DOCS", 0)
        patch.setattr(index_module, "TRAINING_EXAMPLES", 600)
        engine = Engine(guidance)
    assert not engine.index.space.exhaustive
    return engine


def test_candidates_documents_score_as_every_document_does(engine: Engine, large: Engine) -> None:
    texts = [
        engine.index.space.analyzer.texts(engine.index.read(q))
        for q in ("how do we keep employers on board?", "¿cómo involucrar a la diaspora?")
    ]
    words = [t.question_words for t in texts]
    letters = [t.question_letters for t in texts]
    exclude = np.full(2, -1)
    every = engine.index.space.similarities(words, letters, exclude)
    best = np.argsort(-every.max(axis=2), axis=1)[:, :3]  # the best three, and item 0
    candidates = np.sort(np.concatenate([best, np.zeros((2, 1), dtype=int)], axis=1), axis=1)
    chosen = large.index.space.similarities(words, letters, exclude, candidates)
    expected = np.take_along_axis(every, candidates[:, :, None], axis=1)
    np.testing.assert_allclose(chosen, expected, atol=1e-6)
    assert expected.max(axis=(1, 2)).min() > 0.3  # not a comparison of empty rows


def test_a_large_guidance_chooses_candidates_that_hold_the_answer(large: Engine) -> None:
    index = large.index
    position = {item.id: p for p, item in enumerate(index.items)}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clauses_module, "LARGE_CANDIDATES", 12)
        questions = [q for q in load_questions(eval_dir() / "dev-chat.yaml") if q.expect]
        readings = [index.read(q.q) for q in questions]
        _, _, candidates = index._features_chunked(readings, np.full(len(readings), -1))
    found = [
        position[q.expect] in row for q, row in zip(questions, candidates.tolist(), strict=True)
    ]
    assert np.mean(found) >= 0.98


def test_a_large_guidance_answers_well_and_survives_the_cache(large: Engine) -> None:
    report = evaluate(large, load_questions(eval_dir() / "dev.yaml"))
    assert report.overall.top1 >= 0.90
    assert report.overall.oos_abstention >= 0.95
    restored = Engine(large.guidance, state=large.state())
    questions = [
        "what are the success factors?",
        "comment impliquer la diaspora dans un partenariat ?",
        "write me a poem",
    ]
    answers = [(r.answered, [m.id for m in r.matches]) for r in large.ask_many(questions)]
    assert [a for a, _ in answers] == [True, True, False]
    assert [(r.answered, [m.id for m in r.matches]) for r in restored.ask_many(questions)] == (
        answers
    )
