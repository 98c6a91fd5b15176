"""Rendering: everything a user sees, worded by the Jinja2 templates in ``prompts/``.

Views (plain data) are rendered by target: the terminal and Markdown, or Discord. No discord
import here: Discord messages are plain data (:class:`DiscordMessage`) that the Discord
adapter turns into ``discord.Embed`` objects.
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
from pact_advisor.render.renderer import Renderer
from pact_advisor.render.views import AnswerKind, UnknownItem, View, Views

__all__ = [
    "LIMITS",
    "AnswerKind",
    "DiscordMessage",
    "EmbedSpec",
    "FieldSpec",
    "Limits",
    "Renderer",
    "UnknownItem",
    "View",
    "Views",
    "check",
    "discord_escape",
    "fit",
    "md_escape",
    "plain",
    "truncate_sentence",
]
