"""The bot's settings are Pact Advisor's one settings object (:mod:`pact_advisor.settings`),
re-exported here for the Discord glue."""

from pact_advisor.settings import (
    APP_NAME,
    DB_ENV,
    DB_FILE,
    DEV_GUILD_ENV,
    LOG_LEVEL_ENV,
    MESSAGE_CONTENT_ENV,
    RETENTION_ENV,
    TOKEN_ENV,
    Settings,
    SettingsError,
    default_db_path,
)

__all__ = [
    "APP_NAME",
    "DB_ENV",
    "DB_FILE",
    "DEV_GUILD_ENV",
    "LOG_LEVEL_ENV",
    "MESSAGE_CONTENT_ENV",
    "RETENTION_ENV",
    "TOKEN_ENV",
    "Settings",
    "SettingsError",
    "default_db_path",
]
