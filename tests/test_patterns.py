"""The rules' patterns searched in one pass find exactly what ``re`` finds one by one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pact_advisor.engine.patterns import PatternSet, translate
from pact_advisor.engine.rules import CompiledRules
from pact_advisor.engine.text import fold
from pact_advisor.evaluation import load_questions
from pact_advisor.knowledge import load_guidance
from pact_advisor.resources import guidance_dir

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def rules() -> CompiledRules:
    return CompiledRules(load_guidance(guidance_dir()).rules)


def _eval_texts() -> list[str]:
    questions = [
        q.q for path in sorted((ROOT / "eval").glob("*.yaml")) for q in load_questions(path)
    ]
    return [fold(q) for q in questions] + questions


def test_every_eval_question_matches_the_same_rules_as_with_re(rules):
    texts = _eval_texts()
    assert len(texts) > 2000
    differing = [t for t in texts if rules.patterns.scan(t) != rules.patterns.search(t)]
    assert differing == []
    # The comparison means something: most questions match some rule, and not all the same.
    matched = [rules.patterns.scan(t) for t in texts]
    assert sum(1 for m in matched if m) > len(texts) / 2
    assert len(set(matched)) > 100


def test_the_shipped_rules_all_go_into_one_pass(rules):
    patterns = rules.patterns
    assert len(patterns) > 50
    assert all(translate(p.pattern) is not None for p in patterns._python)


@pytest.mark.parametrize(
    ("pattern", "texts"),
    [
        # Python reads {,3} as {0,3}; RE2 would read it as the characters "{,3}".
        (r"^x{,3}$", ["", "x", "xxx", "xxxx", "x{,3}"]),
        (r"\bm&e\b", ["m&e", "the m&e plan", "am&e", "m&ex"]),
        (r"ab*?c|d+e{2}", ["ac", "abbc", "dee", "de", "ddeee"]),
        (r"[^a-c\d]x", ["ax", "1x", "dx", " x", "x"]),
        (r"\Bin\B|\Aend\Z|fin$", ["point", "in", "end", "the end", "fin", "fine"]),
        (r"what does .* recommend", ["what does the text recommend", "what does recommend"]),
    ],
)
def test_translated_patterns_mean_what_python_means(pattern, texts):
    assert translate(pattern) is not None
    patterns = PatternSet([pattern])
    for text in texts:
        assert (0 in patterns.scan(text)) == bool(re.search(pattern, text)), text


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?=ab)a",  # lookahead
        r"(a)\1",  # backreference
        r"(?i)abc",  # a flag
        r"(?>a+)b",  # atomic group
        r"a++b",  # possessive repetition
        r"(?<!x)y",  # lookbehind
    ],
)
def test_patterns_re2_might_read_otherwise_are_searched_with_re(pattern):
    assert translate(pattern) is None
    patterns = PatternSet([r"\bplain\b", pattern])
    for text in ["ab", "aa", "ABC", "aab", "aaab", "xy", "zy", "plain ab"]:
        assert patterns.scan(text) == patterns.search(text), text


def test_text_that_is_not_printable_ascii_is_searched_with_re():
    # Python's \w and \b know accented letters; RE2's do not.
    patterns = PatternSet([r"\bcafe\b", r"caf\w\b", r"^x$"])
    for text in ["un café", "cafe", "cafés", "x\n", "x"]:
        assert patterns.scan(text) == patterns.search(text), text


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(_eval_texts()[:400]), min_size=1, max_size=3), st.text(max_size=30))
def test_any_mix_of_questions_and_noise_matches_as_with_re(rules, parts, noise):
    for text in (" ".join(parts) + noise, fold(noise + " ".join(parts))):
        assert rules.patterns.scan(text) == rules.patterns.search(text)
