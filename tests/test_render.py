"""Tests for pact_advisor.render: templates, escaping and Discord limits.

They assert the rendered text itself, for every item and collection of the real guidance.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import jinja2
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pact_advisor.checklists import build_checklist
from pact_advisor.engine import Context, Match, Result
from pact_advisor.knowledge import Guidance
from pact_advisor.render import (
    LIMITS,
    DiscordMessage,
    EmbedSpec,
    FieldSpec,
    Renderer,
    UnknownItem,
    check,
    discord_escape,
    fit,
    md_escape,
    plain,
    truncate_sentence,
)
from pact_advisor.resources import prompts_dir
from pact_advisor.store import FeedbackRecord, ItemCounts, Report, UnansweredQuestion

MOROCCO = Context(partner="Morocco", sector="agriculture", programme="THAMM")
EVIL = "@everyone <@123> <@&45> <#67> **bold** {{ 7*7 }} {% if true %}x{% endif %} success factors"
HUGE = "Morocco" + " and more" * 1_250  # about 10,000 characters
# Double spaces inside a line (indentation at a line start is layout, not a gap).
DEV_SET = Path(__file__).resolve().parents[1] / "eval" / "dev.yaml"
GAP = re.compile(r"\S {2,}\S")


def answer(
    guidance: Guidance,
    item_id: str,
    question: str = "a question",
    context: Context | None = None,
    **extra,
) -> Result:
    """A result answering with ``item_id`` on top, then three other items of the guidance."""
    others = [i for i in guidance.items if i != item_id][:3]
    matches = tuple(
        Match(
            i,
            guidance.items[i].title,
            guidance.items[i].quote,
            guidance.items[i].source,
            score,
            ("terms: test",),
        )
        for i, score in zip([item_id, *others], (0.6, 0.3, 0.25, 0.05), strict=True)
    )
    fields = dict(
        question=question,
        intent="answer",
        answered=True,
        matches=matches,
        guidance_version=guidance.version,
        context=context or Context(),
        searched=question,
        confidence="high",
    )
    fields.update(extra)
    return Result(**fields)


def not_covered(
    guidance: Guidance, question: str = "a question", suggestions=(), reason: str = "low-score"
) -> Result:
    sugg = tuple(
        Match(
            i, guidance.items[i].title, guidance.items[i].quote, guidance.items[i].source, 0.15, ()
        )
        for i in suggestions
    )
    return Result(
        question=question,
        intent="answer",
        answered=False,
        matches=(),
        guidance_version=guidance.version,
        suggestions=sugg,
        reason=reason,
        searched=question,
    )


def clean(text: str) -> None:
    """No trace of a missing value or of template syntax."""
    assert "None" not in text
    assert "{{" not in text and "}}" not in text and "{%" not in text
    # Block quotes reproduce the source verbatim, typography included.
    prose = "\n".join(line for line in text.splitlines() if not line.startswith(">"))
    assert not GAP.search(prose), GAP.search(prose)
    assert "()" not in text


def all_text(message: DiscordMessage) -> str:
    parts = [message.content]
    for embed in message.embeds:
        parts += [embed.title, embed.description, embed.footer]
        parts += [p for f in embed.fields for p in (f.name, f.value)]
    return "\n".join(parts)


def fits(message: DiscordMessage) -> None:
    assert check(message) == []


# --- environment -------------------------------------------------------------------------


def test_one_strict_environment_with_the_filters(renderer):
    env = renderer.env
    assert env.undefined is jinja2.StrictUndefined
    assert env.trim_blocks and env.lstrip_blocks and not env.autoescape
    assert {"discord_escape", "md_escape", "truncate_sentence"} <= set(env.filters)
    assert renderer.prompts_dir == prompts_dir()


def test_every_template_compiles(renderer):
    names = renderer.env.list_templates(extensions=["j2"])
    assert len(names) >= 18
    for name in names:
        renderer.env.get_template(name)


def test_a_content_editor_changes_wording_without_code(guidance, tmp_path):
    shutil.copytree(prompts_dir(), tmp_path / "prompts")
    (tmp_path / "prompts" / "thanks.md.j2").write_text("Avec plaisir !\n", encoding="utf-8")
    custom = Renderer(guidance, prompts_dir=tmp_path / "prompts")
    thanks = Result("merci", "thanks", False, (), guidance.version)
    assert custom.render_result(thanks) == "Avec plaisir !\n"


def test_unknown_target_and_format_are_errors(renderer, guidance):
    with pytest.raises(ValueError, match="target"):
        renderer.render_result(answer(guidance, "diaspora.overview"), target="html")
    with pytest.raises(ValueError, match="format"):
        renderer.render_checklist(build_checklist(guidance, "diaspora"), fmt="pdf")


def test_unknown_item_names_close_ids(renderer):
    with pytest.raises(UnknownItem) as exc:
        renderer.render_item("diaspora.overveiw")
    assert "diaspora.overview" in exc.value.suggestions
    with pytest.raises(LookupError):
        renderer.discord_item("nothing.here")


# --- every item, every template ----------------------------------------------------------


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


def test_every_answer_quotes_and_cites_its_source(renderer, guidance):
    for item in guidance.items.values():
        for context in (None, MOROCCO):
            text = renderer.render_result(answer(guidance, item.id, context=context))
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


def test_answer_for_morocco_says_so(renderer, guidance):
    text = renderer.render_result(answer(guidance, "success-factors.overview", context=MOROCCO))
    assert "What to do for Morocco (partner) · agriculture (sector) · THAMM (programme):" in text
    assert "the partnership with Morocco" in text
    assert "at the start of THAMM" in text


def test_answer_lists_related_items_and_also_relevant(renderer, guidance):
    result = answer(guidance, "success-factors.overview")
    text = renderer.render_result(result)
    for related in guidance.items["success-factors.overview"].related:
        assert guidance.items[related].title in text
    also = text.split("**Also relevant:**", 1)[1]
    assert result.matches[1].title in also and result.matches[2].title in also
    # The fourth match scores below the floor: not "also relevant".
    assert result.matches[3].title not in also


def test_long_quotes_are_trimmed_with_a_pointer_unless_detail(renderer, guidance):
    item = guidance.items["talent-partnerships.overview"]
    short = renderer.render_result(answer(guidance, item.id))
    assert item.quote not in short
    assert f"(`pact-advisor show {item.id}` for the full quote)" in short
    full = renderer.render_result(answer(guidance, item.id), detail=True)
    for passage in item.quote_passages:
        assert passage in full
    for step in item.checklist:
        assert "- [ ] " + renderer.fill(step) in full
    assert "Why this matched:** terms: test" in full


def test_tell_me_more_renders_the_detail(renderer, guidance):
    result = answer(guidance, "talent-partnerships.overview", followup="more")
    assert "**Checklist:**" in renderer.render_result(result)


@pytest.mark.parametrize(
    ("level", "words"),
    [
        ("high", "Confidence: high. This guidance matches your question closely."),
        ("medium", "Confidence: medium. This looks relevant; check that it fits your case."),
        ("low", "Confidence: low. This is the closest guidance I have"),
    ],
)
def test_confidence_in_words(renderer, guidance, level, words):
    text = renderer.render_result(answer(guidance, "diaspora.overview", confidence=level))
    assert words in text
    discord = renderer.discord_result(answer(guidance, "diaspora.overview", confidence=level))
    confidence = next(f for f in discord.embeds[0].fields if f.name == "Confidence")
    assert confidence.value.lower().startswith(level)


def test_programme_questions_get_the_programme_card(renderer, engine):
    result = engine.ask("who funds EUDiF")
    assert result.intent == "programme" and result.top.id == "programmes.eudif"
    text = renderer.render_result(result)
    assert "## EU Global Diaspora Facility (EUDiF)" in text
    assert "**Since:** 2019" in text
    assert "**Guidance drawn from EUDiF:** Diaspora engagement (7 items, `diaspora`)" in text
    assert "> — EUDiF · 2019" in text
    embed = renderer.discord_result(result).embeds[0]
    assert [f.value for f in embed.fields if f.name == "Since"] == ["2019"]
    assert any(f.name == "Guidance drawn from EUDiF" for f in embed.fields)


def test_every_programme_item_has_a_programme_card(renderer, guidance):
    for item in guidance.items_in("programmes"):
        text = renderer.render_result(answer(guidance, item.id, intent="programme"))
        clean(text)
        assert "**Guidance drawn from " + item.source.programme in text
        fits(renderer.discord_result(answer(guidance, item.id, intent="programme")))


def test_not_covered_shows_did_you_mean(renderer, guidance):
    result = not_covered(guidance, "something odd", ["diaspora.recognition", "three-i.ideas"])
    text = renderer.render_result(result)
    assert "I could not find guidance that answers this question." in text
    assert "**Did you mean:**" in text
    assert (
        "- Promote and recognise the work of diaspora (`pact-advisor show diaspora.recognition`)"
    ) in text
    assert "Ideas: knowledge, values, evidence, innovation and solutions" in text
    embed = renderer.discord_result(result).embeds[0]
    did_you_mean = next(f for f in embed.fields if f.name == "Did you mean")
    assert "Promote and recognise the work of diaspora" in did_you_mean.value


def test_not_covered_without_suggestions_points_to_topics(renderer, guidance):
    text = renderer.render_result(not_covered(guidance, "blorp"))
    assert "Did you mean" not in text
    assert "Type `pact-advisor topics` to see what the guidance covers." in text
    embed = renderer.discord_result(not_covered(guidance, "blorp")).embeds[0]
    assert "`/guidance` to see what the guidance covers" in embed.description


def test_out_of_scope_says_what_is_not_covered(renderer, engine):
    result = engine.ask("how do I apply for asylum in Belgium?")
    assert result.reason and result.reason.startswith("out-of-scope:")
    rule = result.reason.split(":", 1)[1]
    text = renderer.render_result(result)
    assert f"This is outside what the guidance covers ({rule.replace('-', ' ')})." in text


def test_ambiguous_shows_two_candidates_and_asks(renderer, guidance):
    result = answer(guidance, "programmes.mpf", ambiguous=True, confidence="low")
    first, second = result.matches[0], result.matches[1]
    text = renderer.render_result(result)
    assert f"**1. {first.title}** (`{first.id}`)" in text
    assert f"**2. {second.title}** (`{second.id}`)" in text
    assert guidance.items[first.id].summary in text and guidance.items[second.id].summary in text
    assert "Which one did you mean?" in text
    embed = renderer.discord_result(result).embeds[0]
    assert embed.title == "Which one did you mean?"
    candidates = [f for f in embed.fields if f.inline]
    assert [f.name for f in candidates] == [
        f"1. {discord_escape(first.title)}",
        f"2. {discord_escape(second.title)}",
    ]


def test_every_dev_question_renders(renderer, engine):
    questions = [case["q"] for case in yaml.safe_load(DEV_SET.read_text(encoding="utf-8"))]
    kinds = set()
    for result in engine.ask_many(questions):
        text = renderer.render_result(result)
        clean(text)
        message = renderer.discord_result(result)
        fits(message)
        if result.answered and result.ambiguous:
            kinds.add("ambiguous")
            assert text.count("**1. ") == 1 and text.count("**2. ") == 1
        elif result.answered:
            kinds.add("answer")
            assert result.top.title in text
        else:
            kinds.add("not covered")
            for suggestion in result.suggestions:
                assert suggestion.title in text
    assert kinds == {"ambiguous", "answer", "not covered"}


def test_help_thanks_and_topics_intents(renderer, engine, guidance):
    help_text = renderer.render_result(engine.ask("help"))
    assert help_text == renderer.render_help()
    assert "## Pact Advisor" in help_text and "`pact-advisor checklist TOPIC`" in help_text
    assert "You're welcome." in renderer.render_result(engine.ask("thanks"))
    topics = renderer.render_result(engine.ask("list topics"))
    assert topics == renderer.render_topics()
    assert f"{len(guidance.items)} items in {len(guidance.collections)} collections." in topics
    for collection in guidance.collections.values():
        count = len(guidance.items_in(collection.id))
        assert f"### {collection.title} ({count} items, `{collection.id}`)" in topics
        for item in guidance.items_in(collection.id):
            assert f"- {item.title} (`{item.id}`)" in topics


def test_checklist_intent_renders_the_answers_checklist(renderer, engine, guidance):
    result = engine.ask("give me a checklist for diaspora engagement")
    assert result.intent == "checklist" and result.answered
    text = renderer.render_result(result)
    top = guidance.items[result.top.id]
    assert text.startswith(f"CHECKLIST: {top.title}")
    assert "[ ] 1. " + renderer.fill(top.checklist[0]) in text
    md = renderer.render_result(result, target="markdown")
    assert "- [ ] " + renderer.fill(top.checklist[0]) in md


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


# --- escaping ----------------------------------------------------------------------------


def test_discord_escape_neutralises_mentions_and_markdown():
    out = discord_escape(
        "@everyone @here <@123> <@!5> <@&45> <#67> **b** _i_ ~~s~~ `c` ||sp|| [l](u) a\\b"
    )
    assert "@everyone" not in out and "@here" not in out
    assert not re.search(r"<[@#]", out)
    assert "@\u200beveryone" in out and "<\u200b@123>" in out and "<\u200b#67>" in out
    assert r"\*\*b\*\*" in out and r"\_i\_" in out and r"\~\~s\~\~" in out
    assert r"\`c\`" in out and r"\|\|sp\|\|" in out and r"a\\b" in out
    assert r"\[l\](u)" in out  # an escaped "[" cannot open a masked link


def test_discord_escape_leaves_brackets_and_parentheses_that_are_not_links():
    assert discord_escape("Mobility Partnership Facility (MPF)") == (
        "Mobility Partnership Facility (MPF)"
    )
    assert discord_escape("[draft] ready (v2)") == "[draft] ready (v2)"
    assert discord_escape("see [a] and [b](https://x.test) (c)") == (
        r"see \[a] and \[b\](https://x.test) (c)"
    )


def test_programme_titles_are_not_over_escaped(renderer, guidance):
    message = renderer.discord_item("programmes.mpf")
    assert message.embeds[0].title == guidance.items["programmes.mpf"].title
    assert "\\(" not in all_text(message)


def test_discord_escape_handles_line_start_markers():
    out = discord_escape("# heading\n> quote\n- item\n1. first\n-# small\nwell-known a > b #1")
    assert out.splitlines() == [
        r"\# heading",
        r"\> quote",
        r"\- item",
        r"1\. first",
        r"\-# small",
        "well-known a > b #1",
    ]


def test_md_escape_and_plain():
    assert md_escape("**x** <b> # h") == r"\*\*x\*\* \<b\> # h"
    assert md_escape("# h\n- i") == "\\# h\n\\- i"
    assert plain("red\x1b[31m text\x07\nnext") == "red[31m text\nnext"


@given(st.text())
@settings(max_examples=300)
def test_no_mention_survives_discord_escape(text):
    out = discord_escape(text)
    assert not re.search(r"@(everyone|here)", out, re.IGNORECASE)
    assert not re.search(r"<[@#]", out)


def test_a_hostile_question_is_shown_literally_everywhere(renderer, engine, guidance):
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
            text = renderer.render_result(result, target=target)
            assert not re.search(r"\b49\b", text) and "{{ 7" in text
        md = renderer.render_result(result, target="markdown")
        assert "**bold**" not in md
        if result.intent != "checklist":  # a checklist is titled after the guidance
            assert r"\*\*bold\*\*" in md
        assert "<@123>" not in md
        message = renderer.discord_result(result)
        shown = all_text(message)
        assert not re.search(r"\b49\b", shown) and "{{ 7" in shown
        assert "@everyone" not in shown and "@here" not in shown
        assert not re.search(r"<[@#]", shown)
        assert "**bold**" not in shown
        if result.intent != "checklist":
            assert r"\*\*bold\*\*" in shown
        fits(message)


def test_ticker_names_are_escaped(renderer, guidance):
    checklist = build_checklist(guidance, "diaspora.overview")
    message = renderer.discord_checklist(checklist, {0: "@everyone **Ana**"})
    shown = all_text(message)
    assert "ticked by @\u200beveryone \\*\\*Ana\\*\\*" in shown


# --- Discord messages and limits ---------------------------------------------------------


def test_discord_answer_parts(renderer, guidance):
    item = guidance.items["success-factors.shared-interests"]
    message = renderer.discord_result(answer(guidance, item.id, "common ground?", MOROCCO))
    fits(message)
    (embed,) = message.embeds
    assert embed.title == item.title
    assert embed.description.startswith("**Q:** common ground?")
    for_line = "**For:** Morocco (partner) · agriculture (sector) · THAMM (programme)"
    assert for_line in embed.description
    assert "map what the EU side, Morocco and other stakeholders each want" in embed.description
    source = next(f for f in embed.fields if f.name == "Source")
    assert source.value.startswith("> “Sufficient shared interests")
    assert "— MPF · 2018 independent evaluation" in source.value
    assert embed.footer.startswith(item.id)
    assert embed.to_dict()["fields"][0]["name"] == "Source"


def test_every_item_fits_discord_with_and_without_context(renderer, guidance):
    for item in guidance.items.values():
        for context in (None, MOROCCO, Context(partner=HUGE, sector=HUGE, programme=HUGE)):
            for message in (
                renderer.discord_item(item.id, context),
                renderer.discord_result(answer(guidance, item.id, context=context)),
                renderer.discord_result(answer(guidance, item.id, context=context), detail=True),
            ):
                fits(message)
                if context is None:
                    clean(all_text(message).replace("\\", ""))


def test_the_longest_item_fits_discord(renderer, guidance):
    def size(item):
        return len(item.quote) + len(item.summary) + len(item.advice) + sum(map(len, item.examples))

    longest = max(guidance.items.values(), key=size)
    message = renderer.discord_item(longest.id, Context(partner=HUGE))
    fits(message)
    embed = message.embeds[0]
    assert embed.description.endswith(f"(more: `/guidance item:{longest.id}`)")
    assert len(embed.description) <= LIMITS.description


def test_a_long_question_fits_discord(renderer, guidance):
    question = "What should we do? " * 600
    for result in (
        answer(guidance, "diaspora.overview", question),
        not_covered(guidance, question, ["diaspora.overview"]),
        answer(guidance, "diaspora.overview", question, ambiguous=True),
        answer(guidance, "diaspora.overview", question, intent="checklist"),
    ):
        message = renderer.discord_result(result)
        fits(message)
        embed = message.embeds[0]
        if result.intent == "checklist":
            assert embed.title == "Checklist: " + guidance.items["diaspora.overview"].title
        else:
            assert embed.description.startswith("**Q:** What should we do?")


def test_topics_and_help_fit_discord(renderer, guidance):
    topics = renderer.discord_topics()
    fits(topics)
    names = [f.name for f in topics.embeds[0].fields]
    for collection in guidance.collections.values():
        assert f"{collection.title} ({len(guidance.items_in(collection.id))})" in names
    help_message = renderer.discord_help()
    fits(help_message)
    assert "/guidance item:ID" in all_text(help_message)


def test_related_names_the_item_or_says_there_is_none(renderer, guidance):
    with_related = next(i for i in guidance.items.values() if i.related)
    message = renderer.discord_related(with_related.id)
    assert message.content == (
        f"Related to **{discord_escape(with_related.title)}**: pick one to open it."
    )
    without = next((i for i in guidance.items.values() if not i.related), None)
    if without is not None:
        assert renderer.discord_related(without.id).content == "This item has no related guidance."
    with pytest.raises(UnknownItem):
        renderer.discord_related("diaspora.nope")


JAN_1 = datetime(2026, 1, 1, tzinfo=UTC)


def test_report_lists_at_most_fifteen_entries_and_counts_the_rest(renderer):
    day = JAN_1.timestamp()
    report = Report(
        since=day,
        until=day,
        unanswered=[
            UnansweredQuestion(i, f"question {i} **" + "x" * 400, [], 1, day) for i in range(20)
        ],
        not_helpful=[FeedbackRecord(1, None, "a.b", False, 1, None, day)],
        item_counts={"a.b": ItemCounts(0, 1), "c.d": ItemCounts(3, 0), "e.f": ItemCounts(1, 2)},
    )
    message = renderer.discord_report(report, JAN_1)
    fits(message)
    (embed,) = message.embeds
    assert embed.title == "Pact Advisor report since 2026-01-01"
    fields: dict[str, list[str]] = {}
    for f in embed.fields:  # a long list continues in "<name> (continued)" fields
        fields.setdefault(f.name.removesuffix(" (continued)"), []).extend(f.value.splitlines())
    unanswered = fields["Unanswered (20)"]
    assert len(unanswered) == 16 and unanswered[-1] == "… and 5 more"
    assert unanswered[0].startswith("• 2026-01-01 “question 0 \\*\\*xxx")
    assert unanswered[0].endswith("…”") and len(unanswered[0]) < 200
    assert fields["Not helpful (1)"] == ["• 2026-01-01 `a.b` *(question text purged)*"]
    assert fields["Votes per item (3)"] == [  # most "not helpful" first
        "• `e.f` 👍 1 · 👎 2",
        "• `a.b` 👍 0 · 👎 1",
        "• `c.d` 👍 3 · 👎 0",
    ]


def test_an_empty_report_says_none(renderer):
    message = renderer.discord_report(Report(0.0, 0.0, [], [], {}), JAN_1)
    assert message.embeds[0].description == (
        "0 unanswered question(s), 0 answer(s) marked not helpful."
    )
    assert [f.value for f in message.embeds[0].fields] == ["None."] * 3


def test_reload_problems_are_listed_escaped_and_counted(renderer):
    one = renderer.discord_reload_problems(["rules.yaml:3: *bad*"], "v1")
    assert one.content == "Found 1 problem."
    assert one.embeds[0].description == r"• rules.yaml:3: \*bad\*"
    assert one.embeds[0].footer.startswith("Still serving guidance v1.")

    many = renderer.discord_reload_problems([f"p{i}: " + "y" * 400 for i in range(50)], "v1")
    fits(many)
    assert many.content == "Found 50 problems."
    lines = many.embeds[0].description.splitlines()
    assert lines[-1] == f"… and {50 - (len(lines) - 1)} more"
    assert all(len(line) <= 302 for line in lines)


def test_short_discord_texts_come_from_the_messages_template(renderer):
    assert renderer.discord_text("label_step", number=3, ticked=True) == "✓ 3"
    assert renderer.discord_text("unknown_topic", topic="**x**", suggestions=["a", "b"]) == (
        "There is no checklist for “\\*\\*x\\*\\*”. Did you mean `a`, `b`? "
        "Pick a topic from the list as you type, or use `readiness`."
    )
    with pytest.raises(LookupError, match="no macro 'nope'"):
        renderer.discord_text("nope")


def test_a_content_editor_rewords_discord_replies_without_code(guidance, tmp_path):
    shutil.copytree(prompts_dir(), tmp_path / "prompts")
    path = tmp_path / "prompts" / "messages.discord.j2"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Helpful{% endmacro %}", "Utile{% endmacro %}"),
        encoding="utf-8",
    )
    custom = Renderer(guidance, prompts_dir=tmp_path / "prompts")
    assert custom.discord_text("label_helpful") == "Utile"


def test_fit_trims_a_long_description_at_a_sentence_with_a_pointer():
    text = "First sentence here. " * 300
    message = fit(DiscordMessage(embeds=(EmbedSpec("t", text),)), more="(more: `/guidance item:x`)")
    description = message.embeds[0].description
    assert len(description) <= LIMITS.description
    assert description.endswith("First sentence here. … (more: `/guidance item:x`)")


def test_fit_splits_long_multiline_fields_and_caps_everything():
    lines = "\n".join(f"line {i} " + "x" * 80 for i in range(30))
    fields = (FieldSpec("Steps", lines), *(FieldSpec("", "") for _ in range(30)))
    embed = EmbedSpec("T" * 300, "d" * 5000, fields, "f" * 3000)
    message = fit(DiscordMessage("c" * 3000, (embed,) * 12), cont="(continued)")
    fits(message)
    first = message.embeds[0]
    assert [f.name for f in first.fields[:3]] == ["Steps", "Steps (continued)", "Steps (continued)"]
    assert first.fields[0].value.startswith("line 0 ")


@given(
    st.lists(st.tuples(st.text(max_size=3000), st.text(max_size=3000)), max_size=40),
    st.text(max_size=9000),
    st.text(max_size=400),
    st.text(max_size=5000),
)
@settings(max_examples=60, deadline=None)
def test_fit_always_satisfies_the_limits(fields, description, title, content):
    embed = EmbedSpec(title, description, tuple(FieldSpec(n, v) for n, v in fields), title * 3)
    fits(fit(DiscordMessage(content or "x", (embed, embed)), more="(more)"))


# --- truncate_sentence -------------------------------------------------------------------


def test_truncate_sentence_cuts_at_a_sentence():
    text = "One two three. Four five six. Seven eight nine."
    assert truncate_sentence(text, 100) == text
    assert truncate_sentence(text, 35) == "One two three. Four five six. …"
    assert truncate_sentence(text, 45, "(more)") == "One two three. Four five six. … (more)"
    assert truncate_sentence(text, 30, "(more)") == "One two three. … (more)"


def test_truncate_sentence_falls_back_to_a_word():
    assert truncate_sentence("alpha beta gamma delta epsilon", 20) == "alpha beta gamma…"


@given(st.text(), st.integers(min_value=0, max_value=300), st.sampled_from(["", "(more: `/x`)"]))
def test_truncate_sentence_never_exceeds_the_limit(text, n, more):
    out = truncate_sentence(text, n, more)
    assert len(out) <= max(n, 0)
    if len(text) <= n:
        assert out == text


def test_templates_see_user_text_only_as_data(renderer, guidance):
    question = "{% for x in range(3) %}loop{% endfor %} {{ config }}"
    text = renderer.render_result(not_covered(guidance, question))
    assert question in text
    assert "looploop" not in text


def test_results_are_not_mutated(renderer, guidance):
    result = answer(guidance, "diaspora.overview", context=MOROCCO)
    before = replace(result)
    renderer.render_result(result)
    renderer.discord_result(result)
    assert result == before


def test_an_answer_repeats_a_long_question_only_briefly(renderer, engine):
    question = "How do we invest in diaspora umbrella networks? " * 2000
    text = renderer.render_result(engine.ask(question))
    assert len(text) < 5_000
    assert "How do we invest in diaspora umbrella networks?" in text
