"""The Discord front end: discord.py glue over the application layer and the store.

``create_bot(db_path, guidance_dir)`` builds a ready bot; ``run.run_bot`` and
``run.sync_commands`` are what ``pact-advisor bot`` and ``pact-advisor sync`` call.
Importing this package needs no token and touches no network or file.
"""

from pact_advisor.discord_bot.bot import AdvisorBot, create_bot
from pact_advisor.discord_bot.core.services import Services
from pact_advisor.discord_bot.settings import Settings, SettingsError

__all__ = ["AdvisorBot", "Services", "Settings", "SettingsError", "create_bot"]
