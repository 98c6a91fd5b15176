"""Hostile input: arbitrary Unicode through the engine, the application layer and every
rendering never raises, and whatever goes to Discord stays within Discord's limits."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pact_advisor.app import Advisor
from pact_advisor.checklists import build_checklist, checklist_from_result
from pact_advisor.engine import Context, Engine
from pact_advisor.knowledge import load_guidance
from pact_advisor.render import Renderer, check
from pact_advisor.resources import guidance_dir

GUIDANCE = load_guidance(guidance_dir())
ENGINE = Engine(GUIDANCE)
RENDERER = Renderer(GUIDANCE)
ADVISOR = Advisor(GUIDANCE, RENDERER, ENGINE)

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Arbitrary text, including control, zero-width, right-to-left and astral characters, up to
# 100,000 characters; mixed with words the engine knows so answers are rendered too.
any_text = st.text(alphabet=st.characters(codec=None, exclude_categories=("Cs",)), max_size=2_000)
long_text = st.builds(
    lambda s, n: (s * n)[:100_000], st.text(min_size=1, max_size=50), st.integers(1, 5_000)
)
known = st.sampled_from(
    ["diaspora umbrella networks", "success factors", "talent partnership", "3I", "MIEUX+"]
)
questions = st.one_of(
    any_text, long_text, st.builds(lambda a, k, b: f"{a} {k} {b}", any_text, known, any_text)
)
names = st.one_of(
    st.none(),
    any_text,
    st.text(max_size=10_000),
    st.sampled_from(["{{ 7*7 }}", "{% raw %}", "@everyone"]),
)


def _within_limits(message) -> None:
    assert check(message) == [], check(message)


@FUZZ
@given(question=questions)
def test_any_question_is_answered_or_abstained_and_fits_discord(question):
    result = ENGINE.ask(question)
    assert result.answered == bool(result.matches)
    text = ADVISOR.text(ADVISOR.answer_of(result), target="terminal")
    assert isinstance(text, str) and text
    _within_limits(ADVISOR.message(ADVISOR.answer_of(result)))
    _within_limits(ADVISOR.message(ADVISOR.answer_of(result, detail=True)))


@FUZZ
@given(question=questions, follow=questions)
def test_any_follow_up_is_handled(question, follow):
    first = ENGINE.ask(question)
    second = ENGINE.ask(follow, previous=first.turn())
    _within_limits(ADVISOR.message(ADVISOR.answer_of(second)))


@FUZZ
@given(
    partner=names,
    sector=names,
    programme=names,
    topic=st.sampled_from(["readiness", "diaspora", "three-i.ideas"]),
)
def test_any_context_fills_checklists_literally_and_within_limits(
    partner, sector, programme, topic
):
    context = Context(partner=partner or None, sector=sector or None, programme=programme or None)
    checklist = build_checklist(GUIDANCE, topic, context)
    for page in range(RENDERER.checklist_pages(checklist)):
        _within_limits(RENDERER.discord_checklist(checklist, {0: partner or "someone"}, page))
    text = RENDERER.render_checklist(checklist, fmt="text")
    if partner == "{{ 7*7 }}":
        assert "{{ 7*7 }}" in text and "49" not in text


@pytest.mark.parametrize(
    "question",
    [
        "{{ 7*7 }} diaspora networks",
        "{% for x in range(3) %}x{% endfor %} what are the five success factors of mobility partnerships?",
    ],
)
def test_template_syntax_in_questions_stays_literal(question):
    result = ENGINE.ask(question)
    text = ADVISOR.text(ADVISOR.answer_of(result), target="terminal")
    assert "49" not in text
    assert "xxx" not in text
    checklist = checklist_from_result(GUIDANCE, result)
    assert all("49" not in step.text for step in checklist.steps)
