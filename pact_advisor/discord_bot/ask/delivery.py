"""Posting an answer to a message, and telling the member privately when it cannot be.

A mention or reply in a channel where the bot may not post has no interaction to answer on:
the member gets a DM naming the channel and the missing permission. When their DMs are closed
too, the bot can only log it.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from pact_advisor.discord_bot.core.adapter import NO_MENTIONS
from pact_advisor.discord_bot.core.services import Services

log = logging.getLogger(__name__)

#: What the bot needs to reply with an answer, by the names Discord shows them under.
NEEDED = (
    ("view_channel", "View Channel"),
    ("send_messages", "Send Messages"),
    ("send_messages_in_threads", "Send Messages in Threads"),
    ("embed_links", "Embed Links"),
    ("read_message_history", "Read Message History"),
)


def missing_permissions(channel: Any) -> list[str]:
    """The permissions the bot lacks in ``channel`` to reply there (by their Discord names)."""
    guild = getattr(channel, "guild", None)
    if guild is None or guild.me is None:
        return []
    allowed = channel.permissions_for(guild.me)
    in_thread = isinstance(channel, discord.Thread)
    return [
        shown
        for name, shown in NEEDED
        if not getattr(allowed, name)
        and (name != "send_messages_in_threads" or in_thread)
        and (name != "send_messages" or not in_thread)
    ]


async def remind_privately(message: discord.Message, text: str) -> bool:
    """DM ``text`` to the author of ``message``; whether it was delivered (DMs may be
    closed: then it is logged)."""
    try:
        await message.author.send(text, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException as exc:
        log.warning("could not DM member %s: %s", message.author.id, exc.text or exc.status)
        return False
    return True


async def post_reply(
    message: discord.Message, services: Services, kwargs: dict[str, Any], language: str
) -> discord.Message | None:
    """Reply to ``message`` with an answer; ``None`` when Discord refused (logged, and a DM
    to the member when the bot may not post there)."""
    try:
        return await message.reply(**kwargs, mention_author=False)
    except discord.Forbidden as exc:
        log.warning("cannot reply in channel %s: %s", message.channel.id, exc.text or exc.status)
        missing = missing_permissions(message.channel) or ["Send Messages"]
        text = services.advisor.renderer.discord_text(
            "cannot_post_dm",
            language,
            channel=getattr(message.channel, "name", str(message.channel.id)),
            permissions=", ".join(missing),
        )
        await remind_privately(message, text)
    except discord.HTTPException as exc:
        log.warning(
            "could not post an answer in channel %s: %s %s",
            message.channel.id,
            exc.status,
            exc.text,
        )
    return None
