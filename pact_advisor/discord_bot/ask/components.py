"""The controls under an answer, and the "did you mean" buttons of a question not covered.

``custom_id`` carries the action and the item (``answer:helpful:diaspora.overview``,
``related:diaspora.overview``, ``suggest:diaspora.overview``), so they keep working after a
restart. The question behind an answer is the turn the store keeps for its message (until
retention purges the text).
"""

from __future__ import annotations

import logging
import re
from typing import Any

import discord

from pact_advisor.checklists import UnknownTopic
from pact_advisor.discord_bot.ask.explain import show_more, show_why
from pact_advisor.discord_bot.ask.votes import ask_why_not, vote_helpful
from pact_advisor.discord_bot.checklist.components import post_checklist
from pact_advisor.discord_bot.core.adapter import message_kwargs
from pact_advisor.discord_bot.core.errors import (
    AdvisorError,
    AdvisorView,
    SafeDynamicItem,
)
from pact_advisor.discord_bot.core.services import Services
from pact_advisor.discord_bot.translator import member_language
from pact_advisor.engine import Context, Turn
from pact_advisor.knowledge.translations import item_text
from pact_advisor.render import UnknownItem

log = logging.getLogger(__name__)

_ITEM = r"[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9]+(?:-[a-z0-9]+)*"
#: Button labels are limited to 80 characters.
LABEL_MAX = 80
#: Discord allows 5 buttons per row and 5 rows.
ROW_SIZE = 5

#: Discord shows at most 25 options in a select; a label is at most 100 characters.
OPTIONS_MAX = 25
OPTION_LABEL_MAX = 100

#: The buttons under an answer, in order; each is labelled by ``label_<action>`` in
#: ``messages.discord.j2``. ("related" is a select now; answers posted before keep a button.)
STYLES = {
    "checklist": discord.ButtonStyle.primary,
    "helpful": discord.ButtonStyle.success,
    "unhelpful": discord.ButtonStyle.secondary,
    "more": discord.ButtonStyle.secondary,
    "why": discord.ButtonStyle.secondary,
    "related": discord.ButtonStyle.secondary,
}
#: The buttons a new answer gets.
ANSWER_ACTIONS = ("checklist", "helpful", "unhelpful", "more", "why")


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _label(text: str) -> str:
    return _fit(text, LABEL_MAX)


def answer_view(
    services: Services, item_id: str, candidates: tuple[str, ...] = (), *, language: str = "en"
) -> discord.ui.View:
    """Checklist / Helpful / Not helpful / More / Why this? for ``item_id``, its related items
    as one select, and a button per candidate when the answer was a close call; labelled in
    ``language``."""
    view = AdvisorView(timeout=None)
    advisor = services.advisor
    for action in ANSWER_ACTIONS:
        label = advisor.renderer.discord_text(f"label_{action}", language=language)
        view.add_item(AnswerButton(action, item_id, label=label))
    related = related_select(services, item_id, language=language)
    if related is not None:
        view.add_item(related)
    for number, candidate in enumerate(candidates[:ROW_SIZE], start=1):
        add_suggestion(view, services, candidate, number=number, row=2, language=language)
    return view


def related_select(
    services: Services, item_id: str, *, language: str = "en"
) -> RelatedSelect | None:
    """The items related to ``item_id`` as one select (``None`` when it has none)."""
    advisor = services.advisor
    item = advisor.guidance.items.get(item_id)
    if item is None:
        return None
    options = [
        discord.SelectOption(
            label=_fit(item_text(advisor.guidance.items[r], language).title, OPTION_LABEL_MAX),
            value=r,
        )
        for r in item.related
        if r in advisor.guidance.items
    ][:OPTIONS_MAX]
    if not options:
        return None
    placeholder = advisor.renderer.discord_text("related_placeholder", language=language)
    return RelatedSelect(item_id, options=options, placeholder=placeholder)


def suggestion_view(
    services: Services, item_ids: tuple[str, ...], *, language: str = "en"
) -> discord.ui.View | None:
    """One "did you mean" button per suggested item (``None`` when there are none)."""
    view = AdvisorView(timeout=None)
    for item_id in item_ids[: ROW_SIZE * 4]:
        add_suggestion(view, services, item_id, language=language)
    return view if view.children else None


def add_suggestion(
    view: discord.ui.View,
    services: Services,
    item_id: str,
    *,
    number: int | None = None,
    row: int | None = None,
    language: str = "en",
) -> None:
    """A button opening ``item_id``, labelled with its title in ``language`` (numbered for
    candidates)."""
    advisor = services.advisor
    item = advisor.guidance.items.get(item_id)
    if item is None:
        return
    label = item_text(item, language).title
    if number is not None:
        label = advisor.renderer.discord_text(
            "label_candidate", number=number, title=label, language=language
        )
    view.add_item(SuggestionButton(item_id, label=_label(label), row=row))


class AnswerButton(
    SafeDynamicItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"answer:(?P<action>checklist|helpful|unhelpful|more|why|related):(?P<item>{_ITEM})",
):
    def __init__(self, action: str, item_id: str, *, label: str, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=STYLES[action],
                disabled=disabled,
                custom_id=f"answer:{action}:{item_id}",
                row=0,
            )
        )
        self.action, self.item_id = action, item_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> AnswerButton:
        return cls(match["action"], match["item"], label=item.label or "")

    async def handle(self, interaction: discord.Interaction) -> None:
        services: Services = interaction.client.services  # type: ignore[attr-defined]
        message_id = interaction.message.id if interaction.message else None
        turn = await services.turn_for_message(message_id)
        if self.action == "helpful":
            await vote_helpful(interaction, services, self.item_id, turn)
        elif self.action == "unhelpful":
            await ask_why_not(interaction, services, self.item_id, turn)
        elif self.action == "more":
            await show_more(interaction, services, self.item_id, turn)
        elif self.action == "why":
            await show_why(interaction, services, self.item_id, turn)
        elif self.action == "related":
            await self._related(interaction, services)
        else:
            await self._checklist(interaction, services, turn)

    async def _related(self, interaction: discord.Interaction, services: Services) -> None:
        advisor = services.advisor
        language = member_language(interaction)
        try:
            message = advisor.renderer.discord_related(self.item_id, language)
        except UnknownItem:
            raise AdvisorError(advisor.renderer.discord_text("item_gone", language)) from None
        kwargs = message_kwargs(message)
        related = advisor.guidance.items[self.item_id].related
        view = suggestion_view(services, related, language=language)
        if view is not None:
            kwargs["view"] = view
        await interaction.response.send_message(**kwargs, ephemeral=True)

    async def _checklist(
        self, interaction: discord.Interaction, services: Services, turn: Turn | None
    ) -> None:
        advisor = services.advisor
        # The answer's language: its question's, else the member's client's.
        locale = str(interaction.locale)
        try:
            checklist = advisor.answer_checklist(self.item_id, turn, fallback=locale)
        except UnknownTopic:
            text = advisor.renderer.discord_text("item_gone", member_language(interaction))
            raise AdvisorError(text) from None
        await post_checklist(interaction, services, checklist)


class SuggestionButton(
    SafeDynamicItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"suggest:(?P<item>{_ITEM})",
):
    """Open one suggested item: the answer to "did you mean …?"."""

    def __init__(self, item_id: str, *, label: str, row: int | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=f"suggest:{item_id}",
                row=row,
            )
        )
        self.item_id = item_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> SuggestionButton:
        return cls(match["item"], label=item.label or "")

    async def handle(self, interaction: discord.Interaction) -> None:
        # "Did you mean" under a private answer stays private: nothing of the question
        # behind it (its context) reaches the channel.
        private = bool(interaction.message and interaction.message.flags.ephemeral)
        await open_item(interaction, self.item_id, private=private)


class RelatedSelect(
    SafeDynamicItem,
    discord.ui.DynamicItem[discord.ui.Select],
    template=rf"related:(?P<item>{_ITEM})",
):
    """The items related to an answer's, in one select; the one picked opens privately."""

    def __init__(
        self,
        item_id: str,
        *,
        options: list[discord.SelectOption],
        placeholder: str | None = None,
    ) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=f"related:{item_id}",
                options=options,
                placeholder=placeholder,
                row=1,
            )
        )
        self.item_id = item_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Select, match: re.Match[str], /
    ) -> RelatedSelect:
        return cls(match["item"], options=list(item.options), placeholder=item.placeholder)

    async def handle(self, interaction: discord.Interaction) -> None:
        chosen = self.item.values[0] if self.item.values else None
        if chosen is None:
            await interaction.response.defer()
            return
        await open_item(interaction, chosen, private=True)


async def open_item(interaction: discord.Interaction, item_id: str, *, private: bool) -> None:
    """Show one item (as members see it: no keywords or examples) with its controls,
    written for the context of the answer it was opened from."""
    services: Services = interaction.client.services  # type: ignore[attr-defined]
    advisor = services.advisor
    language = member_language(interaction)
    if item_id not in advisor.guidance.items:
        raise AdvisorError(advisor.renderer.discord_text("item_gone", language))
    previous = await services.turn_for_message(
        interaction.message.id if interaction.message else None
    )
    context = previous.context if previous else None
    message = advisor.renderer.discord_item(item_id, context, language, internal=False)
    view = answer_view(services, item_id, language=language)
    await interaction.response.send_message(**message_kwargs(message), view=view, ephemeral=private)
    await remember_item(
        services, await interaction.original_response(), item_id, context, interaction.channel
    )


async def remember_item(
    services: Services, message: Any, item_id: str, context: Context | None, channel: Any
) -> None:
    """Store a message showing one item as a turn, so follow-ups continue from it.

    The item's title is what the engine searches again for "tell me more" or "make that a
    checklist" (every title retrieves its own item).
    """
    advisor = services.advisor
    turn = Turn(advisor.guidance.items[item_id].title, (item_id,), context or Context())
    await services.remember(message.id, turn, guidance_version=advisor.version, channel=channel)
