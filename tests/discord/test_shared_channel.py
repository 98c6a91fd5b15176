"""A bot many people share: personal data kept out of the store, a DM when it may not post,
one rate limit for every way of asking, and threads opened from an answer."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import discord
import simcord
from discord import app_commands
from sim_helpers import labels

EMPLOYERS = "how do we keep employers on board in a talent partnership"
EMPLOYERS_TITLE = "Bridge the public and private sectors"
EMAIL = "amina.benali@example.org"


def stored_bytes(tmp_path: Path) -> bytes:
    """Every byte of the database and its journal files."""
    return b"".join(p.read_bytes() for p in tmp_path.glob("advisor.db*"))


async def test_a_question_with_an_email_address_is_answered_and_leaves_no_text(
    env, channel, user, tmp_path
):
    question = f"{EMPLOYERS}? my contact is {EMAIL}"
    result = await user.slash(channel, "ask", question=question)

    assert result.response.embeds[0].title == EMPLOYERS_TITLE  # still answered
    (reminder,) = result.followups
    assert reminder.ephemeral and "personal data" in reminder.content
    # Feedback on it keeps no question either.
    await user.click(result.response, label="Helpful")

    db = sqlite3.connect(tmp_path / "advisor.db")
    turns = db.execute("SELECT question FROM turns").fetchall()
    votes = db.execute("SELECT question FROM feedback").fetchall()
    db.close()
    assert turns == [(None,)] and votes == [(None,)]  # only that it was asked
    assert EMAIL.encode() not in stored_bytes(tmp_path)
    assert b"my contact is" not in stored_bytes(tmp_path)


async def test_a_mention_with_a_phone_number_gets_a_private_reminder(env, channel, user):
    await user.send(channel, f"{env.bot.user.mention} {EMPLOYERS}, I am on 0612345678")
    answer = channel.last_message
    assert answer.embeds[0].title == EMPLOYERS_TITLE
    assert "personal data" in user.user.dm_channel.last_message.content
    assert "0612345678" not in (answer.content or "")


async def test_a_mention_where_the_bot_cannot_post_gets_a_dm(env, guild, user):
    read_only = guild.create_text_channel(
        "announcements",
        overwrites={guild.roles["TestBot"]: discord.PermissionOverwrite(send_messages=False)},
    )
    await user.send(read_only, f"{env.bot.user.mention} {EMPLOYERS}")

    assert read_only.last_message.author.id == user.id  # no answer there
    dm = user.user.dm_channel.last_message
    assert dm.author.id == env.bot.user.id
    assert "#announcements" in dm.content and "Send Messages" in dm.content
    assert env.errors == []


async def test_mentions_share_the_ask_rate_limit(env, channel, user):
    for _ in range(5):
        await user.send(channel, f"{env.bot.user.mention} {EMPLOYERS}")
    answers = [m for m in channel.history() if m.author.id == env.bot.user.id]
    assert len(answers) == 5

    await user.send(channel, f"{env.bot.user.mention} {EMPLOYERS}")
    await user.send(channel, f"{env.bot.user.mention} {EMPLOYERS}")
    answers = [m for m in channel.history() if m.author.id == env.bot.user.id]
    assert len(answers) == 5  # seven mentions, five public answers
    slow = await user.slash(channel, "ask", question=EMPLOYERS)  # and /ask counts them
    assert slow.ephemeral and "asking quickly" in slow.response.content
    simcord.assert_error(env, app_commands.CommandOnCooldown)

    await env.advance_time(31)
    await user.send(channel, f"{env.bot.user.mention} {EMPLOYERS}")
    assert channel.last_message.author.id == env.bot.user.id


async def test_a_thread_opened_from_an_answer_continues_it(env, channel, user):
    answer = (await user.slash(channel, "ask", question=EMPLOYERS)).response
    # Discord's "Create Thread" on the answer message.
    message = env.bot.get_channel(channel.id).get_partial_message(answer.id)
    await message.create_thread(name="Employers")
    await env.settle()
    thread = channel.threads[-1]

    await user.send(thread, "what about Morocco?")
    followup = thread.last_message
    assert followup.author.id == env.bot.user.id
    assert followup.embeds[0].title == EMPLOYERS_TITLE
    assert "**For:** Morocco (partner)" in followup.embeds[0].description
    await user.send(thread, f"{env.bot.user.mention} make that a checklist")
    checklist = thread.last_message
    assert checklist.embeds[0].title == f"Checklist: {EMPLOYERS_TITLE}"
    assert "Export" in labels(checklist)


async def test_with_dms_closed_too_the_bot_only_logs(env, guild, user, caplog):
    read_only = guild.create_text_channel(
        "announcements",
        overwrites={guild.roles["TestBot"]: discord.PermissionOverwrite(send_messages=False)},
    )
    env.inject_error("POST", "/users/@me/channels", status=403)  # Discord refuses the DM
    with caplog.at_level(logging.WARNING, logger="pact_advisor.discord_bot"):
        await user.send(read_only, f"{env.bot.user.mention} {EMPLOYERS}")
    assert read_only.last_message.author.id == user.id
    assert f"cannot reply in channel {read_only.id}" in caplog.text
    assert f"could not DM member {user.id}" in caplog.text
    assert env.errors == []
