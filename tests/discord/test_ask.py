"""/ask and its buttons, as a member sees them."""

from __future__ import annotations

import simcord
from discord import app_commands
from sim_helpers import embed_text, labels, requests

EMPLOYERS = "how do we keep employers on board in a talent partnership"


async def test_ask_answers_with_advice_citation_and_buttons(channel, user):
    result = await user.slash(channel, "ask", question=EMPLOYERS)

    assert result.acknowledged and not result.ephemeral
    answer = result.response
    embed = answer.embeds[0]
    assert embed.title == "Bridge the public and private sectors"
    assert f"**Q:** {EMPLOYERS}" in embed.description
    assert "**What to do:**" in embed.description
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Source"].startswith("> “") and "— MPF" in fields["Source"]
    assert "talent-partnerships.overview" in fields["Related"]
    assert labels(answer) == ["Checklist from this answer", "Helpful", "Not helpful", "Related"]
    assert channel.last_message.id == answer.id  # public: everyone in the channel sees it


async def test_helpful_and_not_helpful_are_recorded_for_the_report(channel, admin, user):
    answer = (await user.slash(channel, "ask", question=EMPLOYERS)).response

    thanks = await user.click(answer, label="Helpful")
    assert thanks.ephemeral and "Thanks" in thanks.response.content
    again = await user.click(answer, label="Not helpful")
    assert again.ephemeral and "already rated" in again.response.content
    noted = await admin.click(answer, label="Not helpful")
    assert noted.ephemeral and "noted" in noted.response.content

    report = (await admin.slash(channel, "advisor report", since="2026-01-01")).response
    text = embed_text(report)
    assert f"`talent-partnerships.public-private` “{EMPLOYERS}”" in text
    assert "`talent-partnerships.public-private` 👍 1 · 👎 1" in text


async def test_a_vote_after_a_restart_records_the_question_asked(
    env, channel, admin, user, make_bot
):
    answer = (await user.slash(channel, "ask", question=EMPLOYERS)).response
    old_bot = env.bot
    await env.restart_bot(make_bot())
    await old_bot.close()

    noted = await user.click(answer, label="Not helpful")
    assert noted.ephemeral and "noted" in noted.response.content
    report = embed_text((await admin.slash(channel, "advisor report")).response)
    assert f"`talent-partnerships.public-private` “{EMPLOYERS}”" in report


async def test_related_shows_related_items_privately(channel, user):
    answer = (await user.slash(channel, "ask", question=EMPLOYERS)).response

    related = await user.click(answer, label="Related")
    assert related.ephemeral
    assert (
        related.response.content
        == "Related to **Bridge the public and private sectors**: pick one to open it."
    )
    assert labels(related.response) == [
        "Six critical aspects for Talent Partnerships",
        "Involve a wide range of actors from origin and destination",
        "Governance structures that arbitrate interests",
    ]
    opened = await user.click(
        related.response, label="Governance structures that arbitrate interests"
    )
    assert opened.response.embeds[0].title == "Governance structures that arbitrate interests"


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
    assert not picked.ephemeral
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
    assert "@everyone" not in answer.embeds[0].description  # escaped: shown, not a ping
    assert "@\u200beveryone" in answer.embeds[0].description

    await user.send(channel, f"{env.bot.user.mention} @everyone what is the 3I approach?")
    post = requests(env, "POST", f"/channels/{channel.id}/messages")[-1]
    assert post.json["allowed_mentions"]["parse"] == []
    assert channel.last_message.mention_everyone is False


async def test_markdown_in_a_question_is_shown_literally(channel, user):
    answer = (
        await user.slash(channel, "ask", question="**diaspora** `umbrella` networks")
    ).response
    assert r"**Q:** \*\*diaspora\*\* \`umbrella\` networks" in answer.embeds[0].description


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


async def test_an_ambiguous_answer_offers_both_candidates(channel, user, engine):
    close = close_calls(engine)
    assert close, "no question naming two points is a close call"
    first, second = close[0].matches[:2]
    answer = (await user.slash(channel, "ask", question=close[0].question)).response
    assert answer.embeds[0].title == "Which one did you mean?"
    assert labels(answer) == [
        "Checklist from this answer",
        "Helpful",
        "Not helpful",
        "Related",
        f"1. {first.title}",
        f"2. {second.title}",
    ]
    picked = await user.click(answer, label=f"2. {second.title}")
    assert picked.response.embeds[0].title == second.title
    assert second.id in picked.response.embeds[0].footer.text


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
