"""Entry points for ``pact-advisor bot`` and ``pact-advisor sync``.

Settings are built here (environment plus an optional ``.env``), logging is configured here,
and every failure ends in a clear message and an exit code; the token never appears in any
message or log line.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import sys
from typing import TextIO

import aiohttp
import discord
import jinja2

from pact_advisor.discord_bot.bot import AdvisorBot, create_bot
from pact_advisor.discord_bot.settings import DB_ENV, TOKEN_ENV, Settings, SettingsError
from pact_advisor.knowledge import GuidanceError
from pact_advisor.store import StoreError

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


def _say(text: str, out: TextIO | None = None) -> None:
    print(text, file=out or sys.stderr)


def _settings() -> Settings | None:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        _say(f"Configuration error: {exc}")
        return None


def _build(
    settings: Settings,
    guidance_dir: str | os.PathLike[str] | None,
    *,
    writes: bool = True,
) -> AdvisorBot | None:
    """The bot, or ``None`` after printing why it cannot be built.

    ``writes``: the bot will save ticks and votes, so the database must accept a write now.
    """
    try:
        bot = create_bot(settings.db_path, guidance_dir, settings=settings)
    except GuidanceError as exc:
        _say("The guidance could not be loaded:")
        for problem in exc.problems:
            _say(f"  {problem}")
        return None
    except StoreError as exc:
        _say(f"Cannot start: {exc}. Set {DB_ENV} to a writable file.")
        return None
    except (jinja2.TemplateError, OSError) as exc:
        _say(f"Cannot start: the message templates could not be loaded ({exc}).")
        return None
    problem = write_problem(settings.db_path, settings.db_timeout) if writes else None
    if problem is not None:
        bot.services.close()
        _say(f"Cannot start: the database at {settings.db_path} {problem}. {_DB_HINTS[problem]}")
        return None
    return bot


_READ_ONLY = "is read-only"
_LOCKED = "is locked by another program"
_DB_HINTS = {
    _READ_ONLY: f"Make the file (and its folder) writable, or set {DB_ENV} to a writable file.",
    _LOCKED: f"Stop the program holding it, or set {DB_ENV} to another file.",
}


def write_problem(path: str | os.PathLike[str], timeout: float) -> str | None:
    """Why the database at ``path`` cannot be written right now (``"is read-only"``,
    ``"is locked by another program"``), or ``None`` if it can.

    Opening the store only reads an up-to-date database, so without this a read-only file or
    a lock held by another program would start the bot anyway, and every tick would then be
    refused. One real write (the header's ``user_version``, set to itself) is rolled back.
    """
    if os.fspath(path) == ":memory:":
        return None
    try:
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    except sqlite3.Error:
        return None  # the store opened it a moment ago; let the store report what changed
    try:
        conn.execute("BEGIN IMMEDIATE")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        if code == sqlite3.SQLITE_READONLY:
            return _READ_ONLY
        if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            return _LOCKED
        log.warning("database write check failed: %s", exc)
        return None
    finally:
        conn.close()
    return None


async def _serve(settings: Settings, guidance_dir: str | os.PathLike[str] | None) -> int:
    assert settings.token is not None
    current = settings
    while True:
        bot = _build(current, guidance_dir)
        if bot is None:
            return EXIT_PROBLEM
        try:
            async with bot:
                await bot.start(current.token)  # type: ignore[arg-type]
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
    from dataclasses import replace

    return replace(settings, **changes)


def _settings_with_token() -> Settings | None:
    """Settings with a token and logging configured, or ``None`` after saying what is missing."""
    settings = _settings()
    if settings is None:
        return None
    if not settings.token:
        _say(NO_TOKEN)
        return None
    configure_logging(settings.log_level)
    return settings


def run_bot(guidance_dir: str | os.PathLike[str] | None = None) -> int:
    """Run the bot until interrupted; returns the process exit code."""
    settings = _settings_with_token()
    if settings is None:
        return EXIT_USAGE
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
    # No development sync inside setup_hook: this command decides where to sync.
    bot = _build(_replace(settings, dev_guild=None), guidance_dir, writes=False)
    if bot is None:
        return EXIT_PROBLEM
    async with bot:
        try:
            await bot.login(settings.token)  # type: ignore[arg-type]  (runs setup_hook)
        except discord.LoginFailure:
            _say(BAD_TOKEN)
            return EXIT_PROBLEM
        if guild_id is not None:
            guild = discord.Object(id=guild_id)
            bot.tree.copy_global_to(guild=guild)
            synced = await bot.tree.sync(guild=guild)
            where = f"server {guild_id}"
        else:
            synced = await bot.tree.sync()
            where = "all servers (global; may take up to an hour to appear)"
    _say(
        f"Synced {len(synced)} command(s) to {where}: " + ", ".join(sorted(c.name for c in synced)),
        sys.stdout,
    )
    return EXIT_OK


def sync_commands(
    guild_id: int | None = None, guidance_dir: str | os.PathLike[str] | None = None
) -> int:
    """Log in, sync the slash commands (to one server, or globally) and exit."""
    settings = _settings_with_token()
    if settings is None:
        return EXIT_USAGE
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
