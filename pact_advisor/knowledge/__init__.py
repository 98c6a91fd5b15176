"""Guidance: the curated knowledge, its schema, its loader, the context advice is for and
the sandboxed slot filler that words advice for it. No discord import here.

The names below are imported from their modules on first use (PEP 562), so that importing
one light module of this package (``knowledge.lookup``, say) does not build every pydantic
model of the schema: commands that never load guidance start without them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pact_advisor.lazy import exports

if TYPE_CHECKING:
    from pact_advisor.knowledge.context import Context, context_values
    from pact_advisor.knowledge.errors import GuidanceError, Problem
    from pact_advisor.knowledge.fill import DEFAULTS, SlotFiller, slot_values
    from pact_advisor.knowledge.loader import Guidance, guidance_version, load_guidance
    from pact_advisor.knowledge.models import (
        CONTEXT_SLOTS,
        Collection,
        Glossary,
        Item,
        Rules,
        Source,
    )

#: Each public name and the module that defines it.
_HOME = {
    "Context": "context",
    "context_values": "context",
    "DEFAULTS": "fill",
    "SlotFiller": "fill",
    "slot_values": "fill",
    "Guidance": "loader",
    "GuidanceError": "errors",
    "Problem": "errors",
    "guidance_version": "loader",
    "load_guidance": "loader",
    "CONTEXT_SLOTS": "models",
    "Collection": "models",
    "Glossary": "models",
    "Item": "models",
    "Rules": "models",
    "Source": "models",
}

__all__ = [
    "CONTEXT_SLOTS",
    "DEFAULTS",
    "Collection",
    "Context",
    "Glossary",
    "Guidance",
    "GuidanceError",
    "Item",
    "Problem",
    "Rules",
    "SlotFiller",
    "Source",
    "context_values",
    "guidance_version",
    "load_guidance",
    "slot_values",
]


__getattr__, __dir__ = exports(__name__, _HOME)
