"""The terminal and Markdown target: answers of every kind, items, topics and checklists as text,
asserted on the rendered text for every item and collection of the real guidance."""

from __future__ import annotations

import pytest
from render_helpers import MOROCCO, answer, clean, fits, not_covered

from pact_advisor.checklists import build_checklist
from pact_advisor.render import md_escape


def test_unknown_target_and_format_are_errors(show, renderer, guidance):
    with pytest.raises(ValueError, match="target"):
        show.text(answer(guidance, "diaspora.overview"), target="html")
    with pytest.raises(ValueError, match="format"):
        renderer.render_checklist(build_checklist(guidance, "diaspora"), fmt="pdf")


def test_every_item_card_renders_with_and_without_context(renderer, guidance):
    for item in guidance.items.values():
        bare = renderer.render_item(item.id)
        clean(bare)
        assert item.title in bare and item.id in bare
        assert renderer.fill(item.advice) in bare
        for step in item.checklist:
            assert renderer.fill(step) in bare
        assert item.source.programme in bare
        filled = renderer.render_item(item.id, MOROCCO, target="markdown")
        if "partner" in item.advice:
            assert "Morocco" in filled
        if "sector" in item.advice or any("sector" in s for s in item.checklist):
            assert "agriculture" in filled
        assert md_escape(renderer.fill(item.advice, MOROCCO)) in filled


def test_advice_names_the_partner_and_sector(renderer, guidance):
    text = renderer.render_item("capacity-building.peer-to-peer", MOROCCO)
    assert "needs of Morocco" in text
    assert "cut across agriculture and other policy areas" in text
    bare = renderer.render_item("capacity-building.peer-to-peer")
    assert "cut across the sectors concerned and other policy areas" in bare


def test_every_answer_quotes_and_cites_its_source(show, renderer, guidance):
    for item in guidance.items.values():
        for context in (None, MOROCCO):
            text = show.text(answer(guidance, item.id, context=context))
            clean(text)
            assert item.title in text
            assert item.summary in text
            assert renderer.fill(item.advice, context) in text
            # The quote opens the block quote; long quotes are trimmed at a sentence.
            assert "> “" + item.quote[:60] in text
            citation = text.split("> — ", 1)[1].splitlines()[0]
            assert item.source.programme in citation
            if item.source.year:
                assert str(item.source.year) in citation
            if item.source.evidence:
                assert item.source.evidence in citation
            assert "Confidence: high" in text


def test_answer_for_morocco_says_so(show, guidance):
    text = show.text(answer(guidance, "success-factors.overview", context=MOROCCO))
    assert "What to do for Morocco (partner) · agriculture (sector) · THAMM (programme):" in text
    assert "the partnership with Morocco" in text
    assert "at the start of THAMM" in text


def test_answer_lists_related_items_and_also_relevant(show, guidance):
    result = answer(guidance, "success-factors.overview")
    text = show.text(result)
    for related in guidance.items["success-factors.overview"].related:
        assert guidance.items[related].title in text
    also = text.split("**Also relevant:**", 1)[1]
    assert result.matches[1].title in also and result.matches[2].title in also
    # The fourth match scores below the floor: not "also relevant".
    assert result.matches[3].title not in also


def test_long_quotes_are_trimmed_with_a_pointer_unless_detail(show, renderer, guidance):
    item = guidance.items["talent-partnerships.overview"]
    short = show.text(answer(guidance, item.id))
    assert item.quote not in short
    assert f"(`pact-advisor show {item.id}` for the full quote)" in short
    full = show.text(answer(guidance, item.id), detail=True)
    for passage in item.quote_passages:
        assert passage in full
    for step in item.checklist:
        assert "- [ ] " + renderer.fill(step) in full
    assert "Why this matched:** terms: test" in full


def test_tell_me_more_renders_the_detail(show, guidance):
    result = answer(guidance, "talent-partnerships.overview", followup="more")
    assert "**Checklist:**" in show.text(result)


@pytest.mark.parametrize(
    ("level", "words"),
    [
        ("high", "Confidence: high. This guidance matches your question closely."),
        ("medium", "Confidence: medium. This looks relevant; check that it fits your case."),
        ("low", "Confidence: low. This is the closest guidance I have"),
    ],
)
def test_confidence_in_words(show, guidance, level, words):
    text = show.text(answer(guidance, "diaspora.overview", confidence=level))
    assert words in text


def test_every_programme_item_has_a_programme_card(show, guidance):
    for item in guidance.items_in("programmes"):
        text = show.text(answer(guidance, item.id, intent="programme"))
        clean(text)
        assert "**Guidance drawn from " + item.source.programme in text
        fits(show.message(answer(guidance, item.id, intent="programme")))


def test_not_covered_shows_did_you_mean(show, guidance):
    result = not_covered(guidance, "something odd", ["diaspora.recognition", "three-i.ideas"])
    text = show.text(result)
    assert "I could not find guidance that answers this question." in text
    assert "**Did you mean:**" in text
    assert (
        "- Promote and recognise the work of diaspora (`pact-advisor show diaspora.recognition`)"
    ) in text
    assert "Ideas: knowledge, values, evidence, innovation and solutions" in text


def test_not_covered_without_suggestions_points_to_topics(show, guidance):
    text = show.text(not_covered(guidance, "blorp"))
    assert "Did you mean" not in text
    assert "Type `pact-advisor topics` to see what the guidance covers." in text


def test_out_of_scope_says_what_is_not_covered(show, engine):
    result = engine.ask("how do I apply for asylum in Belgium?")
    assert result.reason and result.reason.startswith("out-of-scope:")
    rule = result.reason.split(":", 1)[1]
    text = show.text(result)
    assert f"This is outside what the guidance covers ({rule.replace('-', ' ')})." in text


def test_ambiguous_shows_two_candidates_and_asks(show, guidance):
    result = answer(guidance, "programmes.mpf", ambiguous=True, confidence="low")
    first, second = result.matches[0], result.matches[1]
    text = show.text(result)
    assert f"**1. {first.title}** (`{first.id}`)" in text
    assert f"**2. {second.title}** (`{second.id}`)" in text
    assert guidance.items[first.id].summary in text and guidance.items[second.id].summary in text
    assert "Which one did you mean?" in text


def test_every_collection_renders_as_text_and_markdown_checklists(renderer, guidance):
    for cid in guidance.collections:
        for context in (None, MOROCCO):
            checklist = build_checklist(guidance, cid, context)
            text = renderer.render_checklist(checklist, "text")
            md = renderer.render_checklist(checklist, "md")
            clean(text)
            clean(md.replace("- [ ]", "-[ ]"))
            for number, step in enumerate(checklist.steps, 1):
                assert f"[ ] {number}. {step.text}" in text
                assert f"- [ ] {md_escape(step.text)}" in md
            fits(renderer.discord_checklist(checklist))


def test_an_answer_repeats_a_long_question_only_briefly(show, engine):
    question = "How do we invest in diaspora umbrella networks? " * 2000
    text = show.text(engine.ask(question))
    assert len(text) < 5_000
    assert "How do we invest in diaspora umbrella networks?" in text
