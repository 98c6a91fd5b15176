"""Browsing the guidance: ``/topics``, ``/guidance item:`` and ``/help``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from pact_advisor.discord_bot.ask.components import answer_view, remember_item
from pact_advisor.discord_bot.core.adapter import message_kwargs
from pact_advisor.discord_bot.core.autocomplete import item_choices
from pact_advisor.discord_bot.core.errors import AdvisorError
from pact_advisor.discord_bot.guidance.matching import match_item
from pact_advisor.discord_bot.translator import member_language

if TYPE_CHECKING:
    from pact_advisor.discord_bot.bot import AdvisorBot


def _is_admin(interaction: discord.Interaction) -> bool:
    permissions = getattr(interaction, "permissions", None)
    return bool(interaction.guild_id and permissions and permissions.manage_guild)


class GuidanceBrowser(commands.Cog):
    """What the guidance covers, one item in full, and how to use the bot."""

    def __init__(self, bot: AdvisorBot) -> None:
        self.bot = bot

    @app_commands.command(name="topics")
    async def topics(self, interaction: discord.Interaction) -> None:
        """See what the guidance covers: every collection and its items."""
        renderer = self.bot.services.advisor.renderer
        message = renderer.discord_topics(member_language(interaction))
        await interaction.response.send_message(**message_kwargs(message), ephemeral=True)

    @app_commands.command(name="guidance")
    @app_commands.describe(item="The guidance item to show (leave empty to list all topics)")
    async def guidance(self, interaction: discord.Interaction, item: str | None = None) -> None:
        """Show everything on one guidance item: advice, checklist, source and related items."""
        services = self.bot.services
        renderer = services.advisor.renderer
        language = member_language(interaction)
        if not item or not item.strip():
            await interaction.response.send_message(
                **message_kwargs(renderer.discord_topics(language)), ephemeral=True
            )
            return
        found = match_item(services.advisor.guidance, item.strip(), language)
        if found.item_id is None:
            raise AdvisorError(
                renderer.discord_text(
                    "unknown_item", language, item=item, suggestions=found.suggestions
                )
            )
        item_id = found.item_id
        # Keywords and example questions serve matching: admins see them, privately.
        admin = _is_admin(interaction)
        message = renderer.discord_item(item_id, language=language, internal=admin)
        await interaction.response.send_message(
            **message_kwargs(message),
            view=answer_view(services, item_id, language=language),
            ephemeral=admin,
        )
        await remember_item(
            services, await interaction.original_response(), item_id, None, interaction.channel
        )

    @guidance.autocomplete("item")
    async def item_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        language = member_language(interaction)
        return item_choices(self.bot.services.advisor.renderer, current, language)

    @app_commands.command(name="help")
    async def help(self, interaction: discord.Interaction) -> None:
        """How to use Pact Advisor, with example questions."""
        message = self.bot.services.advisor.renderer.discord_help(member_language(interaction))
        await interaction.response.send_message(**message_kwargs(message), ephemeral=True)


async def setup(bot: AdvisorBot) -> None:
    await bot.add_cog(GuidanceBrowser(bot))
