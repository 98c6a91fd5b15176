"""Asking: ``/ask``, the "Ask Pact Advisor" message menu, mentions, DMs and follow-ups.

A reply to one of the bot's answers, or a message in a thread (or DM) where the bot answered,
continues that conversation: the engine resolves "what about Morocco?", "make that a
checklist" or "tell me more" against the previous turn.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from pact_advisor.discord_bot.ask.answering import answer_interaction, answer_message
from pact_advisor.discord_bot.ask.choices import CandidateButton
from pact_advisor.discord_bot.ask.components import AnswerButton, RelatedSelect, SuggestionButton
from pact_advisor.discord_bot.core.errors import AdvisorError
from pact_advisor.discord_bot.core.services import conversation_channel
from pact_advisor.discord_bot.translator import LANGUAGE_CHOICES, member_language
from pact_advisor.engine import Turn

if TYPE_CHECKING:
    from pact_advisor.discord_bot.bot import AdvisorBot

log = logging.getLogger(__name__)

QUESTION_MAX = 500
#: Reacted to a message asked over the rate limit (it gets no answer).
SLOW_DOWN = "⏳"

DYNAMIC_ITEMS = (AnswerButton, RelatedSelect, SuggestionButton, CandidateButton)


def _cooldown(interaction: discord.Interaction) -> bool:
    interaction.client.services.ask_limiter.check(interaction)  # type: ignore[attr-defined]
    return True


class Ask(commands.Cog):
    """Questions in any form, answered from the guidance."""

    def __init__(self, bot: AdvisorBot) -> None:
        self.bot = bot
        # Context menus cannot be declared inside a cog class: build one and add it.
        self.ask_menu = app_commands.ContextMenu(name="Ask Pact Advisor", callback=self.ask_about)
        self.ask_menu.add_check(_cooldown)
        bot.tree.add_command(self.ask_menu)

    async def cog_load(self) -> None:
        # The buttons under answers keep working after a restart: their custom_id is matched.
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.ask_menu.name, type=self.ask_menu.type)
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)

    @app_commands.command(name="ask")
    @app_commands.describe(
        question="Your question, in your own words (English, French or Spanish)",
        language="The language of the answer (default: your question's)",
    )
    @app_commands.choices(language=LANGUAGE_CHOICES)
    @app_commands.check(_cooldown)
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, QUESTION_MAX],
        language: app_commands.Choice[str] | None = None,
    ) -> None:
        """Ask a question about designing or running a migration partnership."""
        services = self.bot.services
        # In a thread or DM where the bot answered, a short question can be a follow-up.
        previous = await services.turn_for_channel(interaction.channel_id)
        chosen = language.value if language else None
        await answer_interaction(interaction, services, question, previous, language=chosen)

    async def ask_about(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Answer the selected message as a question."""
        text = " ".join(message.content.split())[:QUESTION_MAX]
        if not text:
            raise AdvisorError(
                self.bot.services.advisor.renderer.discord_text(
                    "no_text", language=member_language(interaction)
                )
            )
        await answer_interaction(interaction, self.bot.services, text)

    # -- messages -----------------------------------------------------------------------------

    def _strip_mention(self, text: str) -> str:
        me = self.bot.user
        if me is None:
            return text.strip()
        return re.sub(rf"<@!?{me.id}>", " ", text).strip()

    async def _replied_turn(self, message: discord.Message) -> tuple[bool, Turn | None]:
        """Whether ``message`` replies to the bot, and the turn of the answer it replies to."""
        ref = message.reference
        if ref is None or ref.message_id is None:
            return False, None
        resolved = ref.resolved
        if isinstance(resolved, discord.Message) and resolved.author != self.bot.user:
            return False, None  # a reply to someone else
        turn = await self.bot.services.turn_for_message(ref.message_id)
        return (turn is not None or isinstance(resolved, discord.Message)), turn

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.bot.user is None:
            return
        services = self.bot.services
        is_dm = message.guild is None
        mentioned = self.bot.user in message.mentions
        replying, previous = await self._replied_turn(message)
        in_conversation = False
        if previous is None and not replying:
            # A thread or DM the bot answered in (other channels have no conversation turn).
            previous = await services.turn_for_channel(conversation_channel(message.channel))
            in_conversation = previous is not None
        if not (is_dm or mentioned or replying or in_conversation):
            return
        text = self._strip_mention(message.content)
        if not text:
            if not message.content and not self.bot.intents.message_content:
                log.debug(
                    "message %s arrived without content (Message Content intent off)", message.id
                )
            if not (mentioned or is_dm):
                return
            text = "help"
        if services.ask_limiter.hit(message.author.id, message.created_at.timestamp()):
            # The /ask limit covers every way of asking: no public answer over it.
            log.info("member %s is asking too quickly: not answered", message.author.id)
            await self._slow_down(message)
            return
        await answer_message(message, services, text[:QUESTION_MAX], previous)

    @staticmethod
    async def _slow_down(message: discord.Message) -> None:
        try:
            await message.add_reaction(SLOW_DOWN)
        except discord.HTTPException as exc:
            log.debug("could not react to message %s: %s", message.id, exc.status)


async def setup(bot: AdvisorBot) -> None:
    await bot.add_cog(Ask(bot))
