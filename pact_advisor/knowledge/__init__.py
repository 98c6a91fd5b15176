"""Guidance: the curated knowledge, its schema and its loader. No discord import here."""

from pact_advisor.knowledge.context import Context
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
    "Collection",
    "Context",
    "Glossary",
    "Guidance",
    "GuidanceError",
    "Item",
    "Problem",
    "Rules",
    "Source",
    "guidance_version",
    "load_guidance",
]
