"""The terminal in the asker's language: --lang on ask, chat, checklist, show and topics, the
question's language by default, the locale for commands without a question."""

from __future__ import annotations

import io
import json
import re

import pytest

from pact_advisor.cli import build_parser, main


def run(*argv: str, stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), stdin=io.StringIO(stdin), stdout=out), out.getvalue()


@pytest.mark.parametrize("command", ["ask", "chat", "checklist", "show", "topics"])
def test_commands_take_a_language(command):
    sub = next(a for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    options = {o for a in sub.choices[command]._actions for o in a.option_strings}
    assert "--lang" in options


def test_the_readiness_review_reads_as_a_french_practitioner_would_write_it():
    code, out = run(
        "checklist", "readiness", "--partner", "Maroc", "--sector", "agriculture", "--lang", "fr"
    )
    assert code == 0
    assert out.startswith("LISTE DE CONTRÔLE : Examen de l'état de préparation du partenariat\n")
    assert "Pour : Maroc (pays partenaire) · agriculture (secteur)" in out
    assert (
        "[ ] 6. Programmer des revues régulières du contexte couvrant l'évolution de la situation au Maroc."
        in out
    )
    assert "Identifier les employeurs et les acteurs économiques de l'agriculture" in out
    assert "Engagement de la diaspora" in out
    words = re.sub(r"\([a-z0-9.-]+\)", "", out)
    assert not re.search(r"\b(?:the|and|of|with|partner|sector|checklist|review)\b", words, re.I)


def test_a_french_question_gets_a_french_answer_and_an_english_one_stays_english():
    code, out = run(
        "ask",
        "comment renforcer les capacités de gestion des organisations de la diaspora liées au Maroc ?",
    )
    assert code == 0 and "**Q :**" in out and "*Traduction non officielle :*" in out
    code, out = run("ask", "how do we involve the diaspora in cooperation with Morocco?")
    assert (
        "**Q:**" in out and "Traduction" not in out and "What to do for Morocco (partner):" in out
    )


def test_lang_overrides_the_question_language():
    code, out = run(
        "ask", "--lang", "es", "how do we keep employers on board in a talent partnership?"
    )
    assert code == 0 and "## Tender puentes entre los sectores público y privado" in out


def test_commands_without_a_question_follow_the_locale(monkeypatch):
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    code, out = run("show", "diaspora.recognition", "--partner", "Senegal")
    assert code == 0 and "## Promover y reconocer el trabajo de la diáspora" in out
    assert "Qué hacer — Senegal (país socio):" in out
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert "## Ce que couvrent les orientations" in run("topics")[1]


def test_json_output_says_the_answer_language():
    _, out = run("checklist", "three-i", "--format", "json", "--lang", "es")
    data = json.loads(out)
    assert (
        data["language"] == "es"
        and data["title"] == "El enfoque de las 3I para un entorno propicio"
    )


def test_a_short_follow_up_in_chat_stays_in_the_conversation_language():
    code, out = run(
        "chat",
        stdin="comment renforcer les capacités de gestion des organisations de la diaspora liées au Maroc ?\nchecklist\nquit\n",
    )
    assert code == 0
    assert "LISTE DE CONTRÔLE" in out or "Liste de contrôle" in out
