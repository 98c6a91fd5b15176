"""Sizes a reader can hold in their head: no module in the package over 450 lines, no
function over 60 (nested functions and methods included, decorators not counted).

One test per module, so a failure names the module and the functions to split.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pact_advisor"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "_data" not in p.parts)

MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60


def _id(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


def function_lengths(source: str) -> dict[str, int]:
    """Every function and method in ``source`` (by qualified name, with its first line) and
    its length in lines, from ``def`` to its last line."""
    lengths: dict[str, int] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = prefix
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assert child.end_lineno is not None
                lengths[f"{name} (line {child.lineno})"] = child.end_lineno - child.lineno + 1
            visit(child, f"{name}." if name != prefix else prefix)

    visit(ast.parse(source), "")
    return lengths


def test_function_lengths_count_nested_functions_and_methods():
    source = (
        "class A:\n    def f(self):\n        def g():\n            return 1\n        return g\n"
    )
    assert function_lengths(source) == {"A.f (line 2)": 4, "A.f.g (line 3)": 2}


def test_the_package_has_modules_to_measure():
    assert len(MODULES) > 50


@pytest.mark.parametrize("path", MODULES, ids=_id)
def test_no_module_is_over_450_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{_id(path)} has {lines} lines"


@pytest.mark.parametrize("path", MODULES, ids=_id)
def test_no_function_is_over_60_lines(path):
    lengths = function_lengths(path.read_text(encoding="utf-8"))
    too_long = {name: n for name, n in lengths.items() if n > MAX_FUNCTION_LINES}
    assert not too_long, f"{_id(path)}: {too_long}"
