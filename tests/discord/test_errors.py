"""Failures end in a friendly private message, and the bot keeps serving."""

from __future__ import annotations

import discord
import simcord
from sim_helpers import labels

from pact_advisor.discord_bot.core.errors import UNEXPECTED

EMPLOYERS = "how do we keep employers on board in a talent partnership"


async def test_missing_permissions_when_posting_is_explained(env, channel, user):
    env.inject_error(
        "POST", "/interactions/*/*/callback", status=403, code=50013, message="Missing Permissions"
    )
    result = await user.slash(channel, "checklist", topic="three-i")
    assert result.ephemeral
    assert result.response.content.startswith("I can't post in this channel: I'm missing a")
    assert "Ask a server admin to allow me." in result.response.content
    simcord.assert_error(env, discord.Forbidden)


async def test_a_failed_answer_is_reported_and_the_next_question_answered(env, channel, user):
    env.inject_error("POST", "/interactions/*/*/callback", status=500)
    failed = await user.slash(channel, "ask", question=EMPLOYERS)
    assert failed.ephemeral and failed.response.content == UNEXPECTED  # same words as the template
    simcord.assert_error(env, discord.HTTPException)

    again = await user.slash(channel, "ask", question=EMPLOYERS)
    assert again.response.embeds[0].title == "Bridge the public and private sectors"


async def test_a_failing_button_still_answers_and_the_next_click_works(env, channel, admin, user):
    message = (await user.slash(channel, "checklist", topic="diaspora.umbrella-networks")).response
    env.inject_error("POST", "/interactions/*/*/callback", status=500)

    failed = await user.click(message, label="1")
    assert failed.ephemeral and failed.response.content == UNEXPECTED
    # The tick was saved before the edit failed: the next view of the checklist shows it.
    shown = await admin.click(message, label="2")
    assert "**2/3 done**" in shown.response.embeds[0].description
    assert labels(shown.response)[:3] == ["✓ 1", "✓ 2", "3"]
