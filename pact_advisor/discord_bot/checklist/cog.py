"""``/checklist``: post an interactive checklist anyone in the channel can tick."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from pact_advisor.checklists import UnknownTopic
from pact_advisor.discord_bot.checklist.components import ChecklistButton, create_run, post_run
from pact_advisor.discord_bot.context.lookup import channel_context
from pact_advisor.discord_bot.core.autocomplete import topic_choices
from pact_advisor.discord_bot.core.errors import AdvisorError
from pact_advisor.discord_bot.translator import LANGUAGE_CHOICES, member_language
from pact_advisor.engine import Context

if TYPE_CHECKING:
    from pact_advisor.discord_bot.bot import AdvisorBot

log = logging.getLogger(__name__)

CONTEXT_MAX = 100


class Checklists(commands.Cog):
    """Interactive checklists from the guidance."""

    def __init__(self, bot: AdvisorBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        # Every checklist message ever posted keeps its controls: custom_id names run and step.
        self.bot.add_dynamic_items(ChecklistButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(ChecklistButton)

    @app_commands.command(name="checklist")
    @app_commands.describe(
        topic="A collection, an item, or readiness for a partnership readiness review",
        partner="Partner country the steps are written for (optional)",
        sector="Sector the steps are written for (optional)",
        programme="Programme the steps are written for (optional)",
        language="The language of the checklist (default: your Discord's)",
    )
    @app_commands.choices(language=LANGUAGE_CHOICES)
    async def checklist(
        self,
        interaction: discord.Interaction,
        topic: str,
        partner: app_commands.Range[str, 1, CONTEXT_MAX] | None = None,
        sector: app_commands.Range[str, 1, CONTEXT_MAX] | None = None,
        programme: app_commands.Range[str, 1, CONTEXT_MAX] | None = None,
        language: app_commands.Choice[str] | None = None,
    ) -> None:
        """Post a checklist that anyone here can tick, step by step."""
        services = self.bot.services
        advisor = services.advisor
        # Written for the channel's context (/context); an option given here overrides it.
        given = Context.of(partner=partner, sector=sector, programme=programme)
        context = (await channel_context(services, interaction.channel)).merged(given)
        shown = language.value if language else member_language(interaction)
        try:
            checklist = advisor.checklist(topic, context, shown)
        except UnknownTopic as exc:
            raise AdvisorError(
                advisor.renderer.discord_text(
                    "unknown_topic", shown, topic=topic, suggestions=exc.suggestions
                )
            ) from None
        run = await create_run(
            services,
            checklist,
            guild_id=interaction.guild_id,
            channel_id=interaction.channel_id,
            user_id=interaction.user.id,
        )
        await post_run(interaction, services, run)

    @checklist.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        language = member_language(interaction)
        return topic_choices(self.bot.services.advisor.renderer, current, language)


async def setup(bot: AdvisorBot) -> None:
    await bot.add_cog(Checklists(bot))
