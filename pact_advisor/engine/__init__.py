"""Rules plus TF-IDF retrieval: from a practitioner's question to ranked guidance.

The result types import nothing heavy; :class:`Engine` and :class:`Index` (NumPy, SciPy,
scikit-learn) load on first use, so commands that never retrieve never pay for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pact_advisor.engine.result import Match, Result, Turn
from pact_advisor.knowledge import Context

if TYPE_CHECKING:
    from pact_advisor.engine.engine import Engine
    from pact_advisor.engine.index import Index, IndexConfig

__all__ = ["Context", "Engine", "Index", "IndexConfig", "Match", "Result", "Turn"]

_LAZY = {
    "Engine": "pact_advisor.engine.engine",
    "Index": "pact_advisor.engine.index",
    "IndexConfig": "pact_advisor.engine.index",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
