"""Telling each server's admins, once, that the database file is damaged.

The store notices damaged pages at run time (``Store.on_damage``, called once, from the
worker thread that found them); :class:`DamageNotices` hops back to the event loop and tells every server
the bot is in, not only the one where it was found: the file is shared, so every server's
ticks and votes are failing alike. A server the bot joins, or one that comes back from an
outage, while the file is damaged is told then. Each server is told once per process
(``Services.damage_told``).

Who is told: the server owner, by DM. If the DM cannot be delivered (closed DMs), the
server's community updates channel (``public_updates_channel``, Discord's channel for
moderators) if the bot may post there and the server's members may not read it; else the log
says that nobody in that server could be told. The notice is never posted in a public
channel and never names the file's path.

The member whose action found the damage gets their "not saved" reply first: the admins are
told once that reply has gone out (``report_error`` dispatches ``DAMAGE_REPLIED``), or
after :data:`GRACE` seconds when no reply follows (a digest or a purge found it, or the reply
took another path). Sending runs in tasks of its own and never raises into an interaction.

``/advisor report`` starts with :func:`damage_line` while the database is known damaged.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord

from pact_advisor import i18n
from pact_advisor.discord_bot.settings import DB_ENV
from pact_advisor.i18n import N_

if TYPE_CHECKING:
    from pact_advisor.discord_bot.bot import AdvisorBot

log = logging.getLogger(__name__)

#: Seconds to wait for the reply to the member whose action found the damage.
GRACE = 5.0

#: The notice sent to a server's admins (English, like the digest: it goes to one person or
#: one moderators' channel, not to a member in their language).
NOTICE = """\
**Pact Advisor: its database file is damaged**
While serving **{server}**, Pact Advisor found damaged pages in its database file. You are \
told once; the bot's log has the details.

**Still working:** questions are answered as usual (answers need no database).
**Not working:** checklist ticks, votes, checklists and exports are not being saved; members \
who try are told so.

**What to do:**
1. Stop the bot.
2. Keep a copy of the database file (with its `-wal` and `-shm` files, if there are any).
3. Restore a backup, or recover what can be read: \
`sqlite3 FILE ".recover" | sqlite3 recovered.db`, then start the bot on the recovered file. \
FILE is the database file the bot's log names ({env} sets which file the bot uses)."""

#: The first line of ``/advisor report`` while the database is known damaged.
DAMAGE_LINE = N_(
    "⚠️ **The database file is damaged.** Answers still work; ticks, votes, checklists and "
    "exports are not being saved. Stop the bot, keep a copy of the file, then restore a "
    'backup or run `sqlite3 FILE ".recover"` (the bot\'s log names the file).'
)


def damage_line(language: str) -> str:
    """:data:`DAMAGE_LINE` in ``language``."""
    return i18n.translate(language, DAMAGE_LINE)


def notice(guild: discord.Guild) -> str:
    """The notice for ``guild``'s admins."""
    return NOTICE.format(server=discord.utils.escape_markdown(guild.name), env=DB_ENV)


def private_to_staff(channel: discord.abc.GuildChannel, me: discord.Member) -> bool:
    """Whether the bot may post in ``channel`` and the server's members may not read it."""
    mine = channel.permissions_for(me)
    everyone = channel.permissions_for(channel.guild.default_role)
    return mine.view_channel and mine.send_messages and not everyone.view_channel


class DamageNotices:
    """Hears of damage found by the store and tells each server's admins once. The admin cog
    owns one: it attaches it on load, detaches it on unload and passes the events on."""

    def __init__(self, bot: AdvisorBot) -> None:
        self.bot = bot
        self._loop: asyncio.AbstractEventLoop | None = None
        self._sending: set[asyncio.Task[None]] = set()
        self._grace: asyncio.TimerHandle | None = None

    def attach(self) -> None:
        """Listen to the store, from the running event loop."""
        self._loop = asyncio.get_running_loop()
        self.bot.services.store.sync.on_damage = self.damage_found

    def detach(self) -> None:
        store = self.bot.services.store.sync
        if store.on_damage == self.damage_found:
            store.on_damage = None
        if self._grace is not None:
            self._grace.cancel()

    def damage_found(self) -> None:
        """From the store's thread: continue on the event loop."""
        try:
            if self._loop is None:
                raise RuntimeError("the bot has not started")
            self._loop.call_soon_threadsafe(self._wait_for_reply)
        except RuntimeError:  # not started, or its loop is closed
            log.error("database damage found while the bot is not running: no server was told")

    def _wait_for_reply(self) -> None:
        self._grace = asyncio.get_running_loop().call_later(GRACE, self.tell_all)

    def replied(self) -> None:
        """A member has been told that their action was not saved: now the admins."""
        if self.bot.services.damaged:
            self.tell_all()

    def tell_all(self) -> None:
        """Tell every server the bot is in (each at most once per process)."""
        if self._grace is not None:
            self._grace.cancel()
            self._grace = None
        for guild in self.bot.guilds:
            self.tell(guild)

    def tell(self, guild: discord.Guild) -> None:
        told = self.bot.services.damage_told
        if guild.id in told:
            return
        told.add(guild.id)
        task = asyncio.create_task(self.deliver(guild), name=f"damage notice {guild.id}")
        self._sending.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._sending.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            # Not Discord's refusal (handled in deliver): the network, or a bug.
            log.error("could not tell a server the database is damaged", exc_info=error)

    def arrived(self, guild: discord.Guild) -> None:
        """A server the bot joined, or one back from an outage: told if the file is damaged."""
        if self.bot.services.damaged:
            self.tell(guild)

    async def deliver(self, guild: discord.Guild) -> None:
        """The owner by DM, else the moderators' channel, else a line in the log."""
        text = notice(guild)
        if await self._send_to_owner(guild, text):
            return
        if await self._post_to_staff(guild, text):
            return
        log.error(
            "nobody in server %s could be told that the database is damaged: the owner's DMs "
            "are closed and there is no community updates channel the bot may post in that "
            "only moderators can read",
            guild.id,
        )

    async def _send_to_owner(self, guild: discord.Guild, text: str) -> bool:
        if guild.owner_id is None:
            return False
        try:
            channel = await self.bot.create_dm(discord.Object(id=guild.owner_id))
            await channel.send(text)
        except discord.HTTPException as exc:
            log.warning("could not DM the owner of server %s: %s", guild.id, exc)
            return False
        log.info("told the owner of server %s that the database is damaged", guild.id)
        return True

    async def _post_to_staff(self, guild: discord.Guild, text: str) -> bool:
        channel = guild.public_updates_channel
        if channel is None or guild.me is None or not private_to_staff(channel, guild.me):
            return False
        try:
            await channel.send(text)
        except discord.HTTPException as exc:
            log.warning("could not post in the updates channel of server %s: %s", guild.id, exc)
            return False
        log.info("told the moderators of server %s that the database is damaged", guild.id)
        return True
