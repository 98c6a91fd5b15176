"""Which partnership context a channel or thread set, and whether an answer is written for it.

A thread without its own context inherits its parent channel's. A country or sector named in
a question overrides the context for that answer (the engine merges them); the answer then
says "For: …" as usual instead of "this channel's context".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import discord

from pact_advisor.discord_bot.core.services import Services
from pact_advisor.engine import Context
from pact_advisor.store import StoreError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChannelSetting:
    """The context in force in a channel, and where it was set: ``channel`` (this channel,
    or the parent of this thread) or ``thread`` (the thread itself)."""

    context: Context
    source: str

    def note_for(self, used: Context) -> str | None:
        """``channel``/``thread`` when ``used`` (an answer's context) is this one, unchanged."""
        return self.source if self.context and used == self.context else None


def _thread_parent(channel: Any) -> int | None:
    return channel.parent_id if isinstance(channel, discord.Thread) else None


async def channel_setting(services: Services, channel: Any) -> ChannelSetting | None:
    """The context set for ``channel`` (a thread falls back to its parent's), or ``None``.
    A store failure is logged: the question is then answered without it."""
    if channel is None or isinstance(channel, discord.DMChannel):
        return None
    try:
        own = await services.store.channel_context(channel.id)
        if own is not None:
            source = "thread" if isinstance(channel, discord.Thread) else "channel"
            return ChannelSetting(own.context, source)
        parent = _thread_parent(channel)
        if parent is not None:
            inherited = await services.store.channel_context(parent)
            if inherited is not None:
                return ChannelSetting(inherited.context, "channel")
    except StoreError as exc:
        log.warning("could not read the context of channel %s: %s", channel.id, exc)
    return None


async def channel_context(services: Services, channel: Any) -> Context:
    """The context in force in ``channel`` (empty when none was set)."""
    setting = await channel_setting(services, channel)
    return setting.context if setting else Context()
