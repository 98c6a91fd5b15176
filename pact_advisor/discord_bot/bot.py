"""The bot: one factory, collaborators passed in, async set-up in ``setup_hook``."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

import discord
from discord.ext import commands

from pact_advisor.app import Advisor
from pact_advisor.discord_bot.core.adapter import NO_MENTIONS
from pact_advisor.discord_bot.core.errors import AdvisorTree
from pact_advisor.discord_bot.core.services import Limiter, Services
from pact_advisor.discord_bot.settings import Settings
from pact_advisor.discord_bot.translator import CatalogueTranslator
from pact_advisor.resources import guidance_dir as default_guidance_dir
from pact_advisor.resources import prompts_dir as default_prompts_dir
from pact_advisor.store import AsyncStore, Store

log = logging.getLogger(__name__)

#: One extension per cog, each a module ending in ``async def setup(bot)``; loaded in this
#: order by ``AdvisorBot.setup_hook``. A feature's cog registers its own persistent buttons.
EXTENSIONS = (
    "pact_advisor.discord_bot.ask.cog",
    "pact_advisor.discord_bot.checklist.cog",
    "pact_advisor.discord_bot.checklist.digest",
    "pact_advisor.discord_bot.guidance.cog",
    "pact_advisor.discord_bot.context.cog",
    "pact_advisor.discord_bot.admin.cog",
    "pact_advisor.discord_bot.admin.retention",
    "pact_advisor.discord_bot.admin.provenance",
)

MESSAGE_CONTENT_OFF = (
    "The Message Content intent is off: slash commands and the message menu work, but "
    "mention questions need it: without it, replies to answers and follow-ups in threads "
    "arrive without text, and only messages that @mention the bot directly (and DMs) can be "
    "read. Enable it in the Discord Developer Portal → your application → Bot → Privileged "
    "Gateway Intents → Message Content Intent."
)


def virtual_clock() -> float:
    """Discord's idea of now (``discord.utils.utcnow``) in epoch seconds."""
    return discord.utils.utcnow().timestamp()


class AdvisorBot(commands.Bot):
    """Pact Advisor on Discord. Build it with :func:`create_bot`.

    ``owns_store``: closing the bot closes the store too. ``create_bot`` hands the bot the
    store it opened; ``run`` keeps the store open across the bots it starts, and closes it.
    """

    def __init__(self, services: Services, settings: Settings, *, owns_store: bool = False) -> None:
        intents = discord.Intents.default()
        intents.message_content = settings.message_content
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents,
            tree_cls=AdvisorTree,
            allowed_mentions=NO_MENTIONS,
        )
        self.services = services
        self.settings = settings
        self.owns_store = owns_store

    async def setup_hook(self) -> None:
        # Command names and descriptions in each member's language, synced with the tree.
        await self.tree.set_translator(CatalogueTranslator())
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if not self.intents.message_content:
            log.warning(MESSAGE_CONTENT_OFF)
        if self.settings.dev_guild is not None:
            # Opt-in development sync: instant, and only to one server. Global sync is a
            # separate command (pact-advisor sync), never done at start.
            guild = discord.Object(id=self.settings.dev_guild)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info(
                "synced %d command(s) to the development server %s",
                len(synced),
                self.settings.dev_guild,
            )

    async def on_message(self, message: discord.Message, /) -> None:
        # No prefix commands: questions in messages are handled by the ask cog's listener.
        # (The default would look every mention up as a command and log "not found".)
        return

    async def on_error(self, event_method: str, /, *args: object, **kwargs: object) -> None:
        # An event handler failed (there is no interaction to answer): log it, keep serving.
        log.exception("unexpected error in %s", event_method)

    async def on_ready(self) -> None:
        # Fires again on every reconnect: log only.
        log.info(
            "connected as %s (id %s) to %d server(s), guidance %s",
            self.user,
            self.user.id if self.user else "?",
            len(self.guilds),
            self.services.advisor.version,
        )

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            if self.owns_store:
                self.services.close()


def open_services(
    db_path: str | os.PathLike[str],
    guidance_dir: str | os.PathLike[str] | None,
    settings: Settings,
    clock: Callable[[], float] | None = None,
) -> Services:
    """What a bot serves from: guidance loaded and validated, the store opened.

    Raises ``GuidanceError``, ``jinja2.TemplateError`` or ``StoreError`` (see
    :func:`create_bot`); whoever calls this closes the store (``services.close()``).
    """
    directory = Path(guidance_dir) if guidance_dir else default_guidance_dir()
    # The database first: a file that cannot be used stops the start in milliseconds, before
    # the guidance is loaded and the engine fitted.
    store = AsyncStore(
        Store(
            db_path,
            clock=clock or virtual_clock,
            retention_days=settings.retention_days,
            busy_timeout=settings.db_timeout,
        )
    )
    try:
        advisor = Advisor.load(directory, prompts_dir=default_prompts_dir(), eager=True)
    except BaseException:
        store.close()
        raise
    return Services(
        advisor=advisor,
        store=store,
        guidance_dir=directory,
        prompts_dir=default_prompts_dir(),
        ask_limiter=Limiter(settings.ask_rate, settings.ask_per),
        checklist_limiter=Limiter(settings.checklist_rate, settings.checklist_per),
        change_limiter=Limiter(settings.change_rate, settings.change_per),
    )


def create_bot(
    db_path: str | os.PathLike[str],
    guidance_dir: str | os.PathLike[str] | None = None,
    *,
    settings: Settings | None = None,
    clock: Callable[[], float] | None = None,
) -> AdvisorBot:
    """A ready bot with every cog: guidance loaded and validated, the store opened.

    ``clock`` (epoch seconds) drives the store: retention and report times. It defaults to
    Discord's clock, which a simulator can move. Raises ``GuidanceError`` for bad guidance,
    ``jinja2.TemplateError`` for a broken template and ``StoreError`` if the database cannot
    be opened; close the bot (``await bot.close()``) to close the store.
    """
    settings = settings or Settings()
    services = open_services(db_path, guidance_dir, settings, clock)
    return AdvisorBot(services, settings, owns_store=True)
