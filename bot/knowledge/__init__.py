"""Guidance: the curated knowledge, its schema and its loader. No discord import here."""

from bot.knowledge.loader import Guidance, GuidanceError, Problem, guidance_version, load_guidance
from bot.knowledge.models import CONTEXT_SLOTS, Collection, Glossary, Item, Rules, Source

__all__ = [
    "CONTEXT_SLOTS",
    "Collection",
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
