"""``/advisor reload | report | purge``: for members with Manage Server.

The group is hidden from other members by default (``default_permissions``), and each
command checks the permission again, since server admins can override command visibility.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import discord
import jinja2
from discord import app_commands
from discord.ext import commands

from bot.discord_app.adapter import message_kwargs
from bot.discord_app.errors import AdvisorError
from bot.knowledge import GuidanceError, Problem
from bot.render import DiscordMessage, EmbedSpec, FieldSpec, discord_escape, fit, truncate_sentence
from bot.store import Report

if TYPE_CHECKING:
    from bot.discord_app.bot import AdvisorBot

log = logging.getLogger(__name__)

#: How many reload problems are listed before "… and N more".
MAX_PROBLEMS = 30
#: Each problem is trimmed to this many characters, and all of them to the budget.
PROBLEM_CHARS = 300
PROBLEMS_BUDGET = 3800
#: How many entries each report section lists.
MAX_ENTRIES = 15
QUESTION_CHARS = 150
DEFAULT_REPORT_DAYS = 30
OK_COLOUR, FAIL_COLOUR, REPORT_COLOUR = 0x2F855A, 0xC53030, 0x4A5568

manage_guild = app_commands.checks.has_permissions(manage_guild=True)


def parse_since(text: str | None, now: datetime) -> datetime:
    """``YYYY-MM-DD`` as midnight UTC; ``None`` means 30 days before ``now``."""
    if text is None or not text.strip():
        return (now - timedelta(days=DEFAULT_REPORT_DAYS)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
    try:
        day = datetime.strptime(text.strip(), "%Y-%m-%d")
    except ValueError:
        raise AdvisorError(
            f"“{discord_escape(text)}” is not a date: use YYYY-MM-DD, e.g. 2026-01-31."
        ) from None
    return day.replace(tzinfo=UTC)


def _day(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d")


def _question(text: str | None) -> str:
    if text is None:
        return "*(question text purged)*"
    return "“" + discord_escape(truncate_sentence(" ".join(text.split()), QUESTION_CHARS)) + "”"


def _lines(lines: list[str], total: int) -> str:
    shown = lines[:MAX_ENTRIES]
    if total > len(shown):
        shown.append(f"… and {total - len(shown)} more")
    return "\n".join(shown) if shown else "None."


def report_message(report: Report, since: datetime) -> DiscordMessage:
    """The report as one embed, within Discord's limits."""
    unanswered = [f"• {_day(q.created_at)} {_question(q.question)}" for q in report.unanswered]
    not_helpful = [
        f"• {_day(f.created_at)} `{f.item_id}` {_question(f.question)}" for f in report.not_helpful
    ]
    counts = sorted(report.item_counts.items(), key=lambda kv: (-kv[1].not_helpful, kv[0]))
    votes = [f"• `{item}` 👍 {c.helpful} · 👎 {c.not_helpful}" for item, c in counts]
    embed = EmbedSpec(
        title=f"Pact Advisor report since {since:%Y-%m-%d}",
        description=(
            f"{len(report.unanswered)} unanswered question(s), "
            f"{len(report.not_helpful)} answer(s) marked not helpful."
        ),
        fields=(
            FieldSpec(f"Unanswered ({len(unanswered)})", _lines(unanswered, len(unanswered))),
            FieldSpec(f"Not helpful ({len(not_helpful)})", _lines(not_helpful, len(not_helpful))),
            FieldSpec(f"Votes per item ({len(votes)})", _lines(votes, len(votes))),
        ),
        footer="Question text is kept for a limited time; /advisor purge deletes it now.",
        colour=REPORT_COLOUR,
    )
    return fit(DiscordMessage(embeds=(embed,)))


def describe_problem(problem: Problem, directory: Path) -> str:
    """A problem with its file named relative to the guidance folder."""
    file = Path(problem.file)
    try:
        shown = str(file.resolve().relative_to(directory.resolve()))
    except (ValueError, OSError):
        shown = file.name or problem.file
    where = f"{shown}:{problem.line}" if problem.line else shown
    message = problem.message
    for prefix in {str(directory) + os.sep, str(directory.resolve()) + os.sep}:
        message = message.replace(prefix, "")
    return ": ".join(part for part in (where, problem.subject, message) if part)


def reload_failed_message(problems: list[str], version: str) -> DiscordMessage:
    """Every problem that fits (each trimmed), then how many more there are."""
    lines: list[str] = []
    used = 0
    for problem in problems[:MAX_PROBLEMS]:
        line = "• " + discord_escape(truncate_sentence(problem, PROBLEM_CHARS))
        if used + len(line) + 1 > PROBLEMS_BUDGET:
            break
        lines.append(line)
        used += len(line) + 1
    if len(problems) > len(lines):
        lines.append(f"… and {len(problems) - len(lines)} more")
    embed = EmbedSpec(
        title="Reload failed: nothing changed",
        description="\n".join(lines),
        footer=f"Still serving guidance {version}. Fix the files and run /advisor reload again.",
        colour=FAIL_COLOUR,
    )
    return fit(
        DiscordMessage(
            content=f"Found {len(problems)} problem{'s' if len(problems) != 1 else ''}.",
            embeds=(embed,),
        )
    )


class Admin(commands.Cog):
    """Guidance reload, feedback report and question purge."""

    advisor = app_commands.Group(
        name="advisor",
        description="Pact Advisor administration (Manage Server)",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )

    def __init__(self, bot: AdvisorBot) -> None:
        self.bot = bot

    @advisor.command(name="reload")
    @manage_guild
    async def reload(self, interaction: discord.Interaction) -> None:
        """Re-read the guidance and templates; on any error keep serving the current version."""
        services = self.bot.services
        old = services.knowledge
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            new = await services.reload()
        except GuidanceError as exc:
            problems = [describe_problem(p, services.guidance_dir) for p in exc.problems]
            problems = problems or [str(exc)]
        except (jinja2.TemplateError, OSError, ValueError, LookupError) as exc:
            problems = [f"template problem: {type(exc).__name__}: {exc}"]
        else:
            counts = new.guidance.counts()
            await interaction.followup.send(
                f"Reloaded: guidance {old.version} → {new.version}, "
                f"{sum(counts.values())} items in {len(counts)} collections.",
                ephemeral=True,
            )
            return
        log.warning(
            "reload failed with %d problem(s); still serving %s", len(problems), old.version
        )
        message = reload_failed_message(problems, old.version)
        await interaction.followup.send(**message_kwargs(message), ephemeral=True)

    @advisor.command(name="report")
    @app_commands.describe(since="First day to include, as YYYY-MM-DD (default: 30 days ago)")
    @manage_guild
    async def report(self, interaction: discord.Interaction, since: str | None = None) -> None:
        """Unanswered questions and answers marked not helpful since a date, with vote counts."""
        services = self.bot.services
        start = parse_since(since, discord.utils.utcnow())
        report = await services.db(services.store.report, start)
        await interaction.response.send_message(
            **message_kwargs(report_message(report, start)), ephemeral=True
        )

    @advisor.command(name="purge")
    @manage_guild
    async def purge(self, interaction: discord.Interaction) -> None:
        """Delete the text of every stored question now (votes and counts are kept)."""
        services = self.bot.services
        count = await services.db(services.store.purge_questions)
        log.info("purged %d stored question(s) on request of %s", count, interaction.user.id)
        await interaction.response.send_message(
            f"Deleted the text of {count} stored question{'s' if count != 1 else ''}. "
            "Votes and counts are kept.",
            ephemeral=True,
        )


async def setup(bot: AdvisorBot) -> None:
    await bot.add_cog(Admin(bot))
