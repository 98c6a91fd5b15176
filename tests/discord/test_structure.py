"""The shape of the Discord package: documented commands, one extension per cog, and no
discord import below the adapter."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from discord import app_commands

from pact_advisor.discord_bot.bot import EXTENSIONS

PACKAGE = Path(__file__).resolve().parents[2] / "pact_advisor"


async def test_every_command_and_option_is_described(env):
    commands = list(env.bot.tree.walk_commands())
    names = {c.qualified_name for c in commands}
    assert {
        "ask",
        "checklist",
        "topics",
        "guidance",
        "help",
        "advisor reload",
        "advisor report",
        "advisor purge",
    } <= names
    for command in commands:
        assert command.description and command.description != "…", command.qualified_name
        if isinstance(command, app_commands.Command):
            for param in command.parameters:
                assert param.description and param.description != "…", (
                    f"/{command.qualified_name} {param.name}"
                )
    menus = [
        c.name for c in env.bot.tree.get_commands(type=__import__("discord").AppCommandType.message)
    ]
    assert menus == ["Ask Pact Advisor"]


def test_each_cog_module_ends_with_an_async_setup():
    for name in EXTENSIONS:
        module = importlib.import_module(name)
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        last = tree.body[-1]
        assert isinstance(last, ast.AsyncFunctionDef) and last.name == "setup", name


def test_library_layers_never_import_discord():
    for folder in ("engine", "knowledge", "render", "store"):
        for path in (PACKAGE / folder).glob("*.py"):
            _assert_no_discord(path)
    _assert_no_discord(PACKAGE / "checklists.py")


def _assert_no_discord(path: Path) -> None:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            assert not any(a.name.split(".")[0] == "discord" for a in node.names), path
        elif isinstance(node, ast.ImportFrom):
            assert (node.module or "").split(".")[0] != "discord", path
