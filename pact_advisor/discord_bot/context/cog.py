"""``/context set|show|clear``: the partnership a channel or thread is about.

Teams keep one channel or thread per partnership. Any member can set its context (partner
country, sector, programme); every answer, follow-up and checklist there is then written for
it, and says so. It is stored, so it survives restarts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from pact_advisor.discord_bot.context.lookup import channel_setting
from pact_advisor.discord_bot.core.adapter import NO_MENTIONS
from pact_advisor.discord_bot.core.autocomplete import name_choices
from pact_advisor.discord_bot.core.errors import AdvisorError
from pact_advisor.discord_bot.translator import member_language
from pact_advisor.engine import Context
from pact_advisor.knowledge import names
from pact_advisor.render.views import given

if TYPE_CHECKING:
    from pact_advisor.discord_bot.bot import AdvisorBot

CONTEXT_MAX = 100


@app_commands.guild_only()
class ChannelContext(commands.GroupCog, group_name="context"):
    """The partnership context of this channel or thread."""

    def __init__(self, bot: AdvisorBot) -> None:
        self.bot = bot
        super().__init__()

    def _text(self, interaction: discord.Interaction, name: str, **values: object) -> str:
        renderer = self.bot.services.advisor.renderer
        return renderer.discord_text(name, member_language(interaction), **values)

    def _where(self, interaction: discord.Interaction) -> str:
        return "thread" if isinstance(interaction.channel, discord.Thread) else "channel"

    @app_commands.command(name="set")
    @app_commands.describe(
        partner="Partner country (or EU member state) this channel is about",
        sector="Sector this channel is about",
        programme="Programme this channel is about",
    )
    async def set_context(
        self,
        interaction: discord.Interaction,
        partner: app_commands.Range[str, 1, CONTEXT_MAX] | None = None,
        sector: app_commands.Range[str, 1, CONTEXT_MAX] | None = None,
        programme: app_commands.Range[str, 1, CONTEXT_MAX] | None = None,
    ) -> None:
        """Write every answer and checklist here for one partnership."""
        context = Context.of(partner=partner, sector=sector, programme=programme)
        if not context:
            raise AdvisorError(self._text(interaction, "context_empty"))
        assert interaction.channel_id is not None
        await self.bot.services.store.set_channel_context(
            interaction.channel_id, context, user_id=interaction.user.id
        )
        text = self._text(
            interaction,
            "context_set",
            context=given(context, member_language(interaction)),
            where=self._where(interaction),
        )
        # Public: the whole channel should know what its answers are written for.
        await interaction.response.send_message(text, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="show")
    async def show_context(self, interaction: discord.Interaction) -> None:
        """Show the partnership context answers here are written for."""
        setting = await channel_setting(self.bot.services, interaction.channel)
        if setting is None:
            text = self._text(interaction, "context_none", where=self._where(interaction))
        else:
            inherited = setting.source == "channel" and self._where(interaction) == "thread"
            text = self._text(
                interaction,
                "context_shown",
                context=given(setting.context, member_language(interaction)),
                where=self._where(interaction),
                inherited=inherited,
            )
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="clear")
    async def clear_context(self, interaction: discord.Interaction) -> None:
        """Stop writing answers here for a partnership context."""
        assert interaction.channel_id is not None
        cleared = await self.bot.services.store.clear_channel_context(interaction.channel_id)
        name = "context_cleared" if cleared else "context_none"
        text = self._text(interaction, name, where=self._where(interaction))
        await interaction.response.send_message(text, ephemeral=not cleared)

    @set_context.autocomplete("partner")
    async def partner_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return name_choices(names.country_names(), current)

    @set_context.autocomplete("sector")
    async def sector_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return name_choices(names.sector_names(), current)


async def setup(bot: AdvisorBot) -> None:
    await bot.add_cog(ChannelContext(bot))
