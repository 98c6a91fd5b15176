"""Without the privileged Message Content intent: slash commands keep working."""

from __future__ import annotations

import logging

import discord
import pytest


@pytest.fixture
def bot_options():
    return {"settings_changes": {"message_content": False}}


@pytest.mark.simcord(approved_intents=discord.Intents.default())
async def test_slash_commands_work_and_a_warning_explains_mentions(env, channel, user, caplog):
    setup_log = "\n".join(r.getMessage() for r in caplog.get_records("setup"))
    assert "Message Content intent is off" in setup_log
    assert "mention questions need it" in setup_log

    answer = (await user.slash(channel, "ask", question="what is the 3I approach?")).response
    assert answer.embeds[0].title
    # Mentions still carry their text (Discord exempts them), so they are answered too.
    await user.send(channel, f"{env.bot.user.mention} what is the 3I approach?")
    assert channel.last_message.author.id == env.bot.user.id
    assert channel.last_message.embeds[0].title == answer.embeds[0].title


@pytest.fixture(autouse=True)
def _capture_warnings(caplog):
    caplog.set_level(logging.WARNING, logger="pact_advisor.discord_bot")
