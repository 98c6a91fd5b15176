"""Answers in French and Spanish: guidance, fixed texts, quotes and names in the answer's
language, and a fallback to English that says so."""

from __future__ import annotations

import re

import pytest
from render_helpers import answer, clean, fits

from pact_advisor.app import Advisor
from pact_advisor.checklists import build_checklist
from pact_advisor.engine import Context
from pact_advisor.knowledge.translations import item_text
from pact_advisor.render import Renderer

#: Words of the English templates and guidance a French or Spanish answer must not show.
ENGLISH = re.compile(
    r"\b(?:the|and|with|for|what to do|confidence|related|checklist|partner|"
    r"more|ticked by|drawn from|unofficial translation)\b",
    re.IGNORECASE,
)


def _without_quotes_and_ids(text: str) -> str:
    """What is left of a rendered answer once the verbatim English quote, commands and ids
    are taken out."""
    text = re.sub(r"(?m)^> .*$", "", text)
    text = re.sub(r"`[^`]*`", "", text)
    return re.sub(r"\([a-z0-9-]+\.[a-z0-9-]+\)", "", text)


@pytest.fixture(scope="module")
def advisor(guidance, renderer, engine) -> Advisor:
    return Advisor(guidance, renderer, engine)


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_template_renders_in_french_and_spanish(advisor, guidance, language):
    first = next(iter(guidance.items))
    checklist = advisor.checklist("readiness", Context(partner="Morocco"), language)
    renderer = advisor.renderer
    for target in ("terminal", "markdown"):
        for text in (
            renderer.render_help(target, language),
            renderer.render_topics(target, language),
            renderer.render_item(first, target=target, language=language),
            renderer.render_checklist(checklist, "md" if target == "markdown" else "text"),
        ):
            clean(text)
            assert not ENGLISH.search(_without_quotes_and_ids(text)), text
    for message in (
        renderer.discord_help(language),
        renderer.discord_topics(language),
        renderer.discord_item(first, language=language),
        renderer.discord_checklist(checklist, {0: "Ana"}),
    ):
        fits(message)


@pytest.mark.parametrize(
    ("question", "language", "said"),
    [
        (
            "comment renforcer les capacités de gestion des organisations de la diaspora liées au Maroc ?",
            "fr",
            "**Q :**",
        ),
        (
            "¿cómo reforzar las capacidades de gestión de las organizaciones de la diáspora vinculadas a Marruecos?",
            "es",
            "**P:**",
        ),
    ],
)
def test_a_question_is_answered_in_its_own_language(advisor, question, language, said):
    shown = advisor.answer(question)
    assert shown.language == language
    text = advisor.text(shown)
    top = advisor.guidance.items[shown.item_id]
    localized = item_text(top, language)
    assert said in text and localized.title in text and localized.summary in text
    # The quote stays verbatim, in English; its translation follows, labelled unofficial.
    assert f"> “{top.quote_passages[0]}" in text or f"> “{top.quote[:60]}" in text
    label = "Traduction non officielle :" if language == "fr" else "Traducción no oficial:"
    assert f"*{label}*" in text and localized.quote_translation[:40] in text
    assert not ENGLISH.search(_without_quotes_and_ids(text).replace(top.source.programme, ""))


def test_an_english_question_is_answered_as_before(advisor):
    shown = advisor.answer(
        "how do we keep employers on board in a talent partnership with Morocco?"
    )
    text = advisor.text(shown)
    assert shown.language == "en"
    assert "## Bridge the public and private sectors" in text
    assert "**What to do for Morocco (partner):**" in text
    assert "Unofficial translation" not in text and "Confidence: high." in text


def test_country_names_follow_the_answer_language_with_their_articles(guidance):
    steps = {
        partner: [
            s.text
            for s in build_checklist(
                guidance, "readiness", Context(partner=partner), language=lang
            ).steps
        ]
        for partner, lang in (
            ("Morocco", "fr"),
            ("Tunisie", "fr"),
            ("Netherlands", "fr"),
            ("Maroc", "es"),
        )
    }
    assert (
        "Programmer des revues régulières du contexte couvrant l'évolution de la situation au Maroc."
        in steps["Morocco"]
    )
    assert any(s.endswith("de la situation en Tunisie.") for s in steps["Tunisie"])
    assert any("aux Pays-Bas" in s for s in steps["Netherlands"])
    assert any("la situación en Marruecos" in s for s in steps["Maroc"])


def test_the_partner_and_sector_label_is_in_the_answer_language(guidance, renderer):
    checklist = build_checklist(
        guidance,
        "talent-partnerships.public-private",
        Context(partner="Morocco", sector="health care"),
        language="es",
    )
    text = renderer.render_checklist(checklist, "md")
    assert "Para: Marruecos (país socio) · sanidad (sector)" in text
    assert "Identificar a los empleadores y actores empresariales de la sanidad" in text


def test_a_missing_translation_falls_back_to_english_and_says_so(guidance):
    item = guidance.items["diaspora.recognition"]
    partial = item.model_copy(
        update={
            "translations": {"fr": item.translations["fr"].model_copy(update={"summary": None})}
        }
    )
    items = {**guidance.items, item.id: partial}
    patched = type(guidance)(**{**guidance.__dict__, "items": items})
    text = Renderer(patched).render_answer("answer", answer(patched, item.id), language="fr")
    assert item.summary in text  # the English summary, not a mix
    assert item.translations["fr"].title in text  # the other fields stay French
    assert "*Pas encore traduit, affiché en anglais : résumé.*" in text


def test_a_question_too_short_to_tell_takes_the_fallback_language(advisor):
    assert advisor.answer("diaspora networks", fallback="es-419").language == "es"
    assert advisor.answer("diaspora networks").language == "en"
    assert advisor.answer("how do we support diaspora networks?", fallback="fr").language == "en"
    assert advisor.answer("how do we support diaspora networks?", language="fr").language == "fr"
