"""The package in layers that only point down:

    i18n, cachedir, collector ← knowledge ← engine ← checklists ← store ← render ← app ← gate
        ← cli / discord_bot

Every import is counted, also those inside functions or under ``TYPE_CHECKING``: a type a
module names is a dependency too. Only the Discord glue imports discord.py, and no two
packages (``discord_bot.ask`` and ``discord_bot.checklist`` as much as ``render`` and
``store``) import each other, directly or around a loop.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pact_advisor"

#: Each part of the package and its layer: a part may import its own layer's modules
#: only within itself, and any lower layer.
LAYER = {
    "__init__": 0,
    "resources": 0,
    "settings": 0,
    "i18n": 0,
    "lazy": 0,
    "collector": 0,
    "cachedir": 0,
    "knowledge": 1,
    "engine": 2,
    "checklists": 3,
    "evaluation": 3,
    "store": 4,
    "render": 5,
    "app": 6,
    "gate": 7,
    "cli": 8,
    "discord_bot": 8,
    "__main__": 9,
}
#: ``pact-advisor bot`` and ``sync`` start the Discord front end from the command line.
ALLOWED = {("cli", "discord_bot")}


def _part(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, by its dotted name (relative imports resolved; for
    ``from package import name``, also ``package.name``, which may be a module)."""
    package = _module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # ``from . import x`` in a.b.c is a.b; ``from .. import x``, a
                parts = package.split(".")
                anchor = parts[: len(parts) - node.level + 1]
                module = ".".join([*anchor, node.module] if node.module else anchor)
            names.add(module)
            names |= {f"{module}.{a.name}" for a in node.names if a.name != "*"}
    return names - {""}


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
        if target not in LAYER:  # ``from pact_advisor import __version__``
            target = "__init__"
        if target == part or (part, target) in ALLOWED:
            continue
        assert LAYER[target] < LAYER[part], f"{path.name} ({part}) imports {name}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_discord_glue_imports_discord(path):
    if _part(path) == "discord_bot":
        return
    assert not {n for n in _imports(path) if n.split(".")[0] == "discord"}, path


#: Every package of ``pact_advisor``, and the modules directly in it, by dotted name.
PACKAGES = {_module_name(p) for p in MODULES if p.name == "__init__.py"}
TOP_MODULES = {_module_name(p) for p in MODULES if p.parent == PACKAGE}


def _unit(name: str) -> str | None:
    """What an imported name belongs to when packages are compared: its package, or for a
    module directly in ``pact_advisor`` (``app``, ``checklists``), itself. ``None`` outside."""
    if name.split(".")[0] != "pact_advisor":
        return None
    while name not in PACKAGES and name not in TOP_MODULES:
        name = name.rpartition(".")[0]
    return name


def package_graph() -> dict[str, set[str]]:
    """Which package imports which (a package's own modules and itself not counted)."""
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        source = _unit(_module_name(path))
        assert source is not None
        targets = {_unit(name) for name in _imports(path)} - {None, source}
        graph.setdefault(source, set()).update(t for t in targets if t is not None)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import loop in ``graph`` (``[a, b, a]``), or ``None`` if there is none."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        for target in sorted(graph.get(node, ())):
            cycle = visit(target, [*path, node])
            if cycle:
                return cycle
        done.add(node)
        return None

    for start in sorted(graph):
        cycle = visit(start, [])
        if cycle:
            return cycle
    return None


def test_a_loop_between_packages_is_found():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_feature_packages_are_in_the_graph():
    graph = package_graph()
    assert "pact_advisor.discord_bot.core" in graph["pact_advisor.discord_bot.ask"]
    assert "pact_advisor.render" in graph["pact_advisor.app"]


def test_no_import_cycle_between_packages():
    assert find_cycle(package_graph()) is None


#: Imports every module of ``engine`` and ``render`` (the lazily loaded ones too) and
#: prints every part of the package that is loaded then.
LOADED = """
import importlib, pkgutil, sys
import pact_advisor.engine, pact_advisor.render
for package in (pact_advisor.engine, pact_advisor.render):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
parts = {m.split(".")[1] for m in sys.modules if m.startswith("pact_advisor.")}
print(" ".join(sorted(parts)))
"""


def test_render_and_engine_load_nothing_above_them():
    done = subprocess.run(
        [sys.executable, "-c", LOADED],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PACKAGE.parent,
    )
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    assert {"engine", "render"} <= loaded
    assert not {p for p in loaded if LAYER[p] > LAYER["render"]}, loaded
    # The engine's modules (and what they load) sit below the checklists and the store.
    assert not {"app", "cli", "discord_bot"} & loaded
