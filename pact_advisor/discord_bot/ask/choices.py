"""The buttons of an ambiguous answer: one per candidate. The member's pick answers privately
with that candidate, and its Helpful / Not helpful / Checklist act on it, never silently on
the first match."""

from __future__ import annotations

import re

import discord

from pact_advisor.discord_bot.ask.components import ROW_SIZE, _label, answer_view, open_item
from pact_advisor.discord_bot.ask.explain import answer_result, chosen_answer, note_for
from pact_advisor.discord_bot.core.adapter import message_kwargs
from pact_advisor.discord_bot.core.errors import AdvisorError, AdvisorView, SafeDynamicItem
from pact_advisor.discord_bot.core.services import Services
from pact_advisor.discord_bot.translator import member_language
from pact_advisor.engine import Turn
from pact_advisor.knowledge.translations import item_text

_ITEM = r"[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9]+(?:-[a-z0-9]+)*"


def candidates_view(
    services: Services, item_ids: tuple[str, ...], *, language: str = "en"
) -> discord.ui.View | None:
    """One numbered button per candidate of a close call (``None`` when there are none)."""
    view = AdvisorView(timeout=None)
    advisor = services.advisor
    for number, item_id in enumerate(item_ids[:ROW_SIZE], start=1):
        item = advisor.guidance.items.get(item_id)
        if item is None:
            continue
        label = advisor.renderer.discord_text(
            "label_candidate",
            number=number,
            title=item_text(item, language).title,
            language=language,
        )
        view.add_item(CandidateButton(item_id, label=_label(label)))
    return view if view.children else None


class CandidateButton(
    SafeDynamicItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"candidate:(?P<item>{_ITEM})",
):
    """Answer with this candidate, privately, with controls acting on it."""

    def __init__(self, item_id: str, *, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle.primary, custom_id=f"candidate:{item_id}"
            )
        )
        self.item_id = item_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> CandidateButton:
        return cls(match["item"], label=item.label or "")

    async def handle(self, interaction: discord.Interaction) -> None:
        services: Services = interaction.client.services  # type: ignore[attr-defined]
        advisor = services.advisor
        if self.item_id not in advisor.guidance.items:
            text = advisor.renderer.discord_text("item_gone", member_language(interaction))
            raise AdvisorError(text)
        message_id = interaction.message.id if interaction.message else None
        turn = await services.turn_for_message(message_id)
        result = answer_result(services, self.item_id, turn)
        if result is None or turn is None:  # the question is no longer known: the item
            await open_item(interaction, self.item_id, private=True)
            return
        answer = chosen_answer(services, result, str(interaction.locale))
        note = await note_for(services, interaction.channel, result)
        message = advisor.renderer.discord_answer(
            answer.kind, result, language=answer.language, context_note=note
        )
        view = answer_view(services, self.item_id, language=answer.language)
        await interaction.response.send_message(
            **message_kwargs(message), view=view, ephemeral=True
        )
        shown = await interaction.original_response()
        chosen = Turn(turn.question, tuple(m.id for m in result.matches), turn.context)
        await services.remember(shown.id, chosen, guidance_version=advisor.version)
