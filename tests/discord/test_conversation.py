"""Questions outside slash commands: mentions, DMs, the message menu, and follow-ups."""

from __future__ import annotations

import discord
from sim_helpers import embed_text, labels

EMPLOYERS = "how do we keep employers on board in a talent partnership"


async def test_mention_is_answered_in_a_reply(env, channel, user):
    question = await user.send(channel, f"{env.bot.user.mention} {EMPLOYERS}")

    answer = channel.last_message
    assert answer.author.id == env.bot.user.id
    assert answer.reference.message_id == question.id
    assert answer.embeds[0].title == "Bridge the public and private sectors"
    assert "Helpful" in labels(answer)
    why = (await user.click(answer, label="Why this?")).response
    assert f"**Q:** {EMPLOYERS}" in why.embeds[0].description  # the mention is stripped


async def test_messages_not_addressed_to_the_bot_are_ignored(channel, user):
    await user.send(channel, EMPLOYERS)
    assert channel.last_message.author.id == user.id


async def test_direct_message_works_the_same_way(env, user):
    dana = env.create_user("dana")
    await dana.send_dm("who funds the MPF?")

    answer = dana.dm_channel.last_message
    assert answer.author.id == env.bot.user.id
    assert answer.embeds[0].title.startswith("Mobility Partnership Facility")
    # The DM is a conversation: a short follow-up continues it.
    await dana.send_dm("make that a checklist")
    assert (
        dana.dm_channel.last_message.embeds[0].title
        == "Checklist: Mobility Partnership Facility (MPF)"
    )


async def test_context_menu_answers_the_selected_message(channel, admin, user):
    message = await user.send(channel, "what are the five success factors?")

    result = await admin.context_menu(channel, "Ask Pact Advisor", message)
    assert not result.ephemeral
    assert result.response.embeds[0].title == "The five success factors for migration partnerships"
    assert "Checklist from this answer" in labels(result.response)


async def test_reply_follow_ups_continue_from_the_answer(channel, admin, user):
    answer = (await user.slash(channel, "ask", question=EMPLOYERS)).response

    await user.send(channel, "what about Morocco?", reply_to=answer.message)
    morocco = channel.last_message
    assert morocco.embeds[0].title == "Bridge the public and private sectors"
    assert "**For:** Morocco (partner)" in morocco.embeds[0].description
    assert "Morocco" in morocco.embeds[0].description.split("(partner)")[1]  # the advice

    # Replying to the follow-up's answer keeps the conversation (and its context) going.
    await admin.send(channel, "make that a checklist", reply_to=morocco)
    checklist = channel.last_message
    assert checklist.embeds[0].title == "Checklist: Bridge the public and private sectors"
    assert "**For:** Morocco (partner)" in checklist.embeds[0].description
    assert "Export" in labels(checklist)
    ticked = await user.click(checklist, label="1")
    assert "**1/" in ticked.response.embeds[0].description


async def restart(env, make_bot):
    """A new bot process on the same database."""
    old_bot = env.bot
    await env.restart_bot(make_bot())
    await old_bot.close()


async def test_a_reply_to_an_answer_given_before_a_restart_continues_it(
    env, channel, user, make_bot
):
    answer = (await user.slash(channel, "ask", question=EMPLOYERS)).response
    await restart(env, make_bot)

    await user.send(channel, "what about Morocco?", reply_to=answer.message)
    morocco = channel.last_message
    assert morocco.author.id == env.bot.user.id
    assert morocco.embeds[0].title == "Bridge the public and private sectors"
    assert "**For:** Morocco (partner)" in morocco.embeds[0].description
    assert "Morocco" in morocco.embeds[0].description.split("(partner)")[1]  # the advice


async def test_a_thread_conversation_continues_after_a_restart(env, channel, user, make_bot):
    parent = env.bot.get_channel(channel.id)
    await parent.create_thread(name="Morocco pilot", type=discord.ChannelType.public_thread)
    await env.settle()
    thread = channel.threads[0]
    await user.send(thread, f"{env.bot.user.mention} {EMPLOYERS}")
    await restart(env, make_bot)

    await user.send(thread, "what about Morocco?")
    answer = thread.last_message
    assert answer.author.id == env.bot.user.id
    assert answer.embeds[0].title == "Bridge the public and private sectors"
    assert "**For:** Morocco (partner)" in answer.embeds[0].description


async def test_tell_me_more_gives_the_detailed_answer(channel, user):
    answer = (await user.slash(channel, "ask", question=EMPLOYERS)).response
    await user.send(channel, "tell me more", reply_to=answer.message)
    fields = [f.name for f in channel.last_message.embeds[0].fields]
    assert "Checklist" in fields and "Why this matched" in fields


async def test_thread_messages_follow_up_the_answer_given_there(env, channel, user):
    parent = env.bot.get_channel(channel.id)
    await parent.create_thread(name="Morocco pilot", type=discord.ChannelType.public_thread)
    await env.settle()
    thread = channel.threads[0]

    await user.send(thread, f"{env.bot.user.mention} {EMPLOYERS}")
    assert thread.last_message.embeds[0].title == "Bridge the public and private sectors"
    # No mention, no reply: in a thread the bot answered in, it is part of the conversation.
    await user.send(thread, "what about Morocco?")
    assert "**For:** Morocco (partner)" in thread.last_message.embeds[0].description


async def test_a_failed_send_is_survived_and_the_next_question_answered(env, channel, user):
    env.inject_error("POST", "/channels/*/messages", status=500)
    await user.send(channel, f"{env.bot.user.mention} {EMPLOYERS}")
    assert channel.last_message.author.id == user.id  # the reply failed

    await user.send(channel, f"{env.bot.user.mention} what are the five success factors?")
    assert channel.last_message.author.id == env.bot.user.id
    assert "five success factors" in embed_text(channel.last_message)
