"""``/checklist``: post an interactive checklist anyone in the channel can tick and manage;
``/checklists``: the open checklists of the channel or the server."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from pact_advisor.checklists import UnknownTopic

# The modules that register what each control does (see items.py).
from pact_advisor.discord_bot.checklist import export, panel  # noqa: F401
from pact_advisor.discord_bot.checklist.components import post_checklist
from pact_advisor.discord_bot.checklist.items import DYNAMIC_ITEMS
from pact_advisor.discord_bot.checklist.listing import open_checklists
from pact_advisor.discord_bot.context.lookup import channel_setting
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
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)

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
        setting = await channel_setting(services, interaction.channel)
        context = (setting.context if setting else Context()).merged(given)
        # "this channel's context" only when no option changed it
        note = setting.note_for(context) if setting else None
        shown = language.value if language else member_language(interaction)
        try:
            checklist = advisor.checklist(topic, context, shown)
        except UnknownTopic as exc:
            raise AdvisorError(
                advisor.renderer.discord_text(
                    "unknown_topic", shown, topic=topic, suggestions=exc.suggestions
                )
            ) from None
        await post_checklist(interaction, services, checklist, context_note=note)

    @checklist.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        language = member_language(interaction)
        return topic_choices(self.bot.services.advisor.renderer, current, language)

    @app_commands.command(name="checklists")
    @app_commands.describe(
        server="List the open checklists of the whole server (default: this channel)"
    )
    async def checklists(self, interaction: discord.Interaction, server: bool = False) -> None:
        """List the open checklists here: progress, overdue steps and a link to each."""
        await open_checklists(interaction, self.bot.services, whole_server=server)


async def setup(bot: AdvisorBot) -> None:
    await bot.add_cog(Checklists(bot))
