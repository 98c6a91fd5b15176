"""Rules plus TF-IDF retrieval: from a practitioner's question to ranked guidance."""

from pact_advisor.engine.engine import Context, Engine, Match, Result, Turn
from pact_advisor.engine.index import Index, IndexConfig

__all__ = ["Context", "Engine", "Index", "IndexConfig", "Match", "Result", "Turn"]
