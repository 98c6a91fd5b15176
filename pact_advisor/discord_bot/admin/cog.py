"""``/advisor reload | report | purge | digest on | digest off``: for members with Manage
Server.

The group is hidden from other members by default (``default_permissions``), and each
command checks the permission again, since server admins can override command visibility.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
import jinja2
from discord import app_commands
from discord.ext import commands

from pact_advisor.discord_bot.admin.parsing import describe_problem, parse_since, template_problem
from pact_advisor.discord_bot.checklist.digest import turn_off, turn_on
from pact_advisor.discord_bot.core.adapter import message_kwargs
from pact_advisor.discord_bot.core.errors import AdvisorError
from pact_advisor.discord_bot.translator import member_language
from pact_advisor.knowledge import GuidanceError

if TYPE_CHECKING:
    from pact_advisor.discord_bot.bot import AdvisorBot

log = logging.getLogger(__name__)

manage_guild = app_commands.checks.has_permissions(manage_guild=True)


class Admin(commands.Cog):
    """Guidance reload, feedback report and question purge."""

    advisor = app_commands.Group(
        name="advisor",
        description="Pact Advisor administration (Manage Server)",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )

    digest = app_commands.Group(
        name="digest", description="The daily digest of due checklist steps", parent=advisor
    )

    def __init__(self, bot: AdvisorBot) -> None:
        self.bot = bot

    @advisor.command(name="reload")
    @manage_guild
    async def reload(self, interaction: discord.Interaction) -> None:
        """Re-read the guidance and templates; on any error keep serving the current version."""
        services = self.bot.services
        old = services.advisor
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            new = await services.reload()
        except GuidanceError as exc:
            problems = [describe_problem(p, services.guidance_dir) for p in exc.problems]
            problems = problems or [str(exc)]
        except (jinja2.TemplateError, OSError, ValueError, LookupError) as exc:
            problems = [template_problem(exc)]
        else:
            counts = new.guidance.counts()
            text = new.renderer.discord_text(
                "reloaded",
                member_language(interaction),
                old=old.version,
                new=new.version,
                items=sum(counts.values()),
                collections=len(counts),
            )
            await interaction.followup.send(text, ephemeral=True)
            return
        log.warning(
            "reload failed with %d problem(s); still serving %s", len(problems), old.version
        )
        message = old.renderer.discord_reload_problems(
            problems, old.version, member_language(interaction)
        )
        await interaction.followup.send(**message_kwargs(message), ephemeral=True)

    @advisor.command(name="report")
    @app_commands.describe(since="First day to include, as YYYY-MM-DD (default: 30 days ago)")
    @manage_guild
    async def report(self, interaction: discord.Interaction, since: str | None = None) -> None:
        """Unanswered questions and answers marked not helpful since a date, with vote counts."""
        services = self.bot.services
        renderer = services.advisor.renderer
        try:
            start = parse_since(since, discord.utils.utcnow())
        except ValueError:
            text = renderer.discord_text("bad_date", member_language(interaction), text=since)
            raise AdvisorError(text) from None
        report = await services.store.report(start)
        message = renderer.discord_report(report, start, member_language(interaction))
        await interaction.response.send_message(**message_kwargs(message), ephemeral=True)

    @advisor.command(name="purge")
    @manage_guild
    async def purge(self, interaction: discord.Interaction) -> None:
        """Delete the text of every stored question now (votes and counts are kept)."""
        services = self.bot.services
        count = await services.store.purge_questions()
        log.info("purged %d stored question(s) on request of %s", count, interaction.user.id)
        await interaction.response.send_message(
            services.advisor.renderer.discord_text(
                "purged", member_language(interaction), count=count
            ),
            ephemeral=True,
        )

    @digest.command(name="on")
    @app_commands.describe(
        channel="Where to post the digest",
        time="When to post it each day, as HH:MM in UTC (e.g. 08:30)",
    )
    @manage_guild
    async def digest_on(
        self, interaction: discord.Interaction, channel: discord.TextChannel, time: str
    ) -> None:
        """Post a daily message listing overdue steps and steps due within a week."""
        await turn_on(self.bot, interaction, channel, time)

    @digest.command(name="off")
    @manage_guild
    async def digest_off(self, interaction: discord.Interaction) -> None:
        """Stop the daily digest of due checklist steps."""
        await turn_off(self.bot, interaction)


async def setup(bot: AdvisorBot) -> None:
    await bot.add_cog(Admin(bot))
