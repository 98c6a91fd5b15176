"""Tests for pact_advisor.checklists: building checklists, and rendering them as text, Markdown,
JSON and Discord embeds."""

from __future__ import annotations

import json
import re

import pytest

from pact_advisor.checklists import (
    READINESS,
    Checklist,
    Step,
    UnknownTopic,
    build_checklist,
    checklist_from_result,
    checklist_topics,
)
from pact_advisor.engine import Context, Match, Result
from pact_advisor.knowledge import Guidance, SlotFiller
from pact_advisor.render import check
from pact_advisor.render.discord_target import PAGE_SIZE

MOROCCO = Context(partner="Morocco", sector="agriculture")
TASK = re.compile(r"^- \[ \] \S.*$")


def result_with(
    guidance: Guidance, scores: dict[str, float], question: str = "q", **extra
) -> Result:
    matches = tuple(
        Match(i, guidance.items[i].title, guidance.items[i].quote, guidance.items[i].source, s, ())
        for i, s in scores.items()
    )
    fields = dict(
        question=question,
        intent="checklist",
        answered=True,
        matches=matches,
        guidance_version=guidance.version,
        searched=question,
        confidence="high",
    )
    fields.update(extra)
    return Result(**fields)


# --- topics ------------------------------------------------------------------------------


def test_topics_are_collections_then_readiness_then_items(guidance):
    topics = checklist_topics(guidance)
    n = len(guidance.collections)
    assert topics[:n] == list(guidance.collections)
    assert topics[n] == READINESS == "readiness"
    assert topics[n + 1 :] == list(guidance.items)


def test_an_unknown_topic_raises_with_the_valid_topics(guidance):
    with pytest.raises(UnknownTopic) as exc:
        build_checklist(guidance, "diaspra")
    assert isinstance(exc.value, ValueError)
    assert exc.value.topics == tuple(checklist_topics(guidance))
    assert "diaspora" in exc.value.suggestions
    message = str(exc.value)
    assert "unknown checklist topic 'diaspra'" in message
    for cid in guidance.collections:
        assert cid in message
    assert "readiness" in message


# --- building ----------------------------------------------------------------------------


def test_a_collection_gives_every_items_steps_in_one_section(guidance):
    for cid, collection in guidance.collections.items():
        checklist = build_checklist(guidance, cid)
        items = guidance.items_in(cid)
        assert checklist.topic == cid and checklist.title == collection.title
        assert [s.collection for s in checklist.sections] == [cid]
        assert checklist.sections[0].title == collection.title
        assert [s.item_id for s in checklist.steps] == [i.id for i in items for _ in i.checklist]
        assert len(checklist.steps) == sum(len(i.checklist) for i in items)


def test_an_item_gives_its_own_steps(guidance):
    filler = SlotFiller()
    for item in guidance.items.values():
        checklist = build_checklist(guidance, item.id, MOROCCO)
        assert checklist.title == item.title
        expected = [filler.fill(t, MOROCCO) for t in item.checklist]
        assert [s.text for s in checklist.steps] == expected
        assert {s.item_id for s in checklist.steps} == {item.id}
        assert {s.collection for s in checklist.steps} == {item.collection}


def test_readiness_draws_on_four_collections_and_the_3i_lens(guidance):
    checklist = build_checklist(guidance, "readiness")
    collections = [s.collection for s in checklist.sections]
    assert len(checklist.steps) >= 15
    assert len(set(collections)) >= 4
    assert len(collections) == len(set(collections)), "one section per collection"
    assert {
        "success-factors",
        "talent-partnerships",
        "capacity-building",
        "diaspora",
        "three-i",
    } <= set(collections)
    assert checklist.title == "Partnership readiness review"
    # Overview items that only repeat the specific ones are left out.
    assert "success-factors.overview" not in checklist.item_ids
    assert len({s.text for s in checklist.steps}) == len(checklist.steps)
    for section in checklist.sections:
        assert section.title == guidance.collections[section.collection].title


def test_readiness_is_a_short_review(guidance, renderer):
    checklist = build_checklist(guidance, " Readiness ")
    assert checklist.topic == "readiness"
    assert len(checklist.steps) <= 25
    # On Discord: two pages of tick buttons at most.
    assert renderer.checklist_pages(checklist) <= 2


def test_every_step_keeps_its_item_id(guidance):
    for topic in checklist_topics(guidance):
        for step in build_checklist(guidance, topic).steps:
            assert step.item_id in guidance.items
            assert step.collection == guidance.items[step.item_id].collection


def test_steps_are_filled_with_the_context(guidance):
    steps = [s.text for s in build_checklist(guidance, "readiness", MOROCCO).steps]
    assert "Map the interests of each stakeholder, including Morocco, in a single table." in steps
    assert (
        "Identify the employers and business actors in agriculture relevant to the partnership."
    ) in steps


def test_without_context_the_wording_stays_natural(guidance):
    for topic in checklist_topics(guidance):
        for step in build_checklist(guidance, topic).steps:
            assert "None" not in step.text and "{" not in step.text
            assert "  " not in step.text and "()" not in step.text
            assert step.text[0].isupper()
    steps = [s.text for s in build_checklist(guidance, "readiness").steps]
    assert (
        "Map the interests of each stakeholder, including the partner country, in a single table."
    ) in steps


def test_context_values_stay_literal_in_steps(guidance):
    checklist = build_checklist(
        guidance, "success-factors.roles-governance", {"partner": "{{ 7*7 }}"}
    )
    assert "Agree on decision-making and escalation rules with {{ 7*7 }}." in [
        s.text for s in checklist.steps
    ]


def test_a_renderer_can_fill_the_steps(guidance, renderer):
    by_renderer = build_checklist(guidance, "diaspora", MOROCCO, renderer)
    assert by_renderer == build_checklist(guidance, "diaspora", MOROCCO)


# --- as_dict, and back from the steps -------------------------------------------------------


def test_as_dict_has_the_json_shape(guidance):
    checklist = build_checklist(guidance, "three-i", Context(partner="Morocco"))
    data = checklist.as_dict()
    assert set(data) == {"topic", "title", "context", "language", "steps"}
    assert data["topic"] == "three-i"
    assert data["context"] == {"partner": "Morocco", "sector": None, "programme": None}
    assert data["steps"][0] == {
        "text": "Assess the enabling environment in Morocco at local, national and regional level.",
        "item_id": "three-i.overview",
        "collection": "three-i",
    }
    assert len(data["steps"]) == len(checklist.steps)
    assert json.loads(json.dumps(data)) == data


def test_its_steps_rebuild_the_checklist(guidance):
    checklist = build_checklist(guidance, "readiness", MOROCCO)
    rebuilt = Checklist.of_steps(
        checklist.topic, checklist.title, checklist.context, checklist.steps, guidance
    )
    assert rebuilt == checklist


def test_without_guidance_sections_are_titled_by_collection_id(guidance):
    checklist = build_checklist(guidance, "readiness", MOROCCO)
    rebuilt = Checklist.of_steps(checklist.topic, checklist.title, MOROCCO, checklist.steps)
    assert [s.title for s in rebuilt.sections] == [s.collection for s in checklist.sections]
    assert rebuilt.steps == checklist.steps


# --- from an answer ------------------------------------------------------------------------


def test_an_answers_checklist_is_the_top_match_plus_close_runners_up(guidance):
    result = result_with(
        guidance,
        {
            "diaspora.overview": 0.50,
            "diaspora.recognition": 0.40,
            "diaspora.tools-technology": 0.36,
            "diaspora.crisis-response": 0.355,
            "three-i.ideas": 0.20,
        },
        question="  checklist for   diaspora engagement ",
    )
    checklist = checklist_from_result(guidance, result)
    assert checklist.item_ids == (
        "diaspora.overview",
        "diaspora.recognition",
        "diaspora.tools-technology",
    )
    assert checklist.topic == "diaspora.overview"
    assert checklist.title == guidance.items["diaspora.overview"].title
    assert checklist.steps[0].item_id == "diaspora.overview"


def test_a_clear_winner_gives_a_focused_checklist(guidance):
    result = result_with(guidance, {"success-factors.overview": 0.6, "pact.fresh-start": 0.3})
    checklist = checklist_from_result(guidance, result)
    assert checklist.item_ids == ("success-factors.overview",)
    assert len(checklist.steps) == 3


def test_an_answers_checklist_uses_the_results_context(guidance):
    result = result_with(guidance, {"success-factors.roles-governance": 0.6}, context=MOROCCO)
    checklist = checklist_from_result(guidance, result)
    assert checklist.context == MOROCCO
    assert "Agree on decision-making and escalation rules with Morocco." in [
        s.text for s in checklist.steps
    ]
    other = checklist_from_result(guidance, result, Context(partner="Peru"))
    assert "Agree on decision-making and escalation rules with Peru." in [
        s.text for s in other.steps
    ]


def test_a_follow_up_checklist_is_titled_after_the_guidance_not_the_question(engine, guidance):
    # Checklists are kept as a record; question text must not outlive its retention period.
    first = engine.ask("how do we find common ground with the partner country?")
    follow = engine.ask("make that a checklist", previous=first.turn())
    assert follow.followup == "checklist"
    checklist = checklist_from_result(guidance, follow)
    assert checklist.title == guidance.items[first.top.id].title
    assert "common ground" not in checklist.title
    assert checklist.steps[0].item_id == first.top.id


def test_an_unanswered_result_has_no_checklist(guidance):
    result = Result("zzz", "checklist", False, (), guidance.version, reason="unknown-terms")
    with pytest.raises(ValueError, match="no answer"):
        checklist_from_result(guidance, result)


# --- rendering ---------------------------------------------------------------------------


def test_markdown_is_a_github_task_list(guidance, renderer):
    checklist = build_checklist(guidance, "readiness", MOROCCO)
    md = renderer.render_checklist(checklist, fmt="md")
    lines = md.splitlines()
    assert lines[0] == "# Checklist: Partnership readiness review"
    assert "For: Morocco (partner) · agriculture (sector)" in lines
    headings = [line[3:] for line in lines if line.startswith("## ")]
    assert headings == [s.title for s in checklist.sections]
    tasks = [line for line in lines if line.startswith("- ")]
    assert len(tasks) == len(checklist.steps)
    assert all(TASK.match(line) for line in tasks)
    # Each section's tasks follow its heading.
    first = lines.index("## " + checklist.sections[0].title)
    assert lines[first + 2] == "- [ ] " + checklist.steps[0].text
    assert "Drawn from: Sufficient shared interests (`success-factors.shared-interests`)" in md


def test_text_format_numbers_steps_across_sections(guidance, renderer):
    checklist = build_checklist(guidance, "readiness")
    text = renderer.render_checklist(checklist, fmt="text")
    assert text.startswith("CHECKLIST: Partnership readiness review\n")
    numbered = re.findall(r"^\[ \] (\d+)\. ", text, re.M)
    assert [int(n) for n in numbered] == list(range(1, len(checklist.steps) + 1))
    for section in checklist.sections:
        assert "\n" + section.title + "\n" in text


def test_markdown_with_ticks_marks_steps_done_and_names_who(guidance, renderer):
    checklist = build_checklist(guidance, "success-factors.roles-governance", MOROCCO)
    md = renderer.render_checklist(checklist, fmt="md", ticks={0: "Ana", 2: "**Ben**"})
    tasks = [line for line in md.splitlines() if line.startswith("- [")]
    assert tasks[0] == (
        "- [x] List all actors involved and define each one's role in writing. — ticked by Ana"
    )
    assert tasks[1].startswith("- [ ] Set up a steering")
    assert tasks[2] == (
        "- [x] Agree on decision-making and escalation rules with Morocco."
        r" — ticked by \*\*Ben\*\*"
    )
    assert tasks[3].startswith("- [ ] ") and "ticked by" not in tasks[3]
    # Without ticks it is the plain task list.
    assert renderer.render_checklist(checklist, "md", ticks={}) == renderer.render_checklist(
        checklist, "md"
    )


def test_text_with_ticks_marks_steps_done_and_names_who(guidance, renderer):
    checklist = build_checklist(guidance, "success-factors.roles-governance")
    text = renderer.render_checklist(checklist, fmt="text", ticks={1: "Ana"})
    assert re.findall(r"^\[(.)\] (\d+)\.", text, re.M) == [
        (" ", "1"),
        ("x", "2"),
        (" ", "3"),
        (" ", "4"),
    ]
    assert re.search(r"^\[x\] 2\. Set up a steering.* — ticked by Ana$", text, re.M)


def test_user_text_in_a_markdown_checklist_is_escaped(guidance, renderer):
    result = result_with(
        guidance,
        {"three-i.interests": 0.6},
        question="**urgent** <b>now</b>",
        context=Context(partner="_Mali_"),
    )
    md = renderer.render_checklist(checklist_from_result(guidance, result), "md")
    assert md.startswith("# Checklist: Interests: power relations")
    assert "urgent" not in md
    assert r"partnership with \_Mali\_." in md


def test_discord_checklist_shows_progress_and_who_ticked(guidance, renderer):
    checklist = build_checklist(guidance, "success-factors.roles-governance", MOROCCO)
    message = renderer.discord_checklist(checklist, {0: "Ana", 2: "Ben"})
    assert check(message) == []
    (embed,) = message.embeds
    assert embed.title == "Checklist: Clearly defined roles and a robust governance structure"
    assert "**2/4 done**" in embed.description
    assert "**For:** Morocco (partner) · agriculture (sector)" in embed.description
    (section,) = embed.fields
    assert section.name == "Success factors for migration partnerships"
    lines = section.value.splitlines()
    assert lines[0] == (
        "☑ 1. List all actors involved and define each one's role in writing. — ticked by Ana"
    )
    assert lines[1].startswith("☐ 2. Set up a steering")
    assert lines[2] == (
        "☑ 3. Agree on decision-making and escalation rules with Morocco. — ticked by Ben"
    )
    assert lines[3].startswith("☐ 4. ")


def test_discord_checklist_pages(guidance, renderer):
    checklist = build_checklist(guidance, "talent-partnerships")
    total = len(checklist.steps)
    assert PAGE_SIZE < total <= 2 * PAGE_SIZE
    assert renderer.checklist_pages(checklist) == 2
    second = renderer.discord_checklist(checklist, {0: "Ana", 26: "Ben"}, page=1)
    assert check(second) == []
    embed = second.embeds[0]
    assert f"**2/{total} done**" in embed.description
    assert embed.footer == "Checklist talent-partnerships · page 2/2"
    numbers = [int(n) for f in embed.fields for n in re.findall(r"^[☐☑] (\d+)\.", f.value, re.M)]
    assert numbers == list(range(PAGE_SIZE + 1, total + 1))
    assert "27. " in embed.fields[-1].value and "ticked by Ben" in embed.fields[-1].value
    # Pages out of range are clamped.
    last = renderer.discord_checklist(checklist, page=1)
    assert renderer.discord_checklist(checklist, page=9) == last
    assert renderer.discord_checklist(checklist, page=-3) == renderer.discord_checklist(checklist)


def test_discord_checklists_fit_with_huge_context_and_names(guidance, renderer):
    huge = Context(partner="P" * 10_000, sector="sector " * 1_500, programme="X" * 3_000)
    names = {i: "N" * 500 for i in range(40)}
    for topic in checklist_topics(guidance):
        checklist = build_checklist(guidance, topic, huge)
        for page in range(renderer.checklist_pages(checklist)):
            message = renderer.discord_checklist(checklist, names, page=page)
            assert check(message) == []
            shown = sum(len(re.findall(r"^[☐☑] ", f.value, re.M)) for f in message.embeds[0].fields)
            assert shown == len(checklist.steps[page * PAGE_SIZE : (page + 1) * PAGE_SIZE])


def test_step_is_a_frozen_record():
    step = Step("Do it.", "a.b", "a")
    with pytest.raises(AttributeError):
        step.text = "x"  # type: ignore[misc]
