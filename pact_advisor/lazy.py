"""Names of a package imported from their modules on first use (PEP 562).

A package's ``__init__`` lists where each public name lives and takes its module
``__getattr__`` and ``__dir__`` from :func:`exports`, so that importing one light module of
the package does not import all the others.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def exports(
    package: str, home: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``, whose public names are defined in
    its submodules as ``home`` says (name: submodule)."""

    def __getattr__(name: str) -> Any:
        where = home.get(name)
        if where is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{where}"), name)
        vars(sys.modules[package])[name] = value  # later lookups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted([*vars(sys.modules[package]), *home])

    return __getattr__, __dir__
