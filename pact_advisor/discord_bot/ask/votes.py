"""Helpful / Not helpful: one vote per member per answer, stored with the message and the
member, so it survives restarts and counts once; a member can change it. "Not helpful" asks
why in one step (a modal with the reasons and an optional short text)."""

from __future__ import annotations

import logging
from typing import Any

import discord

from pact_advisor.discord_bot.core.errors import report_error, send_ephemeral
from pact_advisor.discord_bot.core.services import Services
from pact_advisor.discord_bot.translator import member_language
from pact_advisor.engine import Turn
from pact_advisor.knowledge.privacy import has_personal_data
from pact_advisor.store.channel import NOTE_MAX, REASONS

log = logging.getLogger(__name__)


def _text(services: Services, interaction: discord.Interaction, name: str, **values: Any) -> str:
    return services.advisor.renderer.discord_text(name, member_language(interaction), **values)


async def vote_helpful(
    interaction: discord.Interaction, services: Services, item_id: str, turn: Turn | None
) -> None:
    message_id = interaction.message.id if interaction.message else 0
    store = services.store
    previous = await store.get_vote(message_id, interaction.user.id)
    if previous is not None and previous.helpful:
        await send_ephemeral(interaction, _text(services, interaction, "vote_kept", helpful=True))
        return
    await store.set_vote(
        message_id,
        item_id,
        True,
        user_id=interaction.user.id,
        question=turn.question if turn else None,
        guidance_version=services.advisor.version,
    )
    name = "vote_changed_helpful" if previous is not None else "thanks_helpful"
    await send_ephemeral(interaction, _text(services, interaction, name))


async def ask_why_not(
    interaction: discord.Interaction, services: Services, item_id: str, turn: Turn | None
) -> None:
    """Open the "what was wrong?" modal; the vote is stored when it is submitted."""
    message_id = interaction.message.id if interaction.message else 0
    previous = await services.store.get_vote(message_id, interaction.user.id)
    modal = WhyNotHelpful(services, interaction, message_id, item_id, turn, previous)
    await interaction.response.send_modal(modal)


class WhyNotHelpful(discord.ui.Modal):
    """Why an answer was not helpful: a reason, and optionally a few words."""

    def __init__(
        self,
        services: Services,
        interaction: discord.Interaction,
        message_id: int,
        item_id: str,
        turn: Turn | None,
        previous: Any,
    ) -> None:
        def text(name: str, **values: Any) -> str:
            return _text(services, interaction, name, **values)

        super().__init__(title=text("unhelpful_title")[:45], timeout=900)
        self.services, self.message_id, self.item_id, self.turn = (
            services,
            message_id,
            item_id,
            turn,
        )
        self.previous = previous
        earlier = previous.reason if previous is not None and not previous.helpful else None
        self.reason = discord.ui.Select(
            custom_id="reason",
            options=[
                discord.SelectOption(
                    label=text("reason_label", reason=r), value=r, default=r == earlier
                )
                for r in REASONS
            ],
        )
        self.note = discord.ui.TextInput(
            custom_id="note", required=False, max_length=NOTE_MAX, style=discord.TextStyle.short
        )
        self.add_item(discord.ui.Label(text=text("unhelpful_reason"), component=self.reason))
        self.add_item(discord.ui.Label(text=text("unhelpful_note")[:45], component=self.note))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        reason = self.reason.values[0] if self.reason.values else "other"
        note = self.note.value or None
        if note and has_personal_data(note):
            note = None  # never stored: the reason is enough
        await self.services.store.set_vote(
            self.message_id,
            self.item_id,
            False,
            user_id=interaction.user.id,
            question=self.turn.question if self.turn else None,
            guidance_version=self.services.advisor.version,
            reason=reason,
            note=note,
        )
        changed = self.previous is not None and self.previous.helpful
        name = "vote_changed_not_helpful" if changed else "thanks_not_helpful"
        await send_ephemeral(interaction, _text(self.services, interaction, name))

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await report_error(interaction, error, "the not-helpful form")
