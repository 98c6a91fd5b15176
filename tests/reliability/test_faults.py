"""Faults from Discord and from the files the bot depends on. In each case the member gets a
clear answer, the bot keeps serving, and nothing stored is lost or half-written.

Already covered elsewhere, not repeated here: a 500 on the callback of /ask and of a tick,
and an injected 403 on /checklist (tests/discord/test_errors.py); a failed reply to a
mention (test_conversation.py); a tick while another program holds the write lock
(test_checklist.py); a reload with a duplicate id and a YAML syntax error (test_admin.py).
"""

from __future__ import annotations

import logging
import sqlite3

import discord
import pytest
import simcord
from sim_helpers import embed_text, gate_done, labels, reload_shown

from benchmarks.observe import integrity, shown_progress, stored_ticks
from pact_advisor.discord_bot.core.errors import UNEXPECTED

UMBRELLA = "diaspora.umbrella-networks"
EMPLOYERS = "how do we keep employers on board in a talent partnership"
EMPLOYERS_TITLE = "Bridge the public and private sectors"
NOT_SAVED = "That was not saved: could not save: the database is "


async def post_checklist(member, channel, topic=UMBRELLA):
    return (await member.slash(channel, "checklist", topic=topic)).response


# --------------------------------------------------------------------------------------------
# Discord failing
# --------------------------------------------------------------------------------------------


async def test_a_followup_that_fails_is_reported_and_reload_keeps_working(env, channel, admin):
    # /advisor reload defers, then answers with a follow-up message (a webhook POST).
    env.inject_error("POST", "/webhooks/*/*", status=500)
    failed = await admin.slash(channel, "advisor reload")
    await gate_done(env)
    assert failed.ephemeral and failed.response.content == UNEXPECTED

    again = await reload_shown(env, admin, channel)
    assert "passed the quality gate" in again.content
    served = await admin.click(again, label="Serve the new guidance")
    assert served.response.content.startswith("Reloaded: guidance ")


async def test_a_checklist_whose_message_cannot_be_fetched_still_works(
    env, channel, user, admin, db_path
):
    # Posting succeeds, but fetching the posted message (to record its id) fails.
    env.inject_error("GET", "/webhooks/*/*/messages/@original", status=500)
    result = await user.slash(channel, "checklist", topic=UMBRELLA)
    assert result.followups and result.followups[-1].content == UNEXPECTED
    simcord.assert_error(env, discord.HTTPException)

    # The run was saved before posting and its buttons carry its id: the team can use it.
    message = result.response
    ticked = await admin.click(message, label="2")
    assert shown_progress(ticked.response) == (1, 3)
    assert list(stored_ticks(db_path).values()) == [{1: "Ana"}]


async def test_missing_permissions_on_a_tick_is_explained_and_the_tick_kept(
    env, channel, user, admin, db_path
):
    message = await post_checklist(user, channel)
    env.inject_error(
        "POST", "/interactions/*/*/callback", status=403, code=50013, message="Missing Permissions"
    )
    refused = await admin.click(message, label="1")
    assert refused.ephemeral
    assert refused.response.content.startswith("I can't post in this channel")
    # Saved first: the tick is stored, and the next edit shows it.
    assert list(stored_ticks(db_path).values()) == [{0: "Ana"}]
    shown = await user.click(message, label="3")
    assert shown_progress(shown.response) == (2, 3)


async def test_a_channel_the_bot_cannot_write_in(env, guild, channel, user, caplog):
    read_only = guild.create_text_channel(
        "announcements",
        overwrites={guild.roles["TestBot"]: discord.PermissionOverwrite(send_messages=False)},
    )
    # A mention there: Discord refuses the reply (a real 403 from the simulator). There is no
    # interaction to answer privately, so the bot logs it and carries on.
    with caplog.at_level(logging.WARNING, logger="pact_advisor.discord_bot"):
        await user.send(read_only, f"{env.bot.user.mention} {EMPLOYERS}")
    assert read_only.last_message.author.id == user.id
    assert f"cannot reply in channel {read_only.id}" in caplog.text
    assert env.errors == []

    # Slash commands answer through the interaction, which Discord allows in that channel.
    answer = await user.slash(read_only, "ask", question=EMPLOYERS)
    assert answer.response.embeds[0].title == EMPLOYERS_TITLE
    await user.send(channel, f"{env.bot.user.mention} {EMPLOYERS}")
    assert channel.last_message.author.id == env.bot.user.id


# --------------------------------------------------------------------------------------------
# Guidance files broken while the bot is serving
# --------------------------------------------------------------------------------------------

CORRUPTIONS = {
    "binary garbage": b"\x00\xff\xfe\x80 not text \x00" * 50,
    "truncated mid-file": None,  # the first 60% of a real file
    "empty file": b"",
    "wrong shape": b"- just\n- a\n- list\n",
}


@pytest.mark.parametrize("kind", CORRUPTIONS)
async def test_a_corrupt_guidance_file_during_traffic_keeps_the_previous_version(
    env, channel, admin, user, make_bot, guidance_copy, db_path, kind
):
    old_bot = env.bot
    await env.restart_bot(make_bot(guidance_dir=guidance_copy))
    await old_bot.close()
    version = env.bot.services.advisor.version

    before = (await user.slash(channel, "ask", question=EMPLOYERS)).response
    message = await post_checklist(user, channel)
    await admin.click(message, label="1")

    path = guidance_copy / "diaspora.yaml"
    original = path.read_bytes()
    corrupt = CORRUPTIONS[kind]
    path.write_bytes(original[: len(original) * 6 // 10] if corrupt is None else corrupt)

    failed = await reload_shown(env, admin, channel)
    assert failed.embeds[0].title == "Reload failed: nothing changed"
    assert "diaspora.yaml" in failed.embeds[0].description
    assert f"Still serving guidance {version}" in failed.embeds[0].footer.text

    # Traffic continues from the previous version, including the items of the broken file.
    after = (await user.slash(channel, "ask", question=EMPLOYERS)).response
    assert after.embeds[0].title == before.embeds[0].title
    assert after.embeds[0].footer.text == before.embeds[0].footer.text
    umbrella = (await user.slash(channel, "ask", question="diaspora umbrella networks")).response
    assert f"guidance {version}" in umbrella.embeds[0].footer.text
    ticked = await user.click(message, label="2")
    assert shown_progress(ticked.response) == (2, 3)
    exported = await user.click(message, label="Export")
    assert b"- [x] Map existing" in await exported.response.attachments[0].read()
    assert (await post_checklist(admin, channel, "diaspora")).embeds[0].title

    # Once the file is fixed, a reload succeeds; nothing stored was touched.
    path.write_bytes(original)
    fixed = await reload_shown(env, admin, channel)
    served = await admin.click(fixed, label="Serve the new guidance")
    assert served.response.content.startswith("Reloaded: guidance ")
    assert list(stored_ticks(db_path).values()) == [{0: "Ana", 1: "Bob"}]


# --------------------------------------------------------------------------------------------
# The database refusing writes while the bot runs
# --------------------------------------------------------------------------------------------


def _lock(db_path):
    """Another program holds the write lock (the bot waits db_timeout, then gives up)."""
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")

    def release():
        other.execute("ROLLBACK")
        other.close()

    return release


def _read_only(env):
    """SQLite refuses every write on the bot's own connection (as on a read-only file; as
    root, file permissions would not stop the test process)."""
    conn = env.bot.services.store.sync._connection()
    conn.execute("PRAGMA query_only = ON")
    return lambda: conn.execute("PRAGMA query_only = OFF")


@pytest.mark.parametrize(("how", "reason"), [("locked", "locked"), ("read-only", "read-only")])
async def test_writes_refused_at_run_time_are_never_shown_as_done(
    env, channel, admin, user, db_path, how, reason
):
    message = await post_checklist(user, channel)
    await admin.click(message, label="1")
    answer = (await user.slash(channel, "ask", question=EMPLOYERS)).response
    posted = len(channel.history())

    restore = _lock(db_path) if how == "locked" else _read_only(env)
    try:
        tick = await user.click(message, label="2")
        untick = await user.click(message, label="✓ 1")
        vote = await user.click(answer, label="Helpful")
        new = await user.slash(channel, "checklist", topic="three-i")
        # Reading still works: exports, and answers (an unanswered question just goes unlogged).
        exported = await user.click(message, label="Export")
        asked = await user.slash(channel, "ask", question=EMPLOYERS)
        not_covered = await user.slash(channel, "ask", question="how do I bake bread in Paris")
    finally:
        restore()

    for refused in (tick, untick, vote, new):
        assert refused.ephemeral
        assert refused.response.content.startswith(NOT_SAVED + reason), refused.response.content
    assert len(channel.history()) == posted + 1  # only the answer; no checklist was posted
    simcord.assert_error(env, Exception, contains=reason)
    # The message still shows what is stored: step 1 ticked by Ana, step 2 not.
    assert shown_progress(message) == (1, 3) and labels(message)[:3] == ["✓ 1", "2", "3"]
    assert b"- [x] Map existing" in await exported.response.attachments[0].read()
    assert asked.response.embeds[0].title == EMPLOYERS_TITLE
    assert not_covered.ephemeral
    assert embed_text(not_covered.response)

    # Writable again: the same clicks now work, and the database is sound.
    assert shown_progress((await user.click(message, label="2")).response) == (2, 3)
    assert "Thanks" in (await user.click(answer, label="Helpful")).response.content
    assert list(stored_ticks(db_path).values()) == [{0: "Ana", 1: "Bob"}]
    assert integrity(db_path) == "ok"
