"""The shape of the Discord package: documented commands, a folder per feature with its cog
loaded as an extension, and no discord import below the adapter."""

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
        "advisor rollback",
        "advisor report",
        "advisor purge",
        "context set",
        "context show",
        "context clear",
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
    assert menus == ["Ask Pact Advisor", "Add to guidance", "Why this answer?"]


def test_each_cog_module_ends_with_an_async_setup():
    for name in EXTENSIONS:
        module = importlib.import_module(name)
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        last = tree.body[-1]
        assert isinstance(last, ast.AsyncFunctionDef) and last.name == "setup", name


def test_every_feature_folder_has_its_cog_loaded_as_an_extension():
    glue = PACKAGE / "discord_bot"
    features = {p.parent.name for p in glue.glob("*/__init__.py")} - {"core"}
    assert features == {"admin", "ask", "checklist", "context", "guidance"}
    for feature in features:
        assert f"pact_advisor.discord_bot.{feature}.cog" in EXTENSIONS, feature


async def test_every_extension_is_loaded_with_its_cog(env):
    assert set(env.bot.extensions) == set(EXTENSIONS)
    assert set(env.bot.cogs) == {
        "Ask",
        "Checklists",
        "Digest",
        "GuidanceBrowser",
        "ChannelContext",
        "Admin",
        "Retention",
        "Provenance",
    }


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
