"""Answer quality on the held-out test splits: CI fails below the bars."""

from __future__ import annotations

import pytest

from pact_advisor.engine import Engine
from pact_advisor.evaluation import BARS, STYLE_BARS, evaluate, format_report, load_questions
from pact_advisor.knowledge import load_guidance
from pact_advisor.resources import eval_dir, guidance_dir

TEST_SPLITS = ("test.yaml", "test-chat.yaml")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_guidance(guidance_dir()))


@pytest.fixture(scope="module", params=TEST_SPLITS)
def test_split(request):
    return load_questions(eval_dir() / request.param)


def test_short_question_splits_are_big_and_varied_enough():
    both = load_questions(eval_dir() / "dev.yaml") + load_questions(eval_dir() / "test.yaml")
    in_scope = [q for q in both if q.expect]
    assert len(in_scope) >= 250
    assert len(both) - len(in_scope) >= 60
    assert sum(1 for q in in_scope if q.lang in ("fr", "es")) >= 30
    assert {"paraphrase", "terse", "rambling", "typo"} <= {q.style for q in in_scope}
    assert {"smalltalk", "coding", "weather", "travel", "near-domain"} <= {
        q.style for q in both if not q.expect
    }


@pytest.mark.parametrize("name", ["dev-chat.yaml", "test-chat.yaml"])
def test_chat_splits_have_the_styles_people_write_in(name):
    split = load_questions(eval_dir() / name)
    in_scope = [q for q in split if q.expect]
    abstain = [q for q in split if not q.expect]
    assert len(split) >= 200
    assert len(abstain) >= 40
    assert set(STYLE_BARS) <= {q.style for q in in_scope}
    assert {"injection", "near-domain", "off-topic"} <= {q.style for q in abstain}
    assert sum(1 for q in in_scope if q.lang in ("fr", "es")) >= 30


def test_eval_questions_are_not_copies_of_the_guidance_examples(engine, test_split):
    examples = {e.strip().lower() for item in engine.guidance.items.values() for e in item.examples}
    assert not [q.q for q in test_split if q.q.strip().lower() in examples]


def test_every_expected_id_exists(engine, test_split):
    assert {q.expect for q in test_split if q.expect} <= set(engine.guidance.items)


def test_test_split_meets_the_quality_bars(engine, test_split):
    report = evaluate(engine, test_split)
    assert report.failed_bars() == [], format_report(report, show_misses=True)
    assert report.overall.top1 >= BARS["top1"]


@pytest.mark.parametrize("name", sorted(p.name for p in eval_dir().glob("*.yaml")))
def test_no_split_holds_a_training_example_or_an_unknown_id(engine, name):
    split = load_questions(eval_dir() / name)
    examples = {e.strip().lower() for item in engine.guidance.items.values() for e in item.examples}
    negatives = {q.strip().lower() for qs in engine.guidance.negatives.values() for q in qs}
    assert not [q.q for q in split if q.q.strip().lower() in examples | negatives]
    assert {q.expect for q in split if q.expect} <= set(engine.guidance.items)
