"""``/checklists``: the open checklists of a channel (or of the server), each with its
progress, overdue steps and a link to its message; only those in channels the member can see.
"""

from __future__ import annotations

from typing import Any

import discord

from pact_advisor.discord_bot.checklist.state import today
from pact_advisor.discord_bot.core.adapter import message_kwargs
from pact_advisor.discord_bot.core.services import Services
from pact_advisor.discord_bot.translator import member_language
from pact_advisor.store import Run

#: At most this many checklists are listed; the rest are counted.
LISTED = 20


def message_url(run: Run) -> str | None:
    if run.message_id is None or run.channel_id is None:
        return None
    return f"https://discord.com/channels/{run.guild_id or '@me'}/{run.channel_id}/{run.message_id}"


def _visible(interaction: discord.Interaction, run: Run) -> bool:
    """Whether the member can see the channel ``run`` was posted in."""
    if run.channel_id == interaction.channel_id:
        return True
    guild = interaction.guild
    channel = guild.get_channel_or_thread(run.channel_id) if guild and run.channel_id else None
    member = interaction.user
    if channel is None or not isinstance(member, discord.Member):
        return False
    return channel.permissions_for(member).view_channel


def entry(run: Run, day: str) -> dict[str, Any]:
    return {
        "title": run.title,
        "done": run.ticked_count,
        "na": run.skipped_count,
        "total": len(run.steps),
        "overdue": len(run.overdue(day)),
        "url": message_url(run),
        "channel_id": run.channel_id,
    }


async def open_checklists(
    interaction: discord.Interaction, services: Services, *, whole_server: bool
) -> None:
    server = whole_server and interaction.guild_id is not None
    if server:
        runs = await services.store.list_runs(guild_id=interaction.guild_id)
    else:
        runs = await services.store.list_runs(channel_id=interaction.channel_id)
    shown = [r for r in runs if r.is_open and _visible(interaction, r)]
    day = today(interaction)
    language = member_language(interaction)
    message = services.advisor.renderer.discord_checklists(
        [entry(r, day) for r in shown[:LISTED]],
        hidden=max(0, len(shown) - LISTED),
        server=server,
        language=language,
    )
    await interaction.response.send_message(**message_kwargs(message), ephemeral=True)
