"""What every checklist control does first: load the run, and refuse it unless the control
belongs to it (forged custom_ids), plus the small helpers the handlers share.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from pact_advisor.app import Advisor
from pact_advisor.discord_bot.core.errors import AdvisorError
from pact_advisor.discord_bot.core.services import Services
from pact_advisor.discord_bot.translator import member_language
from pact_advisor.render.workplan import today_of
from pact_advisor.store import Run

log = logging.getLogger(__name__)

#: SQLite integers are signed 64-bit: a larger run id names no run.
MAX_ID = 2**63 - 1


def services_of(interaction: discord.Interaction) -> Services:
    return interaction.client.services  # type: ignore[attr-defined]


def say(interaction: discord.Interaction, name: str, language: str | None = None, **values: Any):
    """A short text from ``messages.discord.j2`` in ``language`` (default: the member's)."""
    renderer = services_of(interaction).advisor.renderer
    return renderer.discord_text(name, language or member_language(interaction), **values)


def gone(interaction: discord.Interaction) -> AdvisorError:
    return AdvisorError(say(interaction, "checklist_gone"))


def today(interaction: discord.Interaction) -> str:
    """Today in UTC (YYYY-MM-DD), on Discord's clock."""
    return today_of(interaction.created_at.timestamp())


def _is_public(message: discord.Message | None) -> bool:
    return message is not None and not message.flags.ephemeral


async def guarded_run(interaction: discord.Interaction, run_id: int) -> Run:
    """The run a control names, if the control may touch it: the run was posted in this
    server and channel (so the member sees it there), and a control on a public message is
    on the message that shows the run. Otherwise a clear private refusal.
    """
    if not 0 < run_id <= MAX_ID:
        raise gone(interaction)
    run = await services_of(interaction).store.get_run(run_id)
    if run is None:
        raise gone(interaction)
    elsewhere = run.guild_id != interaction.guild_id or run.channel_id != interaction.channel_id
    message = interaction.message
    if not elsewhere and run.message_id is not None and _is_public(message):
        elsewhere = message.id != run.message_id  # type: ignore[union-attr]
    if elsewhere:
        raise refused(interaction, run_id)
    return run


def refused(interaction: discord.Interaction, run_id: int) -> AdvisorError:
    """The refusal of a control that does not belong here (logged: a forged custom_id)."""
    log.warning(
        "refused a control of run %s from user %s in channel %s",
        run_id,
        interaction.user.id,
        interaction.channel_id,
    )
    return AdvisorError(say(interaction, "checklist_not_here"))


def step_in(interaction: discord.Interaction, run: Run, step: int | None) -> int:
    """``step`` if the run has it; else a clear refusal (a forged or stale control)."""
    if step is None or not 0 <= step < len(run.steps):
        raise AdvisorError(say(interaction, "no_such_step", run.language))
    return step


def advisor_of(interaction: discord.Interaction) -> Advisor:
    return services_of(interaction).advisor


def limit(interaction: discord.Interaction, which: str) -> None:
    """Count one use of ``which`` (``checklist_limiter`` for what makes runs or files,
    ``change_limiter`` for changes to steps) by this member; a clear private refusal when
    they are over it."""
    limiter = getattr(services_of(interaction), which)
    now = interaction.created_at.timestamp()
    bucket = limiter.hit(interaction.user.id, now)
    if bucket is not None:
        wait = max(1, int(bucket.get_retry_after(now) + 0.999))
        raise AdvisorError(
            say(interaction, "checklist_slow_down", rate=limiter.rate, per=limiter.per, wait=wait)
        )
