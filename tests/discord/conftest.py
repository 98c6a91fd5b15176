"""SimCord fixtures: a Pact Advisor bot on a fresh database, a server with an admin and a
member. SimCord never closes bots, so every bot built here is closed at teardown (which
closes its store too)."""

from __future__ import annotations

import shutil
from pathlib import Path

import discord
import pytest

from pact_advisor.discord_bot import Settings, create_bot
from pact_advisor.resources import guidance_dir

#: The development server the bot syncs its commands to (SimCord checks the sync).
GUILD_ID = 1_400_000_000_000_000_001


def settings_for_tests(**changes) -> Settings:
    values = {"dev_guild": GUILD_ID, "db_timeout": 0.2, **changes}
    return Settings(**values)


@pytest.fixture
def guidance_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled guidance, safe to break."""
    target = tmp_path / "guidance"
    shutil.copytree(guidance_dir(), target)
    return target


@pytest.fixture
def bot_options() -> dict:
    """Override in a test module (or parametrize) to change how the bot is built."""
    return {}


@pytest.fixture
async def make_bot(tmp_path: Path, bot_options: dict):
    """Build bots sharing one database file; all are closed at teardown."""
    bots = []

    def make(**kw):
        options = {**bot_options, **kw}
        settings = options.pop("settings", None) or settings_for_tests(
            **options.pop("settings_changes", {})
        )
        bot = create_bot(
            tmp_path / "advisor.db", options.pop("guidance_dir", None), settings=settings, **options
        )
        bots.append(bot)
        return bot

    yield make
    for bot in bots:
        if not bot.is_closed():
            await bot.close()


@pytest.fixture
def simcord_bot(make_bot):
    return make_bot()


@pytest.fixture
def env(simcord_env):
    """The simulated Discord with the bot logged in."""
    return simcord_env


@pytest.fixture
def guild(env):
    """The development server (the bot syncs its commands there)."""
    return env.create_guild("Pact", id=GUILD_ID)


@pytest.fixture
def channel(guild):
    return guild.create_text_channel("general")


@pytest.fixture
def admin(env, guild):
    """Ana, who has Manage Server."""
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    return guild.add_member(env.create_user("ana", global_name="Ana"), roles=[admins])


@pytest.fixture
def user(env, guild):
    """Bob, a plain member."""
    return guild.add_member(env.create_user("bob", global_name="Bob"))
