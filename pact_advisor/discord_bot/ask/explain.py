""" "More" and "Why this?" under an answer, and the answer to one chosen candidate: each
works from the question behind the answer message, asked again and led by the item shown."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import discord

from pact_advisor.app import Answer
from pact_advisor.discord_bot.context.lookup import channel_setting
from pact_advisor.discord_bot.core.adapter import message_kwargs
from pact_advisor.discord_bot.core.errors import AdvisorError
from pact_advisor.discord_bot.core.services import Services
from pact_advisor.discord_bot.translator import member_language
from pact_advisor.engine import Result, Turn
from pact_advisor.render import DiscordMessage


def lead_with(result: Result, item_id: str) -> Result | None:
    """``result`` with ``item_id`` as its top match (``None`` when it did not match it)."""
    if not any(m.id == item_id for m in result.matches):
        return None
    ordered = tuple(sorted(result.matches, key=lambda m: m.id != item_id))
    return replace(result, matches=ordered, ambiguous=False, answered=True)


def answer_result(services: Services, item_id: str, turn: Turn | None) -> Result | None:
    """The engine's result for the question behind an answer, led by ``item_id``; ``None``
    when the question is no longer known (purged, or never stored)."""
    if turn is None:
        return None
    result = services.advisor.engine.ask(turn.question, context=turn.context)
    return lead_with(result, item_id)


def chosen_answer(services: Services, result: Result, locale: str) -> Answer:
    """The answer ``result`` makes once a candidate leads it, in the question's language."""
    return services.advisor.answer_of(result, fallback=locale)


async def note_for(services: Services, channel: Any, result: Result) -> str | None:
    setting = await channel_setting(services, channel)
    return setting.note_for(result.context) if setting else None


def item_message(
    services: Services, item_id: str, turn: Turn | None, language: str
) -> DiscordMessage:
    """The item as members see it (no keywords or example questions)."""
    advisor = services.advisor
    if item_id not in advisor.guidance.items:
        raise AdvisorError(advisor.renderer.discord_text("item_gone", language))
    context = turn.context if turn else None
    return advisor.renderer.discord_item(item_id, context, language, internal=False)


async def show_more(
    interaction: discord.Interaction, services: Services, item_id: str, turn: Turn | None
) -> None:
    """The rest of the answer, privately."""
    result = answer_result(services, item_id, turn)
    if result is None:
        message = item_message(services, item_id, turn, member_language(interaction))
    else:
        answer = chosen_answer(services, result, str(interaction.locale))
        note = await note_for(services, interaction.channel, result)
        message = services.advisor.renderer.discord_more(result, answer.language, note)
    await interaction.response.send_message(**message_kwargs(message), ephemeral=True)


async def show_why(
    interaction: discord.Interaction, services: Services, item_id: str, turn: Turn | None
) -> None:
    """Why this answer matched, privately."""
    result = answer_result(services, item_id, turn)
    renderer = services.advisor.renderer
    if result is None:
        text = renderer.discord_text("no_explanation", member_language(interaction))
        raise AdvisorError(text)
    answer = chosen_answer(services, result, str(interaction.locale))
    message = renderer.discord_why(result, answer.language)
    await interaction.response.send_message(**message_kwargs(message), ephemeral=True)
