"""``pact-advisor bot`` and ``pact-advisor sync``: the Discord bot (discord.py loads only here)."""

from __future__ import annotations

import argparse
from typing import TextIO


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bot",
        help="run the Discord bot",
        description="Run the Discord bot. Settings come from the environment or a .env file: DISCORD_TOKEN, PACT_ADVISOR_DB, PACT_ADVISOR_DEV_GUILD, PACT_ADVISOR_LOG_LEVEL.",
    )
    p.set_defaults(func=cmd_bot)

    p = sub.add_parser(
        "sync",
        help="sync slash commands with Discord",
        description="Sync the bot's slash commands with Discord, globally or to one guild.",
    )
    p.add_argument(
        "--guild",
        type=int,
        metavar="ID",
        help="sync to this guild only (instant) instead of globally",
    )
    p.set_defaults(func=cmd_sync)


def cmd_bot(args: argparse.Namespace, out: TextIO) -> int:
    from pact_advisor.discord_bot.run import run_bot

    return run_bot(guidance_dir=args.guidance)


def cmd_sync(args: argparse.Namespace, out: TextIO) -> int:
    from pact_advisor.discord_bot.run import sync_commands

    return sync_commands(guild_id=args.guild, guidance_dir=args.guidance)
