"""View models: plain data gathered from the guidance for each kind of answer and message,
built without any template."""

from __future__ import annotations

import pytest
from render_helpers import MOROCCO, answer, not_covered

from pact_advisor.checklists import build_checklist
from pact_advisor.render import UnknownItem, Views


@pytest.fixture(scope="module")
def views(guidance) -> Views:
    return Views(guidance)


def test_unknown_item_names_close_ids(views, renderer):
    with pytest.raises(UnknownItem) as exc:
        views.item("diaspora.overveiw")
    assert "diaspora.overview" in exc.value.suggestions
    with pytest.raises(LookupError):
        renderer.discord_item("nothing.here")


def test_an_answer_shows_the_top_item_filled_for_the_context(views, guidance):
    view = views.answer(
        "answer", answer(guidance, "capacity-building.peer-to-peer", context=MOROCCO)
    )
    assert view.name == "answer"
    top = view.variables["top"]
    assert top["id"] == "capacity-building.peer-to-peer"
    assert "Pair officials of Morocco with peers" in top["advice"]
    assert view.variables["context"] == {
        "partner": "Morocco",
        "sector": "agriculture",
        "programme": "THAMM",
    }


def test_also_relevant_leaves_out_related_items_and_weak_matches(views, guidance):
    result = answer(guidance, "success-factors.overview")
    variables = views.answer("answer", result).variables
    related = {r["id"] for r in variables["top"]["related"]}
    also = [a["id"] for a in variables["also"]]
    assert also == [m.id for m in result.matches[1:3] if m.id not in related]
    assert result.matches[3].id not in also  # below the floor


def test_the_kind_given_picks_the_view_and_nothing_is_decided_here(views, guidance):
    result = answer(guidance, "programmes.mpf", ambiguous=True)
    assert views.answer("ambiguous", result).name == "ambiguous"
    assert [c["id"] for c in views.answer("ambiguous", result).variables["candidates"]] == [
        m.id for m in result.matches[:2]
    ]
    # The same result shown as an answer: its detail is what the caller asked for.
    plain = views.answer("answer", result)
    assert plain.name == "answer" and plain.variables["detail"] is False
    assert views.answer("answer", result, detail=True).variables["detail"] is True


def test_not_covered_keeps_only_suggestions_that_exist(views, guidance):
    result = not_covered(guidance, "odd", ["diaspora.recognition"])
    variables = views.answer("not_covered", result).variables
    assert [s["id"] for s in variables["suggestions"]] == ["diaspora.recognition"]
    assert variables["reason"] == "low-score"


def test_a_checklist_answer_needs_its_checklist(views, guidance):
    result = answer(guidance, "diaspora.overview", intent="checklist")
    with pytest.raises(ValueError, match="needs its checklist"):
        views.answer("checklist", result)
    checklist = build_checklist(guidance, "diaspora.overview")
    assert views.answer("checklist", result, checklist) == views.checklist(checklist)


def test_a_checklist_view_numbers_steps_across_sections_and_counts_ticks(views, guidance):
    checklist = build_checklist(guidance, "readiness", MOROCCO)
    variables = views.checklist(checklist, {0: "Ana", 3: "Ben", 999: "nobody"}).variables
    numbers = [s["number"] for section in variables["sections"] for s in section["steps"]]
    assert numbers == list(range(1, len(checklist.steps) + 1))
    assert variables["total"] == len(checklist.steps) and variables["done"] == 2
    first = variables["sections"][0]["steps"][0]
    assert first["ticked_by"] == "Ana" and first["item_id"] == checklist.steps[0].item_id


def test_help_has_one_example_per_collection(views, guidance):
    variables = views.help().variables
    assert len(variables["examples"]) == len(guidance.collections)
    assert variables["version"] == guidance.version
