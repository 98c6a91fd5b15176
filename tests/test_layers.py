"""The package in layers that only point down:

    i18n ← knowledge ← engine ← checklists ← store ← render ← app ← cli / discord_bot

Every import is counted, also those inside functions or under ``TYPE_CHECKING``: a type a
module names is a dependency too. Only the Discord glue imports discord.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pact_advisor"

#: Each part of the package and its layer: a part may import its own layer's modules
#: only within itself, and any lower layer.
LAYER = {
    "__init__": 0,
    "resources": 0,
    "i18n": 0,
    "knowledge": 1,
    "engine": 2,
    "checklists": 3,
    "evaluation": 3,
    "store": 4,
    "render": 5,
    "app": 6,
    "cli": 7,
    "discord_bot": 7,
    "__main__": 8,
}
#: ``pact-advisor bot`` and ``sync`` start the Discord front end from the command line.
ALLOWED = {("cli", "discord_bot")}


def _part(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, by its dotted name."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "_data" not in p.parts)


def test_every_part_of_the_package_has_a_layer():
    assert {_part(p) for p in MODULES} <= set(LAYER)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path):
    part = _part(path)
    for name in _imports(path):
        top, _, rest = name.partition(".")
        if top != "pact_advisor":
            continue
        target = rest.partition(".")[0] or "__init__"
        if target == part or (part, target) in ALLOWED:
            continue
        assert LAYER[target] < LAYER[part], f"{path.name} ({part}) imports {name}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_discord_glue_imports_discord(path):
    if _part(path) == "discord_bot":
        return
    assert not {n for n in _imports(path) if n.split(".")[0] == "discord"}, path
