"""Entry points for ``pact-advisor bot`` and ``pact-advisor sync``.

This module owns the lifetimes: it opens the store once, starts a bot on it (a second one
if Discord refuses the Message Content intent), and closes the store when the bot is done.

Settings are built here (environment plus an optional ``.env``), logging is configured here,
and every failure ends in a clear message and an exit code; the token never appears in any
message or log line.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
from pathlib import Path
from typing import TextIO

import aiohttp
import discord
import jinja2
from discord import app_commands

from pact_advisor.discord_bot.bot import AdvisorBot, open_services
from pact_advisor.discord_bot.core.services import Services
from pact_advisor.discord_bot.settings import DB_ENV, TOKEN_ENV, Settings, SettingsError
from pact_advisor.knowledge import GuidanceError
from pact_advisor.store import LOCKED, READ_ONLY, StoreError, UnusableDatabase, write_problem
from pact_advisor.store.lock import AlreadyRunning, ProcessLock

log = logging.getLogger(__name__)

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2

NO_TOKEN = f"""\
No Discord bot token: set {TOKEN_ENV} in the environment or in a .env file.
Get one in the Discord Developer Portal (https://discord.com/developers/applications):
your application → Bot → Reset Token. Keep it secret."""
BAD_TOKEN = (
    f"Discord rejected the bot token ({TOKEN_ENV}). Check it, or make a new one in the "
    "Discord Developer Portal: your application → Bot → Reset Token."
)
INTENT_REFUSED = (
    "Discord refused the Message Content intent (it is not enabled for this application): "
    "starting without it. Slash commands work; mention questions, replies and thread "
    "follow-ups need it (Developer Portal → your application → Bot → Privileged Gateway "
    "Intents → Message Content Intent)."
)


def configure_logging(level: str) -> None:
    """Log to stderr at ``level``; discord.py's own chatter stays at INFO or above."""
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)-8s %(name)s: %(message)s",
    )
    logging.getLogger("discord").setLevel(max(logging.INFO, logging.getLogger().level))
    # The bot has no voice features: warnings that voice libraries are missing would only
    # worry whoever reads the log.
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False


def _say(text: str, out: TextIO | None = None) -> None:
    print(text, file=out or sys.stderr)


def _settings() -> Settings | None:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        _say(f"Configuration error: {exc}")
        return None


def _open(
    settings: Settings,
    guidance_dir: str | os.PathLike[str] | None,
    *,
    writes: bool = True,
) -> Services | None:
    """Guidance and store for the bots to come, or ``None`` after printing why not.

    ``writes``: the bot will save ticks and votes, so the database must accept a write now.
    """
    try:
        services = open_services(settings.db_path, guidance_dir, settings)
    except GuidanceError as exc:
        _say("The guidance could not be loaded:")
        for problem in exc.problems:
            _say(f"  {problem}")
        return None
    except UnusableDatabase as exc:
        _say(
            f"Cannot start: {exc}. Restore the file from a backup, move it away, or set "
            f"{DB_ENV} to another file."
        )
        return None
    except StoreError as exc:
        _say(f"Cannot start: {exc}. Set {DB_ENV} to a writable file.")
        return None
    except (jinja2.TemplateError, OSError) as exc:
        _say(f"Cannot start: the message templates could not be loaded ({exc}).")
        return None
    problem = write_problem(settings.db_path, settings.db_timeout) if writes else None
    if problem is not None:
        services.close()
        _say(f"Cannot start: the database at {settings.db_path} {problem}. {_DB_HINTS[problem]}")
        return None
    return services


_DB_HINTS = {
    READ_ONLY: f"Make the file (and its folder) writable, or set {DB_ENV} to a writable file.",
    LOCKED: f"Stop the program holding it, or set {DB_ENV} to another file.",
}


async def _serve(settings: Settings, guidance_dir: str | os.PathLike[str] | None) -> int:
    """Lock the database for this process, open the store, run bots on it until one ends,
    close the store."""
    lock = ProcessLock(settings.db_path)
    try:
        lock.acquire()
    except AlreadyRunning as exc:
        _say(f"Cannot start: {exc}. Stop it first, or set {DB_ENV} to another file.")
        return EXIT_PROBLEM
    except StoreError as exc:
        _say(f"Cannot start: {exc}. Set {DB_ENV} to a writable file.")
        return EXIT_PROBLEM
    try:
        services = _open(settings, guidance_dir)
        if services is None:
            return EXIT_PROBLEM
        try:
            return await _start(services, settings)
        finally:
            services.close()
    finally:
        lock.release()


async def _start(services: Services, settings: Settings) -> int:
    """Run a bot until it stops; without the Message Content intent if Discord refuses it."""
    assert settings.token is not None
    current = settings
    while True:
        bot = AdvisorBot(services, current)
        try:
            async with bot:
                await bot.start(settings.token)
            return EXIT_OK
        except discord.PrivilegedIntentsRequired:
            if not current.message_content:
                raise
            log.warning(INTENT_REFUSED)
            current = _replace(current, message_content=False)
        except discord.LoginFailure:
            _say(BAD_TOKEN)
            return EXIT_PROBLEM


def _replace(settings: Settings, **changes: object) -> Settings:
    return settings.model_copy(update=changes)


#: What a bot token can be made of: printable ASCII, no spaces (Discord's are base64 and dots).
_TOKEN_CHARACTERS = re.compile(r"[\x21-\x7e]+")


def _settings_with_token() -> Settings | int:
    """Settings with a token and logging configured, or the exit code after saying what is
    wrong: a missing token, or one that cannot be a token at all (a newline or a space
    inside, from a mangled ``.env`` line), which the HTTP layer would refuse with a
    traceback before Discord ever saw it."""
    settings = _settings()
    if settings is None:
        return EXIT_USAGE
    if not settings.token:
        _say(NO_TOKEN)
        return EXIT_USAGE
    if _TOKEN_CHARACTERS.fullmatch(settings.token) is None:
        _say(BAD_TOKEN)
        return EXIT_PROBLEM
    configure_logging(settings.log_level)
    return settings


def run_bot(guidance_dir: str | os.PathLike[str] | None = None) -> int:
    """Run the bot until interrupted; returns the process exit code."""
    settings = _settings_with_token()
    if isinstance(settings, int):
        return settings
    log.info("starting Pact Advisor (database %s)", settings.db_path)
    try:
        return asyncio.run(_serve(settings, guidance_dir))
    except KeyboardInterrupt:
        return EXIT_OK
    except discord.HTTPException as exc:
        _say(f"Discord error: {exc.status} {exc.text or ''}".strip())
        return EXIT_PROBLEM
    except (aiohttp.ClientError, OSError) as exc:
        _say(f"Cannot reach Discord: {type(exc).__name__}. Check the network connection.")
        return EXIT_PROBLEM


async def _sync(
    settings: Settings, guild_id: int | None, guidance_dir: str | os.PathLike[str] | None
) -> int:
    # No development sync inside setup_hook: this command decides where to sync. Syncing
    # stores nothing, so it creates no database either.
    quiet = _replace(settings, dev_guild=None, db_path=Path(":memory:"))
    services = _open(quiet, guidance_dir, writes=False)
    if services is None:
        return EXIT_PROBLEM
    try:
        async with AdvisorBot(services, quiet) as bot:
            synced = await _sync_tree(bot, settings, guild_id)
    finally:
        services.close()
    if synced is None:
        return EXIT_PROBLEM
    where = (
        f"server {guild_id}"
        if guild_id is not None
        else "all servers (global; may take up to an hour to appear)"
    )
    _say(
        f"Synced {len(synced)} command(s) to {where}: " + ", ".join(sorted(c.name for c in synced)),
        sys.stdout,
    )
    return EXIT_OK


async def _sync_tree(
    bot: AdvisorBot, settings: Settings, guild_id: int | None
) -> list[app_commands.AppCommand] | None:
    """Log in (which runs ``setup_hook``) and sync; ``None`` after saying the token is bad."""
    try:
        await bot.login(settings.token)  # type: ignore[arg-type]
    except discord.LoginFailure:
        _say(BAD_TOKEN)
        return None
    if guild_id is None:
        return await bot.tree.sync()
    guild = discord.Object(id=guild_id)
    bot.tree.copy_global_to(guild=guild)
    return await bot.tree.sync(guild=guild)


def sync_commands(
    guild_id: int | None = None, guidance_dir: str | os.PathLike[str] | None = None
) -> int:
    """Log in, sync the slash commands (to one server, or globally) and exit."""
    settings = _settings_with_token()
    if isinstance(settings, int):
        return settings
    try:
        return asyncio.run(_sync(settings, guild_id, guidance_dir))
    except discord.Forbidden as exc:
        _say(
            f"Discord refused the sync ({exc.status}): is the bot in that server, with the "
            "applications.commands scope?"
        )
        return EXIT_PROBLEM
    except discord.HTTPException as exc:
        _say(f"Discord error while syncing: {exc.status} {exc.text or ''}".strip())
        return EXIT_PROBLEM
    except (aiohttp.ClientError, OSError) as exc:
        _say(f"Cannot reach Discord: {type(exc).__name__}. Check the network connection.")
        return EXIT_PROBLEM
