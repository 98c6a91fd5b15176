"""Answers of every kind, from the engine through the application layer, rendered for every
target: what a practitioner actually sees for the questions they type."""

from __future__ import annotations

import re
from dataclasses import replace

import yaml
from render_helpers import DEV_SET, EVIL, MOROCCO, all_text, answer, clean, fits, not_covered

from pact_advisor.engine import Context
from pact_advisor.knowledge.translations import item_text


def test_programme_questions_get_the_programme_card(show, engine):
    result = engine.ask("who funds EUDiF")
    assert result.intent == "programme" and result.top.id == "programmes.eudif"
    text = show.text(result)
    assert "## EU Global Diaspora Facility (EUDiF)" in text
    assert "**Since:** 2019" in text
    assert "**Guidance drawn from EUDiF:** Diaspora engagement (7 items, `diaspora`)" in text
    assert "> — EUDiF · 2019" in text
    embed = show.message(result).embeds[0]
    assert [f.value for f in embed.fields if f.name == "Since"] == ["2019"]
    # The short card leaves what the programme's guidance covers to "More".
    more = show.advisor.renderer.discord_more(result).embeds[0]
    assert any(f.name == "Guidance drawn from EUDiF" for f in more.fields)


def test_every_dev_question_renders(show, engine, guidance):
    questions = [case["q"] for case in yaml.safe_load(DEV_SET.read_text(encoding="utf-8"))]
    kinds = set()

    def title(match):  # in the answer's language: French and Spanish questions get theirs
        language = show.advisor.answer_of(result).language
        return item_text(guidance.items[match.id], language).title

    for result in engine.ask_many(questions):
        text = show.text(result)
        clean(text)
        message = show.message(result)
        fits(message)
        if result.answered and result.ambiguous:
            kinds.add("ambiguous")
            assert text.count("**1. ") == 1 and text.count("**2. ") == 1
        elif result.answered:
            kinds.add("answer")
            assert title(result.top) in text
        else:
            kinds.add("not covered")
            for suggestion in result.suggestions:
                assert title(suggestion) in text
    assert kinds == {"ambiguous", "answer", "not covered"}


def test_help_thanks_and_topics_intents(show, renderer, engine, guidance):
    help_text = show.text(engine.ask("help"))
    assert help_text == renderer.render_help()
    assert "## Pact Advisor" in help_text and "`pact-advisor checklist TOPIC`" in help_text
    assert "You're welcome." in show.text(engine.ask("thanks"))
    topics = show.text(engine.ask("list topics"))
    assert topics == renderer.render_topics()
    assert f"{len(guidance.items)} items in {len(guidance.collections)} collections." in topics
    for collection in guidance.collections.values():
        count = len(guidance.items_in(collection.id))
        assert f"### {collection.title} ({count} items, `{collection.id}`)" in topics
        for item in guidance.items_in(collection.id):
            assert f"- {item.title} (`{item.id}`)" in topics


def test_checklist_intent_renders_the_answers_checklist(show, renderer, engine, guidance):
    result = engine.ask("give me a checklist for diaspora engagement")
    assert result.intent == "checklist" and result.answered
    text = show.text(result)
    top = guidance.items[result.top.id]
    assert text.startswith(f"CHECKLIST: {top.title}")
    assert "[ ] 1. " + renderer.fill(top.checklist[0]) in text
    md = show.text(result, target="markdown")
    assert "- [ ] " + renderer.fill(top.checklist[0]) in md


def test_a_hostile_question_is_shown_literally_everywhere(show, engine, guidance):
    context = Context(partner="{{ 7*7 }} @here", sector="<@&99>")
    results = [
        engine.ask(EVIL, context=context),
        answer(guidance, "success-factors.overview", EVIL, context),
        answer(guidance, "success-factors.overview", EVIL, context, ambiguous=True),
        answer(guidance, "programmes.mpf", EVIL, context),
        not_covered(guidance, EVIL, ["diaspora.recognition"]),
        not_covered(guidance, EVIL),
        answer(guidance, "success-factors.overview", EVIL, context, intent="checklist"),
    ]
    for result in results:
        for target in ("terminal", "markdown"):
            text = show.text(result, target=target)
            assert not re.search(r"\b49\b", text) and "{{ 7" in text
        md = show.text(result, target="markdown")
        assert "**bold**" not in md
        if result.intent != "checklist":  # a checklist is titled after the guidance
            assert r"\*\*bold\*\*" in md
        assert "<@123>" not in md
        message = show.message(result)
        shown = all_text(message)
        assert not re.search(r"\b49\b", shown) and "{{ 7" in shown
        assert "@everyone" not in shown and "@here" not in shown
        assert not re.search(r"<[@#]", shown)
        assert "**bold**" not in shown
        # A short answer does not repeat the question; "Why this?" shows it, escaped too.
        short = result.answered and not result.ambiguous and result.intent != "checklist"
        if short:
            message = show.advisor.renderer.discord_why(result)
            shown = all_text(message)
            assert "@everyone" not in shown and "@here" not in shown
            assert not re.search(r"<[@#]", shown)
        if result.intent != "checklist":
            assert r"\*\*bold\*\*" in shown
        fits(message)


def test_results_are_not_mutated(show, guidance):
    result = answer(guidance, "diaspora.overview", context=MOROCCO)
    before = replace(result)
    show.text(result)
    show.message(result)
    assert result == before
