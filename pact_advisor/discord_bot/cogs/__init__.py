"""One cog per feature; each module is an extension ending in ``async def setup(bot)``."""

#: Loaded in this order by ``AdvisorBot.setup_hook``.
EXTENSIONS = (
    "pact_advisor.discord_bot.cogs.ask",
    "pact_advisor.discord_bot.cogs.checklist",
    "pact_advisor.discord_bot.cogs.guidance",
    "pact_advisor.discord_bot.cogs.admin",
    "pact_advisor.discord_bot.cogs.retention",
)
