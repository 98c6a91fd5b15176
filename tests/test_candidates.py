"""A guidance larger than the ranker's candidate list: the ranker scores only the items the
plain similarities rank highest, and learns from a sample of the examples. Checked on the
bundled guidance with a candidate list and a sample far smaller than it."""

from __future__ import annotations

import numpy as np
import pytest

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
