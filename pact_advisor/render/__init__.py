"""Rendering: everything a user sees, worded by the Jinja2 templates in ``prompts/``.

No discord import here: Discord messages are plain data (:class:`DiscordMessage`) that the
Discord adapter turns into ``discord.Embed`` objects.
"""

from pact_advisor.render.embeds import (
    LIMITS,
    DiscordMessage,
    EmbedSpec,
    FieldSpec,
    Limits,
    check,
    fit,
)
from pact_advisor.render.filters import discord_escape, md_escape, plain, truncate_sentence
from pact_advisor.render.renderer import Renderer, UnknownItem

__all__ = [
    "LIMITS",
    "DiscordMessage",
    "EmbedSpec",
    "FieldSpec",
    "Limits",
    "Renderer",
    "UnknownItem",
    "check",
    "discord_escape",
    "fit",
    "md_escape",
    "plain",
    "truncate_sentence",
]
