"""/ask and its buttons, as a member sees them."""

from __future__ import annotations

import re

import simcord
from discord import app_commands
from sim_helpers import components, embed_text, labels, requests

EMPLOYERS = "how do we keep employers on board in a talent partnership"


ANSWER_BUTTONS = ["Checklist from this answer", "Helpful", "Not helpful", "More", "Why this?"]
RELATED_TITLES = [
    "Six critical aspects for Talent Partnerships",
    "Involve a wide range of actors from origin and destination",
    "Governance structures that arbitrate interests",
]


def selects(message) -> list[dict]:
    return [c for c in components(message) if c.get("type") == 3]


def shown_chars(message) -> int:
    """The characters Discord counts in a message's embeds (title, description, fields,
    footer)."""
    return sum(
        len(e.title or "")
        + len(e.description or "")
        + sum(len(f.name) + len(f.value) for f in e.fields)
        + len(e.footer.text or "" if e.footer else "")
        for e in message.embeds
    )


async def test_ask_answers_briefly_with_advice_quote_and_controls(channel, user):
    result = await user.slash(channel, "ask", question=EMPLOYERS)

    assert result.acknowledged and not result.ephemeral
    answer = result.response
    embed = answer.embeds[0]
    assert embed.title == "Bridge the public and private sectors"
    assert shown_chars(answer) < 700
    assert [f.name for f in embed.fields] == ["Source"]  # advice in the description, the quote
    assert embed.fields[0].value.startswith("> “") and "— MPF" in embed.fields[0].value
    assert "Confidence" not in embed_text(answer) and "Related" not in embed_text(answer)
    assert labels(answer) == ANSWER_BUTTONS
    (related,) = selects(answer)  # related items: one select, no list and no button
    assert [o["label"] for o in related["options"]] == RELATED_TITLES
    assert channel.last_message.id == answer.id  # public: everyone in the channel sees it


async def test_more_shows_the_rest_of_the_answer_privately(channel, user):
    answer = (await user.slash(channel, "ask", question=EMPLOYERS)).response

    more = await user.click(answer, label="More")
    assert more.ephemeral
    fields = {f.name: f.value for f in more.response.embeds[0].fields}
    assert {"Checklist", "Source", "Related", "Confidence"} <= set(fields)
    assert "**What to do:**" in more.response.embeds[0].description
    assert channel.last_message.id == answer.id  # nothing new in the channel


async def test_why_this_explains_the_match_privately(channel, user):
    answer = (await user.slash(channel, "ask", question=EMPLOYERS)).response

    why = await user.click(answer, label="Why this?")
    assert why.ephemeral
    embed = why.response.embeds[0]
    assert embed.title == "Why this answer: Bridge the public and private sectors"
    assert f"**Q:** {EMPLOYERS}" in embed.description
    assert "• " in embed.description  # the engine's reasons, one per line
    fields = {f.name: f.value for f in embed.fields}
    shown = re.search(r"guidance (\w+)", answer.embeds[0].footer.text).group(1)
    assert fields["Guidance version"] == f"`{shown}`"
    assert channel.last_message.id == answer.id


async def test_a_related_item_opens_privately_without_internal_fields(channel, user):
    answer = (await user.slash(channel, "ask", question=EMPLOYERS)).response
    (related,) = selects(answer)

    opened = await user.select(
        answer, ["talent-partnerships.governance-structures"], custom_id=related["custom_id"]
    )
    assert opened.ephemeral
    item = opened.response
    assert item.embeds[0].title == "Governance structures that arbitrate interests"
    names = [f.name for f in item.embeds[0].fields]
    assert "Keywords" not in names and "Example questions" not in names
    assert "Helpful" in labels(item)


async def rate(user, answer, reason: str, note: str = ""):
    shown = await user.click(answer, label="Not helpful")
    assert shown.modal is not None  # one step: the reasons and an optional text at once
    values = {"reason": [reason], **({"note": note} if note else {})}
    return await user.submit_modal(shown, values)


async def test_one_vote_per_member_changeable_and_kept_after_a_restart(
    env, channel, admin, user, make_bot
):
    answer = (await user.slash(channel, "ask", question=EMPLOYERS)).response

    thanks = await user.click(answer, label="Helpful")
    assert thanks.ephemeral and "Thanks" in thanks.response.content
    again = await user.click(answer, label="Helpful")
    assert "already marked this answer helpful" in again.response.content
    changed = await rate(user, answer, "too-general", "needs the visa steps")
    assert changed.ephemeral and changed.response.content.startswith("Vote changed")

    old_bot = env.bot
    await env.restart_bot(make_bot())
    await old_bot.close()
    kept = await user.click(answer, label="Helpful")
    assert kept.response.content.startswith("Vote changed")  # it knew the earlier vote
    await rate(admin, answer, "out-of-date")

    report = embed_text((await admin.slash(channel, "advisor report")).response)
    # Bob's three clicks are one vote (helpful again), Ana's is another.
    assert "`talent-partnerships.public-private` 👍 1 · 👎 1 (Out of date 1)" in report
    assert f"`talent-partnerships.public-private` “{EMPLOYERS}” · Out of date" in report


async def test_a_not_helpful_reason_and_text_appear_in_the_report(channel, admin, user):
    answer = (await user.slash(channel, "ask", question=EMPLOYERS)).response
    noted = await rate(user, answer, "missing", "nothing on visa costs")
    assert noted.ephemeral and "noted" in noted.response.content

    report = embed_text((await admin.slash(channel, "advisor report")).response)
    assert "· Missing something: “nothing on visa costs”" in report
    assert "👍 0 · 👎 1 (Missing something 1)" in report


async def test_checklist_from_an_answer(channel, user):
    answer = (await user.slash(channel, "ask", question=EMPLOYERS)).response

    made = await user.click(answer, label="Checklist from this answer")
    checklist = made.response
    assert not made.ephemeral and checklist.id != answer.id
    assert checklist.embeds[0].title == "Checklist: Bridge the public and private sectors"
    assert "**0/" in checklist.embeds[0].description
    assert "Export" in labels(checklist)


async def test_not_covered_is_private_with_did_you_mean_buttons(channel, admin, user):
    result = await user.slash(channel, "ask", question="how do I bake bread with diaspora")

    assert result.ephemeral
    reply = result.response
    assert reply.embeds[0].title == "Not covered by the guidance"
    assert channel.last_message is None  # nobody else sees it
    suggestions = labels(reply)
    assert len(suggestions) == 3

    picked = await user.click(reply, label=suggestions[0])
    answer = picked.response
    assert picked.ephemeral  # the private answer's "did you mean" stays private
    assert channel.last_message is None
    assert answer.embeds[0].title == suggestions[0]
    assert "Helpful" in labels(answer)

    report = embed_text((await admin.slash(channel, "advisor report")).response)
    assert "“how do I bake bread with diaspora”" in report


async def test_cooldown_then_reset_after_waiting(env, channel, admin, user):
    for _ in range(5):
        assert not (await user.slash(channel, "ask", question="diaspora")).ephemeral

    slow = await user.slash(channel, "ask", question="diaspora")
    assert slow.ephemeral
    assert slow.response.content == (
        "You're asking quickly (5 questions per 30 seconds). Please try again in 30 seconds."
    )
    simcord.assert_error(env, app_commands.CommandOnCooldown)
    # Someone else is not slowed down.
    assert not (await admin.slash(channel, "ask", question="diaspora")).ephemeral

    await env.advance_time(31)
    assert not (await user.slash(channel, "ask", question="diaspora")).ephemeral


async def test_everyone_in_a_question_pings_nobody(env, channel, admin, user):
    await user.slash(channel, "ask", question=f"@everyone {admin.mention} what is the 3I approach?")

    callback = requests(env, "POST", "/callback")[-1]
    assert callback.json["data"]["allowed_mentions"]["parse"] == []
    answer = channel.last_message
    assert "@everyone" not in embed_text(answer)
    why = (await user.click(answer, label="Why this?")).response
    assert why.embeds[0].title.startswith("Why this answer: ") and "3I" in why.embeds[0].title

    await user.send(channel, f"{env.bot.user.mention} @everyone what is the 3I approach?")
    post = requests(env, "POST", f"/channels/{channel.id}/messages")[-1]
    assert post.json["allowed_mentions"]["parse"] == []
    assert channel.last_message.mention_everyone is False


async def test_markdown_in_a_question_is_shown_literally(channel, user):
    answer = (
        await user.slash(channel, "ask", question="**diaspora** `umbrella` networks")
    ).response
    why = (await user.click(answer, label="Why this?")).response
    assert r"**Q:** \*\*diaspora\*\* \`umbrella\` networks" in why.embeds[0].description


def close_calls(engine) -> list:
    """Questions naming two points of one collection at once; some are too close to call."""
    guidance = engine.guidance
    questions = [
        f"{a.title.lower()} or {b.title.lower()}?"
        for collection in guidance.collections
        for a in guidance.items_in(collection)
        for b in guidance.items_in(collection)
        if a.id < b.id
    ]
    return [r for r in engine.ask_many(questions) if r.answered and r.ambiguous]


async def test_an_ambiguous_answer_offers_one_button_per_candidate(channel, admin, user, engine):
    close = close_calls(engine)
    assert close, "no question naming two points is a close call"
    first, second = close[0].matches[:2]
    answer = (await user.slash(channel, "ask", question=close[0].question)).response
    assert answer.embeds[0].title == "Which one did you mean?"
    # No feedback or checklist buttons that would silently act on the first candidate.
    assert labels(answer) == [f"1. {first.title}", f"2. {second.title}"]

    picked = await user.click(answer, label=f"2. {second.title}")
    assert picked.ephemeral
    assert picked.response.embeds[0].title == second.title
    assert labels(picked.response) == ANSWER_BUTTONS
    await user.click(picked.response, label="Helpful")
    made = await user.click(picked.response, label="Checklist from this answer")
    assert made.response.embeds[0].title.startswith("Checklist: ")
    assert second.title in made.response.embeds[0].title

    report = embed_text((await admin.slash(channel, "advisor report")).response)
    assert f"`{second.id}` 👍 1 · 👎 0" in report
    assert f"`{first.id}`" not in report


async def test_asking_for_a_checklist_posts_an_interactive_one(channel, user):
    result = await user.slash(
        channel, "ask", question="give me a checklist for diaspora umbrella networks"
    )
    checklist = result.response
    assert not result.ephemeral
    assert checklist.embeds[0].title.startswith("Checklist: ")
    assert "**0/" in checklist.embeds[0].description
    assert labels(checklist)[0] == "1" and labels(checklist)[-2:] == ["Export", "Manage"]
    ticked = await user.click(checklist, label="1")
    assert "**1/" in ticked.response.embeds[0].description


async def test_greetings_get_the_help_without_buttons(channel, user):
    result = await user.slash(channel, "ask", question="hello")
    assert not result.ephemeral
    assert result.response.embeds[0].title == "Pact Advisor"
    assert labels(result.response) == []
