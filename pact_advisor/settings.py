"""Every setting of every command, as one typed object read the same way everywhere.

:meth:`Settings.load` reads the command line's values, the environment and a ``.env`` file in
the current folder, in that order of precedence, and remembers where each value came from
(``pact-advisor config`` shows it). ``Settings()`` is the defaults alone: nothing is read at
import time or by building one, and no secret is needed to import anything. The token is kept
out of ``repr`` and is never shown by ``config``.

Each place a value can come from is one source (the environment, a ``.env`` file read by
python-dotenv), merged in order of precedence into one pydantic model, so that a value from
any of them is validated by the same field validators and an error names the variable and
where its value came from.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

APP_NAME = "pact-advisor"
DB_FILE = "advisor.db"
HISTORY_FILE = "chat-history"
DOTENV = ".env"

TOKEN_ENV = "DISCORD_TOKEN"
DB_ENV = "PACT_ADVISOR_DB"
DEV_GUILD_ENV = "PACT_ADVISOR_DEV_GUILD"
LOG_LEVEL_ENV = "PACT_ADVISOR_LOG_LEVEL"
RETENTION_ENV = "PACT_ADVISOR_RETENTION_DAYS"
MESSAGE_CONTENT_ENV = "PACT_ADVISOR_MESSAGE_CONTENT"
GUIDANCE_ENV = "PACT_ADVISOR_GUIDANCE"
CACHE_ENV = "PACT_ADVISOR_CACHE"
HISTORY_ENV = "PACT_ADVISOR_HISTORY"
DEBUG_ENV = "PACT_ADVISOR_DEBUG"

#: Where a value nobody set comes from.
DEFAULT = "default"
COMMAND_LINE = "command line"
ENVIRONMENT = "environment"

_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_OFF = {"", "0", "off", "no", "none"}


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names the variable."""


def default_db_path() -> Path:
    """The database file in the user's data folder (``platformdirs``)."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / DB_FILE


def default_cache_dir() -> Path:
    """The start-up cache in the user's cache folder."""
    return Path(platformdirs.user_cache_dir(APP_NAME))


def default_history_path() -> Path:
    """The chat's line history in the user's state folder."""
    return Path(platformdirs.user_state_dir(APP_NAME)) / HISTORY_FILE


def _env(name: str, default_text: str) -> dict[str, Any]:
    return {"variable": name, "default_text": default_text}


class Settings(BaseModel):
    """Everything Pact Advisor can be configured with. Defaults suit tests and a first run.

    A field with a ``variable`` is a setting a user can give; the others are tuning knobs
    that tests and benchmarks set directly.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=False)

    #: Never printed: excluded from ``repr`` so that logging a Settings cannot leak it.
    token: str | None = Field(
        default=None,
        repr=False,
        description="the Discord bot token (needed by bot and sync)",
        json_schema_extra=_env(TOKEN_ENV, "none"),
    )
    db_path: Path = Field(
        default_factory=default_db_path,
        description="SQLite file for checklists, feedback and unanswered questions",
        json_schema_extra=_env(DB_ENV, "advisor.db in the user data folder"),
    )
    #: Opt-in: sync the command tree to this guild in ``setup_hook`` (instant, for development).
    dev_guild: int | None = Field(
        default=None,
        description="a server id; the bot syncs its commands there at start, instantly",
        json_schema_extra=_env(DEV_GUILD_ENV, "off"),
    )
    log_level: str = Field(
        default="INFO",
        description="how much the bot logs: DEBUG, INFO, WARNING, ERROR or CRITICAL",
        json_schema_extra=_env(LOG_LEVEL_ENV, "INFO"),
    )
    #: Stored question text is blanked after this many days.
    retention_days: float = Field(
        default=90.0,
        description="days that stored question text is kept",
        json_schema_extra=_env(RETENTION_ENV, "90"),
    )
    #: Ask for the privileged Message Content intent (mention questions, replies, threads).
    message_content: bool = Field(
        default=True,
        description="false if the application has not been granted the Message Content intent",
        json_schema_extra=_env(MESSAGE_CONTENT_ENV, "true"),
    )
    guidance: Path | None = Field(
        default=None,
        description="a team's own guidance folder (also --guidance DIR)",
        json_schema_extra=_env(GUIDANCE_ENV, "the bundled guidance"),
    )
    cache_dir: Path | None = Field(
        default_factory=default_cache_dir,
        description="folder for the start-up cache; off disables it",
        json_schema_extra=_env(CACHE_ENV, "the user cache folder"),
    )
    history_path: Path | None = Field(
        default_factory=default_history_path,
        description="file where chat keeps the lines typed; off keeps none",
        json_schema_extra=_env(HISTORY_ENV, "chat-history in the user state folder"),
    )
    debug: bool = Field(
        default=False,
        description="1 to show the traceback of an internal error",
        json_schema_extra=_env(DEBUG_ENV, "off"),
    )
    #: /ask cooldown: ``ask_rate`` questions per ``ask_per`` seconds per user.
    ask_rate: int = 5
    ask_per: float = 30.0
    #: Checklists made and exports per member: ``checklist_rate`` per ``checklist_per`` s.
    checklist_rate: int = 5
    checklist_per: float = 60.0
    #: Changes to checklist steps per member: ``change_rate`` per ``change_per`` seconds.
    change_rate: int = 30
    change_per: float = 60.0
    #: Seconds a database write waits for a lock before failing (kept under Discord's 3 s).
    db_timeout: float = 2.0
    #: How often expired question text is purged, in seconds.
    purge_interval: float = 3600.0

    _origins: dict[str, str] = PrivateAttr(default_factory=dict)

    # -- validation: each message completes "<VARIABLE> ..." ----------------------------------

    @field_validator("log_level", mode="before")
    @classmethod
    def _level(cls, value: Any) -> str:
        level = str(value).strip().upper()
        if level not in _LEVELS:
            raise ValueError(f"must be one of {', '.join(_LEVELS)}, not {level!r}")
        return level

    @field_validator("dev_guild", mode="before")
    @classmethod
    def _guild(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip().isdigit():
            raise ValueError("must be a server (guild) id, a number")
        return value

    @field_validator("retention_days", mode="before")
    @classmethod
    def _days(cls, value: Any) -> float:
        try:
            days = float(value)
        except (TypeError, ValueError, OverflowError):
            raise ValueError("must be a number of days") from None
        # nan compares false with everything and inf never expires: either would silently
        # turn the purge off.
        if not math.isfinite(days):
            raise ValueError(f"must be a finite number of days, not {value!r}")
        if days <= 0:
            raise ValueError("must be more than 0 days")
        return days

    @field_validator("message_content", "debug", mode="before")
    @classmethod
    def _switch(cls, value: Any) -> Any:
        if isinstance(value, str):
            if value.strip().lower() not in _TRUE | _FALSE:
                raise ValueError("must be true or false")
            return value.strip().lower() in _TRUE
        return value

    @field_validator("cache_dir", "history_path", mode="before")
    @classmethod
    def _off(cls, value: Any) -> Any:
        if isinstance(value, str):
            return None if value.strip().lower() in _OFF else Path(value).expanduser()
        return value

    @field_validator("db_path", "guidance", mode="before")
    @classmethod
    def _path(cls, value: Any) -> Any:
        return Path(value).expanduser() if isinstance(value, str) else value

    # -- where values come from ---------------------------------------------------------------

    @classmethod
    def load(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        dotenv: str | os.PathLike[str] | bool = True,
        **given: Any,
    ) -> Settings:
        """The settings in force: ``given`` (the command line's, ``None`` for not given),
        then ``environ`` (default ``os.environ``), then a ``.env`` file.

        ``dotenv``: ``True`` reads ``.env`` in the current folder when there is one, a path
        reads that file, ``False`` reads none. Raises :class:`SettingsError` naming the
        variable and where its value came from.
        """
        given = {name: value for name, value in given.items() if value is not None}
        sources = [_Variables(cls, os.environ if environ is None else environ, ENVIRONMENT)]
        path = dotenv_path(dotenv)
        if path is not None:
            sources.append(_Variables(cls, read_dotenv(path), str(path)))
        values: dict[str, Any] = {}
        for source in reversed(sources):  # earlier sources win
            values.update(source())
        values.update(given)
        try:
            settings = cls(**values)
        except ValidationError as exc:
            raise SettingsError(_explain(exc, sources, given)) from None
        settings._origins = {
            name: _origin(name, sources, given) for name in settings.variables_by_field()
        }
        return settings

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        dotenv: str | os.PathLike[str] | bool = True,
    ) -> Settings:
        """Settings from ``environ``; with no ``environ``, from ``os.environ`` and ``.env``."""
        return cls.load(environ, dotenv=dotenv if environ is None else False)

    @classmethod
    def variables_by_field(cls) -> dict[str, str]:
        """Each user-facing setting's field name and its variable, in documentation order."""
        return {
            name: extra["variable"]
            for name, field in cls.model_fields.items()
            if isinstance(extra := field.json_schema_extra, dict) and "variable" in extra
        }

    def origin(self, name: str) -> str:
        """Where the value of field ``name`` came from: command line, environment, a .env
        file's path, or default."""
        return self._origins.get(name, DEFAULT)

    def shown(self) -> Iterator[SettingShown]:
        """Every user-facing setting as ``config`` prints it; the token's value never."""
        for name, variable in self.variables_by_field().items():
            value = getattr(self, name)
            field = type(self).model_fields[name]
            extra = field.json_schema_extra
            assert isinstance(extra, dict)
            if name == "token":
                text = "set (hidden)" if value else "not set"
            elif value is None:
                text = f"{extra['default_text']}" if self.origin(name) == DEFAULT else "off"
            else:
                text = _text(value)
            yield SettingShown(variable, text, self.origin(name), field.description or "")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class SettingShown:
    variable: str
    value: str
    origin: str
    meaning: str


def dotenv_path(dotenv: str | os.PathLike[str] | bool = True) -> Path | None:
    """The ``.env`` file to read: the one in the current folder, if any, for ``True``."""
    if dotenv is False:
        return None
    path = Path.cwd() / DOTENV if dotenv is True else Path(dotenv)
    return path.resolve() if path.is_file() else None


def read_dotenv(path: Path) -> dict[str, str | None]:
    from dotenv import dotenv_values

    return dict(dotenv_values(path))


def settings_help() -> str:
    """Every setting with its variable, meaning and default, for ``--help``."""
    lines = ["settings (from the environment, or a .env file in the current folder):"]
    for name, variable in Settings.variables_by_field().items():
        field = Settings.model_fields[name]
        extra = field.json_schema_extra
        assert isinstance(extra, dict)
        lines.append(f"  {variable}")
        lines.append(f"      {field.description} (default: {extra['default_text']})")
    lines.append("  `pact-advisor config` shows the settings in force and where each came from.")
    return "\n".join(lines)


class _Variables:
    """Settings from one set of variables: the environment, or a ``.env`` file's.

    A blank value counts as not set.
    """

    def __init__(
        self, settings_cls: type[Settings], variables: Mapping[str, str | None], where: str
    ) -> None:
        self.settings_cls = settings_cls
        self.variables = variables
        self.where = where

    def __call__(self) -> dict[str, str]:
        """The values this source sets, by field name."""
        found = {}
        for name, variable in self.settings_cls.variables_by_field().items():
            value = self.variables.get(variable)
            text = value.strip() if isinstance(value, str) else ""
            if text:
                found[name] = text
        return found


def _origin(name: str, sources: list[_Variables], given: Mapping[str, Any]) -> str:
    if name in given:
        return COMMAND_LINE
    for source in sources:
        if name in source():
            return source.where
    return DEFAULT


def _explain(exc: ValidationError, sources: list[_Variables], given: Mapping[str, Any]) -> str:
    variables = Settings.variables_by_field()
    lines = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        message = error["msg"].removeprefix("Value error, ")
        where = _origin(name, sources, given)
        variable = variables.get(name, name)
        suffix = "" if where in (ENVIRONMENT, DEFAULT) else f" (set in {where})"
        lines.append(f"{variable} {message}{suffix}")
    return "; ".join(lines)
