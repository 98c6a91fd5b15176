"""The daily digest: at a server's chosen time (UTC), a message in its chosen channel listing
the overdue steps of its open checklists and the steps due in the next seven days, grouped
by checklist, mentioning each owner once. It is the only message that pings anyone: its
allowed mentions are exactly those owners. Nothing due, no message.

The schedule is stored (``/advisor digest on|off``), so it survives restarts; the bot's own
loop (``discord.ext.tasks``, on Discord's clock) wakes at each scheduled time.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands, tasks

from pact_advisor.discord_bot.checklist.listing import message_url
from pact_advisor.discord_bot.checklist.state import say
from pact_advisor.discord_bot.core.adapter import message_kwargs
from pact_advisor.discord_bot.core.errors import AdvisorError
from pact_advisor.store import Run, StoreError

if TYPE_CHECKING:
    from pact_advisor.discord_bot.bot import AdvisorBot

log = logging.getLogger(__name__)

#: Steps due within this many days (after today) are listed as due soon.
AHEAD_DAYS = 7
#: The loop may wake a moment early; a digest due within this many seconds is due now.
EARLY = dt.timedelta(seconds=30)
_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def parse_time(text: str) -> str:
    """A time of day as stored (``HH:MM``, 24 hours); ``ValueError`` otherwise."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a time written HH:MM")
    return f"{int(match[1]):02d}:{match[2]}"


def digest_groups(runs: list[Run], day: str) -> tuple[list[dict[str, Any]], list[int]]:
    """Each open run with steps overdue or due within :data:`AHEAD_DAYS` of ``day``, oldest
    run first; and the ids of their owners, each once, in order of appearance."""
    last = (dt.date.fromisoformat(day) + dt.timedelta(days=AHEAD_DAYS)).isoformat()
    groups, mentions = [], {}
    for run in sorted(runs, key=lambda r: r.id):
        steps = sorted(set(run.overdue(day)) | set(run.due_between(day, last)))
        if not steps:
            continue
        shown = []
        for step in steps:
            owners = run.owners.get(step, ())
            mentions.update({o.user_id: None for o in owners})
            shown.append(
                {
                    "number": step + 1,
                    "text": run.steps[step].text,
                    "due": run.due[step],
                    "overdue": run.due[step] < day,
                    "owners": [o.user_name for o in owners],
                }
            )
        groups.append({"title": run.title, "url": message_url(run), "steps": shown})
    return groups, list(mentions)


class Digest(commands.Cog):
    """Posts each server's daily digest at its time."""

    def __init__(self, bot: AdvisorBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        await self.reschedule()

    async def cog_unload(self) -> None:
        self.wake.cancel()

    @tasks.loop(time=dt.time(0, 0, tzinfo=dt.UTC))
    async def wake(self) -> None:
        try:
            await self.send_due()
        except StoreError as exc:
            log.warning("digest: could not read or claim the schedule: %s", exc)

    async def reschedule(self) -> None:
        """Wake at every time a server has chosen (none: the loop stops)."""
        try:
            schedule = await self.bot.services.store.digests()
        except StoreError as exc:
            log.warning("digest: could not read the schedule: %s", exc)
            return
        times = sorted({d.at_time for d in schedule})
        if not times:
            self.wake.cancel()
            return
        self.wake.change_interval(
            time=[dt.time(int(t[:2]), int(t[3:]), tzinfo=dt.UTC) for t in times]
        )
        if self.wake.is_running():
            self.wake.restart()
        else:
            self.wake.start()

    async def send_due(self) -> None:
        """Post every digest whose time has come today and that has not gone out yet."""
        now = discord.utils.utcnow() + EARLY
        day, time = now.date().isoformat(), now.strftime("%H:%M")
        store = self.bot.services.store
        for digest in await store.digests():
            if digest.at_time > time or (digest.last_sent or "") >= day:
                continue
            if await store.mark_digest_sent(digest.guild_id, day):  # claimed once a day
                await self.post(digest.guild_id, digest.channel_id, day)

    async def post(self, guild_id: int, channel_id: int, day: str) -> discord.Message | None:
        runs = await self.bot.services.store.list_runs(guild_id=guild_id)
        groups, mentions = digest_groups([r for r in runs if r.is_open], day)
        if not groups:
            log.info("digest for server %s: nothing due", guild_id)
            return None
        message = self.bot.services.advisor.renderer.discord_digest(groups, mentions, day)
        kwargs = message_kwargs(message)
        kwargs["allowed_mentions"] = discord.AllowedMentions(
            everyone=False,
            roles=False,
            replied_user=False,
            users=[discord.Object(id=i) for i in mentions],
        )
        channel = self.bot.get_partial_messageable(channel_id, guild_id=guild_id)
        try:
            return await channel.send(**kwargs)
        except discord.HTTPException as exc:
            log.warning("digest for server %s could not be posted: %s", guild_id, exc)
            return None


async def turn_on(
    bot: AdvisorBot, interaction: discord.Interaction, channel: discord.TextChannel, time: str
) -> None:
    """``/advisor digest on``: store the schedule, wake at it, say so."""
    try:
        at_time = parse_time(time)
    except ValueError:
        raise AdvisorError(say(interaction, "bad_time", text=time)) from None
    me = channel.guild.me
    if me is not None and not channel.permissions_for(me).send_messages:
        raise AdvisorError(say(interaction, "cannot_post"))
    assert interaction.guild_id is not None  # the group is guild-only
    await bot.services.store.set_digest(
        interaction.guild_id, channel.id, at_time, by=interaction.user.id
    )
    await _reschedule(bot)
    await interaction.response.send_message(
        say(interaction, "digest_on", channel=channel.mention, time=at_time), ephemeral=True
    )


async def turn_off(bot: AdvisorBot, interaction: discord.Interaction) -> None:
    """``/advisor digest off``: forget the schedule."""
    assert interaction.guild_id is not None
    was_on = await bot.services.store.clear_digest(interaction.guild_id)
    await _reschedule(bot)
    name = "digest_off" if was_on else "digest_was_off"
    await interaction.response.send_message(say(interaction, name), ephemeral=True)


async def _reschedule(bot: AdvisorBot) -> None:
    cog = bot.get_cog("Digest")
    if isinstance(cog, Digest):
        await cog.reschedule()


async def setup(bot: AdvisorBot) -> None:
    await bot.add_cog(Digest(bot))
