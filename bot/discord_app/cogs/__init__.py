"""One cog per feature; each module is an extension ending in ``async def setup(bot)``."""

#: Loaded in this order by ``AdvisorBot.setup_hook``.
EXTENSIONS = (
    "bot.discord_app.cogs.ask",
    "bot.discord_app.cogs.checklist",
    "bot.discord_app.cogs.guidance",
    "bot.discord_app.cogs.admin",
    "bot.discord_app.cogs.retention",
)
