"""The message menu "Why this answer?": on any of the bot's answers, privately, the guidance
version it was given under, its items and the reasons, and whether today's guidance would
answer the same."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from pact_advisor.discord_bot.core.errors import AdvisorError
from pact_advisor.discord_bot.translator import member_language
from pact_advisor.store import StoreError

if TYPE_CHECKING:
    from pact_advisor.discord_bot.bot import AdvisorBot

log = logging.getLogger(__name__)

#: Reasons shown for the top item (the engine's ``why``, most telling first).
REASONS = 3


class Provenance(commands.Cog):
    """Where an answer came from."""

    def __init__(self, bot: AdvisorBot) -> None:
        self.bot = bot
        self.menu = app_commands.ContextMenu(name="Why this answer?", callback=self.why)
        bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    async def why(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Show privately how the selected answer was given, and whether it still would be."""
        services = self.bot.services
        advisor = services.advisor
        language = member_language(interaction)
        record = None
        if self.bot.user is not None and message.author.id == self.bot.user.id:
            try:
                record = await services.store.get_turn(message.id)
            except StoreError as exc:
                log.warning("could not read the turn of message %s: %s", message.id, exc)
        if record is None or record.question is None:
            raise AdvisorError(advisor.renderer.discord_text("not_an_answer", language))
        result = advisor.engine.ask(record.question, context=record.context)
        now_items = [m.id for m in result.matches] if result.answered else []
        given = list(record.match_ids)
        same = now_items[:1] == given[:1]
        # The engine is deterministic: under the same version its reasons are the original ones.
        reasons = list(result.matches[0].why[:REASONS]) if same and result.matches else []
        text = advisor.renderer.discord_text(
            "why_answer",
            language,
            version=record.guidance_version,
            items=given,
            reasons=reasons,
            now=advisor.version,
            now_items=now_items[:2],
            same=same,
        )
        await interaction.response.send_message(text, ephemeral=True)


async def setup(bot: AdvisorBot) -> None:
    await bot.add_cog(Provenance(bot))
