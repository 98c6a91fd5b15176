"""Guidance: the curated knowledge, its schema, its loader, the context advice is for and
the sandboxed slot filler that words advice for it. No discord import here."""

from pact_advisor.knowledge.context import Context, context_values
from pact_advisor.knowledge.fill import DEFAULTS, SlotFiller, slot_values
from pact_advisor.knowledge.loader import (
    Guidance,
    GuidanceError,
    Problem,
    guidance_version,
    load_guidance,
)
from pact_advisor.knowledge.models import CONTEXT_SLOTS, Collection, Glossary, Item, Rules, Source

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
