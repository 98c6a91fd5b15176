"""Typed settings for the Discord bot, built once in ``run_bot`` from the environment.

Nothing here runs at import time and no secret is needed to import the package: the token
is only read when :meth:`Settings.from_env` is called, and it is kept out of ``repr``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

APP_NAME = "pact-advisor"
DB_FILE = "advisor.db"

TOKEN_ENV = "DISCORD_TOKEN"
DB_ENV = "PACT_ADVISOR_DB"
DEV_GUILD_ENV = "PACT_ADVISOR_DEV_GUILD"
LOG_LEVEL_ENV = "PACT_ADVISOR_LOG_LEVEL"
RETENTION_ENV = "PACT_ADVISOR_RETENTION_DAYS"
MESSAGE_CONTENT_ENV = "PACT_ADVISOR_MESSAGE_CONTENT"

_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names the variable."""


def default_db_path() -> Path:
    """The database file in the user's data folder (``platformdirs``)."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / DB_FILE


@dataclass(frozen=True)
class Settings:
    """Everything the bot can be configured with. Defaults suit tests and a first run."""

    #: Never printed: excluded from ``repr`` so that logging a Settings cannot leak it.
    token: str | None = field(default=None, repr=False)
    db_path: Path = field(default_factory=default_db_path)
    #: Opt-in: sync the command tree to this guild in ``setup_hook`` (instant, for development).
    dev_guild: int | None = None
    log_level: str = "INFO"
    #: Stored question text is blanked after this many days.
    retention_days: float = 90
    #: Ask for the privileged Message Content intent (mention questions, replies, threads).
    message_content: bool = True
    #: /ask cooldown: ``ask_rate`` questions per ``ask_per`` seconds per user.
    ask_rate: int = 5
    ask_per: float = 30.0
    #: Seconds a database write waits for a lock before failing (kept under Discord's 3 s).
    db_timeout: float = 2.0
    #: How often expired question text is purged, in seconds.
    purge_interval: float = 3600.0

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        dotenv: str | os.PathLike[str] | bool = True,
    ) -> Settings:
        """Settings from ``environ`` (default ``os.environ``), after loading a ``.env`` file.

        ``dotenv``: ``True`` looks for ``.env`` from the current folder up, a path loads that
        file, ``False`` skips it. Variables already set win over the file.
        """
        if environ is None:
            if dotenv:
                from dotenv import find_dotenv, load_dotenv

                path = find_dotenv(usecwd=True) if dotenv is True else os.fspath(dotenv)
                if path:
                    load_dotenv(path, override=False)
            environ = os.environ

        def get(name: str) -> str | None:
            value = environ.get(name)
            return value.strip() if value and value.strip() else None

        token = get(TOKEN_ENV)
        db = get(DB_ENV)
        guild = get(DEV_GUILD_ENV)
        level = (get(LOG_LEVEL_ENV) or "INFO").upper()
        retention = get(RETENTION_ENV)
        content = get(MESSAGE_CONTENT_ENV)

        if level not in _LEVELS:
            raise SettingsError(
                f"{LOG_LEVEL_ENV} must be one of {', '.join(_LEVELS)}, not {level!r}"
            )
        dev_guild = None
        if guild is not None:
            if not guild.isdigit():
                raise SettingsError(f"{DEV_GUILD_ENV} must be a server (guild) id, a number")
            dev_guild = int(guild)
        retention_days = 90.0
        if retention is not None:
            try:
                retention_days = float(retention)
            except ValueError:
                raise SettingsError(f"{RETENTION_ENV} must be a number of days") from None
            if retention_days <= 0:
                raise SettingsError(f"{RETENTION_ENV} must be more than 0 days")
        message_content = True
        if content is not None:
            if content.lower() not in _TRUE | _FALSE:
                raise SettingsError(f"{MESSAGE_CONTENT_ENV} must be true or false")
            message_content = content.lower() in _TRUE
        return cls(
            token=token,
            db_path=Path(db).expanduser() if db else default_db_path(),
            dev_guild=dev_guild,
            log_level=level,
            retention_days=retention_days,
            message_content=message_content,
        )
