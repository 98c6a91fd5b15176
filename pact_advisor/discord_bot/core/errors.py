"""One place where failures become friendly, ephemeral replies.

Used by :class:`AdvisorTree` for slash commands and context menus, and by every button and
select (views and dynamic items) so that a user always gets an answer and the bot keeps
serving. Unexpected errors are logged with their traceback; expected ones are not.
"""

from __future__ import annotations

import logging
import math
from typing import Any

import discord
from discord import app_commands

from pact_advisor import i18n
from pact_advisor.discord_bot.core.adapter import NO_MENTIONS
from pact_advisor.render import Renderer
from pact_advisor.store import StoreError
from pact_advisor.store.errors import is_damage

log = logging.getLogger(__name__)

#: Discord's error code for "Missing Permissions".
MISSING_PERMISSIONS = 50013
#: "Missing Access": the bot cannot see the channel.
MISSING_ACCESS = 50001

#: The event dispatched once a member has been told that the database file is damaged (the
#: server's admins are told after that reply; see ``admin/damage.py``).
DAMAGE_REPLIED = "damage_replied"

#: The one reply not worded by a template: used only when rendering the error reply failed.
UNEXPECTED = "Sorry, something went wrong on my side. It has been logged; please try again."


class AdvisorError(Exception):
    """An expected problem whose message is meant for the user."""


def unwrap(error: BaseException) -> BaseException:
    """The exception that actually happened inside a command or component callback."""
    while isinstance(error, (app_commands.CommandInvokeError, app_commands.TransformerError)):
        inner = error.__cause__ or getattr(error, "original", None)
        if inner is None or inner is error:
            break
        error = inner
    return error


def is_cannot_post(error: BaseException) -> bool:
    return isinstance(error, discord.Forbidden) and error.code in (
        MISSING_PERMISSIONS,
        MISSING_ACCESS,
    )


def friendly_message(error: BaseException, renderer: Renderer, language: str = "en") -> str | None:
    """The user-facing text for an expected error (from ``messages.discord.j2``, in
    ``language``), or ``None`` for a bug."""
    error = unwrap(error)

    def text(name: str, **values: Any) -> str:
        return renderer.discord_text(name, language, **values)

    if isinstance(error, app_commands.CommandOnCooldown):
        wait = max(1, math.ceil(error.retry_after))
        return text("cooldown", rate=error.cooldown.rate, per=error.cooldown.per, wait=wait)
    if isinstance(error, app_commands.MissingPermissions):
        if "manage_guild" in error.missing_permissions:
            return text("need_manage_server")
        return text("missing_permission")
    if isinstance(error, app_commands.NoPrivateMessage):
        return text("server_only")
    if isinstance(error, app_commands.BotMissingPermissions) or is_cannot_post(error):
        return text("cannot_post")
    if isinstance(error, app_commands.CheckFailure):
        return text("cannot_use_here")
    if isinstance(error, StoreError):
        return text("not_saved", reason=str(error))
    if isinstance(error, AdvisorError):
        return str(error)
    return None


async def send_ephemeral(interaction: discord.Interaction, content: str, **kwargs: Any) -> None:
    """Answer ``interaction`` privately, whether or not it has been responded to already."""
    kwargs.setdefault("allowed_mentions", NO_MENTIONS)
    if interaction.response.is_done():
        await interaction.followup.send(content, ephemeral=True, **kwargs)
    else:
        await interaction.response.send_message(content, ephemeral=True, **kwargs)


async def report_error(interaction: discord.Interaction, error: BaseException, where: str) -> None:
    """Tell the user what went wrong (friendly for expected errors) and log bugs."""
    renderer: Renderer = interaction.client.services.advisor.renderer  # type: ignore[attr-defined]
    language = i18n.language_of(str(interaction.locale)) or i18n.SOURCE
    try:
        message = friendly_message(error, renderer, language)
        if message is None:
            log.exception("unexpected error in %s", where, exc_info=unwrap(error))
            message = renderer.discord_text("unexpected", language)
        else:
            log.info("%s: %s", where, type(unwrap(error)).__name__)
    except Exception:  # a broken template must not leave the user without an answer
        log.exception("could not word the error reply in %s", where)
        message = UNEXPECTED
    try:
        await send_ephemeral(interaction, message)
    except discord.HTTPException as exc:
        # The interaction may have expired or Discord may be failing: nothing more to do.
        log.warning("could not tell the user about an error in %s: %s", where, exc)
    if is_damage(unwrap(error)):
        interaction.client.dispatch(DAMAGE_REPLIED)


class AdvisorTree(app_commands.CommandTree):
    """The command tree: every app command error ends in a friendly ephemeral reply."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        command = interaction.command.qualified_name if interaction.command else "an app command"
        await report_error(interaction, error, f"/{command}")


class AdvisorView(discord.ui.View):
    """A view whose errors reach the user like command errors do."""

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await report_error(interaction, error, f"component {getattr(item, 'custom_id', item)!r}")


class SafeDynamicItem:
    """Mixin for ``DynamicItem`` classes: discord.py only logs errors raised by a dynamic
    item's callback, so these implement :meth:`handle` and errors are reported here."""

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await self.handle(interaction)
        except Exception as exc:
            await report_error(interaction, exc, f"component {type(self).__name__}")

    async def handle(self, interaction: discord.Interaction) -> None:  # pragma: no cover
        raise NotImplementedError
