"""The Discord target: answers, items, checklists, reports and short texts as Discord messages,
always within Discord's limits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from render_helpers import HUGE, MOROCCO, all_text, answer, clean, fits, not_covered

from pact_advisor.checklists import build_checklist
from pact_advisor.engine import Context
from pact_advisor.render import (
    LIMITS,
    DiscordMessage,
    EmbedSpec,
    FieldSpec,
    UnknownItem,
    discord_escape,
    fit,
)
from pact_advisor.store import FeedbackRecord, ItemCounts, Report, UnansweredQuestion


@pytest.mark.parametrize("level", ["high", "medium", "low"])
def test_confidence_is_a_field_of_more(renderer, guidance, level):
    message = renderer.discord_more(answer(guidance, "diaspora.overview", confidence=level))
    confidence = next(f for f in message.embeds[0].fields if f.name == "Confidence")
    assert confidence.value.lower().startswith(level)


def test_not_covered_lists_did_you_mean(show, guidance):
    result = not_covered(guidance, "something odd", ["diaspora.recognition", "three-i.ideas"])
    embed = show.message(result).embeds[0]
    did_you_mean = next(f for f in embed.fields if f.name == "Did you mean")
    assert "Promote and recognise the work of diaspora" in did_you_mean.value


def test_not_covered_without_suggestions_points_to_the_guidance_command(show, guidance):
    embed = show.message(not_covered(guidance, "blorp")).embeds[0]
    assert "`/guidance` to see what the guidance covers" in embed.description


def test_ambiguous_asks_which_one_with_two_inline_candidates(show, guidance):
    result = answer(guidance, "programmes.mpf", ambiguous=True, confidence="low")
    first, second = result.matches[0], result.matches[1]
    embed = show.message(result).embeds[0]
    assert embed.title == "Which one did you mean?"
    candidates = [f for f in embed.fields if f.inline]
    assert [f.name for f in candidates] == [
        f"1. {discord_escape(first.title)}",
        f"2. {discord_escape(second.title)}",
    ]


def test_programme_titles_are_not_over_escaped(renderer, guidance):
    message = renderer.discord_item("programmes.mpf")
    assert message.embeds[0].title == guidance.items["programmes.mpf"].title
    assert "\\(" not in all_text(message)


def test_ticker_names_are_escaped(renderer, guidance):
    checklist = build_checklist(guidance, "diaspora.overview")
    message = renderer.discord_checklist(checklist, {0: "@everyone **Ana**"})
    shown = all_text(message)
    assert "ticked by @\u200beveryone \\*\\*Ana\\*\\*" in shown


def test_discord_answer_parts(show, guidance):
    item = guidance.items["success-factors.shared-interests"]
    message = show.message(answer(guidance, item.id, "common ground?", MOROCCO))
    fits(message)
    (embed,) = message.embeds
    assert embed.title == item.title
    assert "common ground?" not in embed.description  # short: "Why this?" shows the question
    for_line = "**For:** Morocco (partner) · agriculture (sector) · THAMM (programme)"
    assert for_line in embed.description
    assert "map what the EU side, Morocco and other stakeholders each want" in embed.description
    source = next(f for f in embed.fields if f.name == "Source")
    assert source.value.startswith("> “Sufficient shared interests")
    assert "— MPF · 2018 independent evaluation" in source.value
    assert embed.footer.startswith("guidance ")
    assert [f.name for f in embed.fields] == ["Source"]
    assert message.total_chars() < 700


def test_more_and_why_this_show_the_rest_and_the_reasons(renderer, guidance):
    result = answer(guidance, "success-factors.shared-interests", "common ground?", MOROCCO)
    more = renderer.discord_more(result, context_note="channel")
    fits(more)
    names = [f.name for f in more.embeds[0].fields]
    assert names[:2] == ["Checklist", "Source"] and "Confidence" in names
    assert "**For Morocco · agriculture · THAMM**, this channel's context" in (
        more.embeds[0].description
    )
    why = renderer.discord_why(result)
    fits(why)
    assert why.embeds[0].description.startswith("**Q:** common ground?")
    fields = {f.name: f.value for f in why.embeds[0].fields}
    assert fields["Guidance version"] == f"`{guidance.version}`"


def test_every_item_fits_discord_with_and_without_context(show, renderer, guidance):
    for item in guidance.items.values():
        for context in (None, MOROCCO, Context(partner=HUGE, sector=HUGE, programme=HUGE)):
            for message in (
                renderer.discord_item(item.id, context),
                show.message(answer(guidance, item.id, context=context)),
                show.message(answer(guidance, item.id, context=context), detail=True),
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


def test_a_long_question_fits_discord(show, guidance):
    question = "What should we do? " * 600
    for result in (
        answer(guidance, "diaspora.overview", question),
        not_covered(guidance, question, ["diaspora.overview"]),
        answer(guidance, "diaspora.overview", question, ambiguous=True),
        answer(guidance, "diaspora.overview", question, intent="checklist"),
    ):
        message = show.message(result)
        fits(message)
        embed = message.embeds[0]
        if result.intent == "checklist":
            assert embed.title == "Checklist: " + guidance.items["diaspora.overview"].title
        elif not result.ambiguous and result.answered:
            assert "What should we do?" not in embed.description  # a short answer
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
