"""``/advisor reload | rollback | report | purge | digest on | digest off`` and the message
menu "Add to guidance": for members with Manage Server.

The group is hidden from other members by default (``default_permissions``), and each
command checks the permission again, since server admins can override command visibility.

The cog also tells each server's admins, once, when the database file is found damaged
(:mod:`~pact_advisor.discord_bot.admin.damage`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from pact_advisor.discord_bot.admin.curation import (
    AddExample,
    MissedQuestions,
    best_guess,
    start_reload,
)
from pact_advisor.discord_bot.admin.damage import DamageNotices, damage_line
from pact_advisor.discord_bot.admin.parsing import parse_since
from pact_advisor.discord_bot.checklist.digest import turn_off, turn_on
from pact_advisor.discord_bot.core.adapter import message_kwargs
from pact_advisor.discord_bot.core.errors import DAMAGE_REPLIED, AdvisorError
from pact_advisor.discord_bot.translator import member_language
from pact_advisor.knowledge.review import due_for_review
from pact_advisor.store import StoreError

if TYPE_CHECKING:
    from pact_advisor.discord_bot.bot import AdvisorBot

log = logging.getLogger(__name__)

manage_guild = app_commands.checks.has_permissions(manage_guild=True)
#: Items due for review listed by name under the report (the rest are counted).
DUE_SHOWN = 10


def _can_manage(interaction: discord.Interaction) -> bool:
    """The same check as ``manage_guild``, for a context menu (added, not decorated)."""
    permissions = interaction.permissions
    if not permissions.manage_guild:
        raise app_commands.MissingPermissions(["manage_guild"])
    return True


class Admin(commands.Cog):
    """Guidance reload, feedback report and question purge; and telling the admins when the
    database file is found damaged (see :mod:`~pact_advisor.discord_bot.admin.damage`)."""

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
        # Context menus cannot be declared inside a cog class: build one and add it.
        self.add_menu = app_commands.ContextMenu(
            name="Add to guidance", callback=self.add_to_guidance
        )
        self.add_menu.default_permissions = discord.Permissions(manage_guild=True)
        self.add_menu.guild_only = True
        self.add_menu.add_check(_can_manage)
        bot.tree.add_command(self.add_menu)
        self.damage = DamageNotices(bot)

    async def cog_load(self) -> None:
        self.damage.attach()

    async def cog_unload(self) -> None:
        self.damage.detach()
        self.bot.tree.remove_command(self.add_menu.name, type=self.add_menu.type)

    @commands.Cog.listener(f"on_{DAMAGE_REPLIED}")
    async def on_damage_replied(self) -> None:
        self.damage.replied()

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        self.damage.arrived(guild)

    @commands.Cog.listener()
    async def on_guild_available(self, guild: discord.Guild) -> None:
        self.damage.arrived(guild)

    async def add_to_guidance(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        """Attach a member's question to the item that should have answered it."""
        services = self.bot.services
        language = member_language(interaction)
        question = " ".join(message.content.split())
        if not question:
            text = services.advisor.renderer.discord_text("no_text", language)
            raise AdvisorError(text)
        guess = best_guess(services, question)
        await interaction.response.send_modal(AddExample(services, question, guess, language))

    @advisor.command(name="reload")
    @manage_guild
    async def reload(self, interaction: discord.Interaction) -> None:
        """Check the guidance files behind the quality gate, preview what changes, then confirm."""
        await start_reload(interaction, self.bot.services)

    @advisor.command(name="rollback")
    @manage_guild
    async def rollback(self, interaction: discord.Interaction) -> None:
        """Serve the previous guidance again (the one before the last reload or curation)."""
        services = self.bot.services
        language = member_language(interaction)
        swapped = None if services.busy else services.rollback()
        if swapped is None:
            name = "guidance_busy" if services.busy else "no_rollback"
            text = services.advisor.renderer.discord_text(name, language)
        else:
            left, back = swapped
            log.info("rolled back from %s to %s", left.version, back.version)
            text = back.renderer.discord_text(
                "rolled_back", language, old=left.version, new=back.version
            )
        await interaction.response.send_message(text, ephemeral=True)

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
        language = member_language(interaction)
        try:
            report = await services.store.report(start)
        except StoreError as exc:
            if not services.damaged:
                raise
            failed = renderer.discord_text("not_saved", language, reason=str(exc))
            text = f"{damage_line(language)}\n\n{failed}"
            await interaction.response.send_message(text, ephemeral=True)
            self.bot.dispatch(DAMAGE_REPLIED)
            return
        # While the file is known damaged, that comes first, for an admin who missed the
        # notice.
        warning = damage_line(language) if services.damaged else None
        message = renderer.discord_report(report, start, language)
        kwargs = message_kwargs(message)
        due = due_for_review(
            services.advisor.guidance.items.values(), discord.utils.utcnow().date()
        )
        review = (
            renderer.discord_text(
                "review_due", language, items=due[:DUE_SHOWN], more=len(due) - DUE_SHOWN
            )
            if due
            else None
        )
        parts = [part for part in (warning, kwargs.get("content"), review) if part]
        if parts:
            kwargs["content"] = "\n\n".join(parts)
        missed = [
            (q.question, q.suggestions[0] if q.suggestions else "")
            for q in report.unanswered
            if q.question
        ]
        if missed:
            kwargs["view"] = MissedQuestions(services, missed[-25:][::-1], language)
        await interaction.response.send_message(**kwargs, ephemeral=True)

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
