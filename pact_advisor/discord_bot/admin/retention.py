"""Retention: stored question text is blanked once older than the configured days.

The store purges on open (so at every start) and this loop repeats it hourly, on the
store's clock.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from discord.ext import commands, tasks

from pact_advisor.store import StoreError

if TYPE_CHECKING:
    from pact_advisor.discord_bot.bot import AdvisorBot

log = logging.getLogger(__name__)


class Retention(commands.Cog):
    def __init__(self, bot: AdvisorBot) -> None:
        self.bot = bot
        self.purge.change_interval(seconds=bot.settings.purge_interval)

    async def cog_load(self) -> None:
        self.purge.start()

    async def cog_unload(self) -> None:
        self.purge.cancel()

    @tasks.loop(hours=1)
    async def purge(self) -> None:
        try:
            count = await self.bot.services.store.purge_expired()
        except StoreError as exc:
            log.warning("retention purge failed: %s", exc)
            return
        if count:
            log.info("retention: blanked %d expired question(s)", count)


async def setup(bot: AdvisorBot) -> None:
    await bot.add_cog(Retention(bot))
