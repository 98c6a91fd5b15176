"""The Discord front end: discord.py glue over the engine, renderer, checklists and store.

``create_bot(db_path, guidance_dir)`` builds a ready bot; ``run.run_bot`` and
``run.sync_commands`` are what ``pact-advisor bot`` and ``pact-advisor sync`` call.
Importing this package needs no token and touches no network or file.
"""

from pact_advisor.discord_bot.bot import AdvisorBot, create_bot
from pact_advisor.discord_bot.services import Knowledge, Services
from pact_advisor.discord_bot.settings import Settings, SettingsError

__all__ = ["AdvisorBot", "Knowledge", "Services", "Settings", "SettingsError", "create_bot"]
