"""Filling guidance advice and checklist steps with a context (pact_advisor.knowledge.fill),
and cleaning what a user typed for the context (pact_advisor.knowledge.context)."""

from __future__ import annotations

import re

import jinja2
import pytest
from jinja2.sandbox import SecurityError

from pact_advisor.knowledge import Context, SlotFiller, context_values

MOROCCO = Context(partner="Morocco", sector="agriculture", programme="THAMM")


def test_slots_take_the_users_values():
    filler = SlotFiller()
    text = filler.fill("Work with {{ partner }} on {{ sector }} in {{ programme }}.", MOROCCO)
    assert text == "Work with Morocco on agriculture in THAMM."


def test_missing_slots_read_naturally():
    filler = SlotFiller()
    text = filler.fill("Work with {{ partner }} on {{ sector }} in {{ programme }}.", None)
    assert text == "Work with the partner country on the sectors concerned in the programme."


def test_a_default_opening_a_sentence_is_capitalised():
    filler = SlotFiller()
    assert filler.fill("Done. {{ programme }} ends.", Context()) == "Done. The programme ends."
    assert filler.fill("{{ partner }} leads.", {}) == "The partner country leads."


def test_context_values_stay_literal():
    filler = SlotFiller()
    text = filler.fill("Partner: {{ partner }}.", {"partner": "{{ 7*7 }} {% raw %}"})
    assert text == "Partner: {{ 7*7 }} {% raw %}."


def test_blank_context_values_count_as_missing():
    filler = SlotFiller()
    assert filler.fill("with {{ partner }}", {"partner": "   "}) == "with the partner country"
    assert filler.fill("with {{ partner }}", {"partner": " Cabo \n Verde "}) == "with Cabo Verde"


def test_guidance_strings_are_compiled_in_a_sandbox():
    with pytest.raises(SecurityError):
        SlotFiller().fill("{{ partner.__class__.__mro__[1].__subclasses__() }}", MOROCCO)
    with pytest.raises(jinja2.UndefinedError):
        SlotFiller().fill("{{ country }}", MOROCCO)


def test_a_context_from_user_input_collapses_whitespace_and_drops_blanks():
    context = Context.of(partner="  Cabo \n Verde ", sector="   ", programme=None)
    assert context == Context(partner="Cabo Verde")


def test_a_context_from_a_stored_mapping_keeps_only_the_slots():
    stored = {"partner": "Morocco", "sector": "", "colour": "blue"}
    assert Context.of(stored) == Context(partner="Morocco")
    assert context_values(stored) == {"partner": "Morocco", "sector": None, "programme": None}


def test_slot_keywords_take_precedence_over_the_values():
    assert Context.of(MOROCCO, partner="Peru") == Context("Peru", "agriculture", "THAMM")
    assert Context.of(None) == Context() and not Context.of({})


def test_a_programme_given_is_never_named_twice_in_a_sentence(guidance):
    filler = SlotFiller()
    programmes = sorted({item.source.programme for item in guidance.items_in("programmes")})
    for name in programmes:
        for item in guidance.items.values():
            for text in (item.advice, *item.checklist):
                filled = filler.fill(text, Context(programme=name))
                for sentence in re.split(r"(?<=[.!?])\s+", filled):
                    assert sentence.count(name) <= 1, (item.id, sentence)
    eudif = guidance.items["diaspora.labs-and-scheme"].checklist[-1]
    assert filler.fill(eudif, Context(programme="EUDiF")) == (
        "Plan how the programme will connect with these EUDiF instruments."
    )
    assert filler.fill(eudif, Context(programme="MPF")) == (
        "Plan how MPF will connect with these EUDiF instruments."
    )
