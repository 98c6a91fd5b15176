"""``pact-advisor bot`` and ``pact-advisor sync``: the Discord bot (discord.py loads only here)."""

from __future__ import annotations

import argparse
from typing import TextIO

from pact_advisor.cli.parser import PROG, add_command
from pact_advisor.settings import settings_help


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "bot",
        help="run the Discord bot",
        description="Run the Discord bot until stopped (Ctrl-C). The token and the other settings come from the environment or a .env file in the current folder.",
        example_lines=(
            'echo "DISCORD_TOKEN=..." > .env',
            f"{PROG} bot",
            f"PACT_ADVISOR_LOG_LEVEL=DEBUG {PROG} bot --guidance ./our-guidance",
        ),
        more=settings_help(),
    )
    p.set_defaults(func=cmd_bot)

    p = add_command(
        sub,
        "sync",
        help="sync slash commands with Discord",
        description="Register the bot's slash commands with Discord, globally (up to an hour to appear) or in one server at once. Needs DISCORD_TOKEN; creates no database.",
        example_lines=(
            f"{PROG} sync",
            f"{PROG} sync --guild 123456789012345678   # a server id: Developer Mode, right-click the server, Copy Server ID",
        ),
        more=settings_help(),
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

    return run_bot(guidance_dir=args.settings.guidance)


def cmd_sync(args: argparse.Namespace, out: TextIO) -> int:
    from pact_advisor.discord_bot.run import sync_commands

    return sync_commands(guild_id=args.guild, guidance_dir=args.settings.guidance)
