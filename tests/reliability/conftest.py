"""Reliability tests reuse the SimCord fixtures of ``tests/discord`` (a Pact Advisor bot on a
fresh database, the development server, Ana with Manage Server and Bob) rather than copying
them. ``tests/discord`` is not a package, so its conftest is loaded here by path under a name
of its own, and its ``sim_helpers`` is made importable. The load scenario they share with the
benchmark is ``benchmarks.scenario``."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import discord
import pytest

HERE = Path(__file__).resolve().parent
DISCORD_TESTS = HERE.parent / "discord"

if str(DISCORD_TESTS) not in sys.path:
    sys.path.append(str(DISCORD_TESTS))


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


_discord = _load("tests_discord_fixtures", DISCORD_TESTS / "conftest.py")

# The fixtures themselves (pytest registers fixture functions found in a conftest).
admin = _discord.admin
bot_options = _discord.bot_options
channel = _discord.channel
env = _discord.env
guidance_copy = _discord.guidance_copy
guild = _discord.guild
make_bot = _discord.make_bot
simcord_bot = _discord.simcord_bot
user = _discord.user


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The database file every bot built by ``make_bot`` uses."""
    return tmp_path / "advisor.db"


@pytest.fixture
def bot_env(monkeypatch, tmp_path, request):
    """run_bot's environment: the test module's ``TOKEN``, the database in tmp_path, and a
    login that is refused (a guard: a start that gets past the database says "Discord
    rejected the bot token"). Returns the database's path."""
    from pact_advisor.discord_bot import run as runmod

    for name in list(os.environ):
        if name.startswith(("DISCORD_", "PACT_ADVISOR_")) and name != "PACT_ADVISOR_CACHE":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(runmod, "configure_logging", lambda level: None)

    async def refuse(self, token):
        raise discord.LoginFailure("Improper token has been passed.")

    monkeypatch.setattr(discord.http.HTTPClient, "static_login", refuse)
    monkeypatch.setenv("DISCORD_TOKEN", request.module.TOKEN)
    monkeypatch.setenv("PACT_ADVISOR_DB", str(tmp_path / "advisor.db"))
    return tmp_path / "advisor.db"
