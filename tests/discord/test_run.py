"""``pact-advisor bot`` / ``sync``: settings, and every way starting can fail."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import discord
import pytest

from pact_advisor.discord_bot import create_bot
from pact_advisor.discord_bot import run as runmod
from pact_advisor.discord_bot.settings import Settings, SettingsError, default_db_path

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "MTIzNDU2Nzg5.secret-token-value.never-shown"


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No bot variables set and no .env file to find."""
    for name in (
        "DISCORD_TOKEN",
        "PACT_ADVISOR_DB",
        "PACT_ADVISOR_DEV_GUILD",
        "PACT_ADVISOR_LOG_LEVEL",
        "PACT_ADVISOR_RETENTION_DAYS",
        "PACT_ADVISOR_MESSAGE_CONTENT",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(runmod, "configure_logging", lambda level: None)
    return monkeypatch


def test_settings_from_the_environment(tmp_path):
    settings = Settings.from_env(
        {
            "DISCORD_TOKEN": TOKEN,
            "PACT_ADVISOR_DB": str(tmp_path / "a.db"),
            "PACT_ADVISOR_DEV_GUILD": "123",
            "PACT_ADVISOR_LOG_LEVEL": "debug",
            "PACT_ADVISOR_RETENTION_DAYS": "30",
        }
    )
    assert settings.token == TOKEN
    assert settings.db_path == tmp_path / "a.db"
    assert settings.dev_guild == 123
    assert settings.log_level == "DEBUG"
    assert settings.retention_days == 30
    assert TOKEN not in repr(settings)


def test_settings_defaults():
    settings = Settings.from_env({})
    assert settings.token is None and settings.dev_guild is None
    assert settings.db_path == default_db_path()
    assert default_db_path().name == "advisor.db" and "pact-advisor" in str(default_db_path())
    assert settings.retention_days == 90 and settings.message_content


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PACT_ADVISOR_DEV_GUILD", "my-server", "PACT_ADVISOR_DEV_GUILD must be"),
        ("PACT_ADVISOR_LOG_LEVEL", "loud", "PACT_ADVISOR_LOG_LEVEL must be one of"),
        ("PACT_ADVISOR_RETENTION_DAYS", "0", "more than 0 days"),
        ("PACT_ADVISOR_RETENTION_DAYS", "soon", "a number of days"),
    ],
)
def test_bad_settings_are_named(name, value, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({name: value})


def test_settings_read_a_dotenv_file(clean_env, tmp_path):
    (tmp_path / ".env").write_text(f"DISCORD_TOKEN={TOKEN}\nPACT_ADVISOR_DEV_GUILD=42\n")
    clean_env.setenv("PACT_ADVISOR_DEV_GUILD", "7")  # the environment wins over the file
    settings = Settings.from_env()
    assert settings.token == TOKEN and settings.dev_guild == 7


def test_without_a_token_it_says_where_to_get_one(clean_env, capsys):
    assert runmod.run_bot() == 2
    err = capsys.readouterr().err
    assert "DISCORD_TOKEN" in err
    assert "Discord Developer Portal" in err and "Bot → Reset Token" in err
    assert runmod.sync_commands(guild_id=1) == 2


def test_a_database_that_cannot_be_opened_stops_with_a_message(clean_env, tmp_path, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    clean_env.setenv("DISCORD_TOKEN", TOKEN)
    clean_env.setenv("PACT_ADVISOR_DB", str(blocker / "advisor.db"))
    assert runmod.run_bot() == 1
    err = capsys.readouterr().err
    assert "Cannot start: could not open the database at" in err
    assert "PACT_ADVISOR_DB" in err and TOKEN not in err


def test_broken_guidance_stops_with_the_problems(clean_env, tmp_path, capsys):
    clean_env.setenv("DISCORD_TOKEN", TOKEN)
    clean_env.setenv("PACT_ADVISOR_DB", str(tmp_path / "advisor.db"))
    assert runmod.run_bot(guidance_dir=tmp_path / "missing") == 1
    assert "guidance folder not found" in capsys.readouterr().err


def test_a_rejected_token_is_never_shown(clean_env, tmp_path, capsys, caplog):
    async def refuse(self, token):
        raise discord.LoginFailure("Improper token has been passed.")

    clean_env.setattr(discord.http.HTTPClient, "static_login", refuse)
    clean_env.setenv("DISCORD_TOKEN", TOKEN)
    clean_env.setenv("PACT_ADVISOR_DB", str(tmp_path / "advisor.db"))
    with caplog.at_level(logging.DEBUG):
        assert runmod.run_bot() == 1
        assert runmod.sync_commands() == 1
    out = capsys.readouterr()
    assert "Discord rejected the bot token" in out.err
    assert TOKEN not in out.out + out.err + caplog.text


def test_an_unapproved_message_content_intent_falls_back_to_slash_commands(
    clean_env, tmp_path, caplog
):
    started: list[bool] = []
    stores = []

    async def start(self, token, *, reconnect=True):
        started.append(self.intents.message_content)
        stores.append(self.services.store)
        assert not self.services.store.closed
        if self.intents.message_content:
            raise discord.PrivilegedIntentsRequired(None)

    clean_env.setattr(discord.Client, "start", start)
    clean_env.setenv("DISCORD_TOKEN", TOKEN)
    clean_env.setenv("PACT_ADVISOR_DB", str(tmp_path / "advisor.db"))
    with caplog.at_level(logging.WARNING):
        assert runmod.run_bot() == 0
    assert started == [True, False]
    # One store for both bots, open while they run and closed once the second is done.
    assert stores[0] is stores[1] and stores[0].closed
    assert "Message Content intent" in caplog.text and "Slash commands work" in caplog.text


def test_importing_needs_no_token_and_touches_nothing(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import importlib, pact_advisor.discord_bot.run\n"
            "from pact_advisor.discord_bot.bot import EXTENSIONS\n"
            "for name in EXTENSIONS: importlib.import_module(name)",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert list(home.iterdir()) == [] and not (tmp_path / ".env").exists()


async def test_closing_a_bot_from_create_bot_closes_its_store(tmp_path):
    bot = create_bot(tmp_path / "advisor.db", settings=Settings())
    store = bot.services.store
    assert not store.closed
    await bot.close()
    assert store.closed
