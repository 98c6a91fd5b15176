"""What a renderer keeps between answers (each item's text per language, its quote block and
related line per language and target) never changes what an answer shows."""

from __future__ import annotations

import random

import pytest
from render_helpers import MOROCCO, answer

from pact_advisor.app import Advisor
from pact_advisor.engine import Context
from pact_advisor.render import Renderer

LANGUAGES = ("en", "fr", "es")


def _cases(guidance) -> list[tuple]:
    return [
        (item_id, context, language, detail)
        for item_id in guidance.items
        for context in (None, MOROCCO)
        for language in LANGUAGES
        for detail in (False, True)
    ]


def _shown(advisor: Advisor, guidance, case) -> tuple:
    item_id, context, language, detail = case
    shown = advisor.answer_of(
        answer(guidance, item_id, "how?", context=context), detail=detail, language=language
    )
    message = advisor.message(shown)
    return (
        advisor.text(shown),
        advisor.text(shown, "markdown"),
        message.content,
        [embed.to_dict() for embed in message.embeds],
    )


def test_answers_read_the_same_in_any_order(guidance):
    """Every item answered in every language, with and without a context, short and in
    detail: rendered in one order by one renderer and in a shuffled order by another, each
    answer reads the same."""
    cases = _cases(guidance)
    forward = Advisor(guidance, Renderer(guidance))
    first = {case: _shown(forward, guidance, case) for case in cases}
    shuffled = list(cases)
    random.Random(7).shuffle(shuffled)
    other = Advisor(guidance, Renderer(guidance))
    for case in shuffled:
        assert _shown(other, guidance, case) == first[case], case


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_answer_after_others_reads_as_from_a_fresh_renderer(guidance, language):
    advisor = Advisor(guidance, Renderer(guidance))
    for case in _cases(guidance)[:60]:
        _shown(advisor, guidance, case)
    item_id = next(iter(guidance.items))
    for context in (None, MOROCCO):
        case = (item_id, context, language, False)
        fresh = Advisor(guidance, Renderer(guidance))
        assert _shown(advisor, guidance, case) == _shown(fresh, guidance, case)


def test_a_quote_is_escaped_for_each_target_it_is_shown_on(guidance):
    """The same item's quote block, shown in the terminal and then as Markdown (and back),
    is escaped for each: Markdown escapes what would format, the terminal shows it as is."""
    item = guidance.items["diaspora.recognition"]
    quote = "Diaspora *organisations* are [partners] <here>"
    items = {**guidance.items, item.id: item.model_copy(update={"quote": quote})}
    patched = type(guidance)(**{**guidance.__dict__, "items": items})
    advisor = Advisor(patched, Renderer(patched))
    shown = advisor.answer_of(answer(patched, item.id), language="en")
    for _ in range(2):
        assert f"> “{quote}”" in advisor.text(shown)
        markdown = advisor.text(shown, "markdown")
        assert r"> “Diaspora \*organisations\* are \[partners\] \<here\>”" in markdown
        embed = advisor.message(shown).embeds[0].to_dict()
        assert (
            r"> “Diaspora \*organisations\* are [partners] <here>”" in embed["fields"][0]["value"]
        )


def test_what_is_kept_is_bounded_by_the_guidance(guidance):
    """Answering the same items again keeps nothing more."""
    advisor = Advisor(guidance, Renderer(guidance))
    parts = advisor.renderer.env.filters["per_item"]
    cases = _cases(guidance)
    for case in cases:
        _shown(advisor, guidance, case)
    kept = len(parts)
    assert 0 < kept <= len(guidance.items) * len(LANGUAGES) * 12
    for case in cases:
        _shown(advisor, guidance, case)
    assert len(parts) == kept


def test_each_context_reads_its_own_advice_whatever_came_before(guidance, renderer):
    """The advice filled for one partner is never shown for another, nor for none."""
    advisor = Advisor(guidance, renderer)
    item_id = "capacity-building.peer-to-peer"
    partners = ("Morocco", "Tunisia", None, "Morocco", "Senegal", None)
    for partner in partners:
        context = Context(partner=partner) if partner else None
        shown = advisor.answer_of(answer(guidance, item_id, context=context), language="en")
        text = advisor.text(shown)
        expected = renderer.fill(guidance.items[item_id].advice, context)
        assert expected in text
        for other in {"Morocco", "Tunisia", "Senegal"} - {partner}:
            assert other not in text
