"""From a question to what the bot sends: shared by /ask, the context menu, mentions, DMs
and follow-ups. The advisor decides what the answer is and the renderer words it; this only
chooses the controls, records what needs recording and remembers the turn for follow-ups."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import discord

from pact_advisor.app import Answer
from pact_advisor.discord_bot.ask.components import answer_view, suggestion_view
from pact_advisor.discord_bot.checklist.components import create_run, render_run
from pact_advisor.discord_bot.core.adapter import message_kwargs
from pact_advisor.discord_bot.core.errors import friendly_message, send_ephemeral
from pact_advisor.discord_bot.core.services import Services
from pact_advisor.engine import Turn
from pact_advisor.render import DiscordMessage
from pact_advisor.store import StoreError

log = logging.getLogger(__name__)


@dataclass
class Reply:
    answer: Answer
    message: DiscordMessage
    view: discord.ui.View | None = None
    #: Not covered: shown only to the person who asked, when the channel allows it.
    private: bool = False

    def kwargs(self) -> dict[str, Any]:
        kwargs = message_kwargs(self.message)
        if self.view is not None:
            kwargs["view"] = self.view
        return kwargs


async def prepare(
    services: Services,
    answer: Answer,
    *,
    user_id: int,
    guild_id: int | None,
    channel_id: int | None,
) -> Reply:
    """What to send for ``answer``; saves a checklist run or an unanswered question first."""
    advisor = services.advisor
    if answer.checklist is not None:
        run = await create_run(
            services, answer.checklist, guild_id=guild_id, channel_id=channel_id, user_id=user_id
        )
        message, view = render_run(run, advisor)
        return Reply(answer, message, view)
    message = advisor.message(answer)
    language = answer.language
    if answer.item_id is not None:
        view = answer_view(services, answer.item_id, answer.candidates, language=language)
        return Reply(answer, message, view)
    if answer.kind != "not_covered":
        return Reply(answer, message)
    if answer.unanswered:
        try:
            await services.store.record_unanswered(
                answer.result.question, answer.suggestions, user_id=user_id
            )
        except StoreError as exc:  # the user still gets an answer
            log.warning("could not record an unanswered question: %s", exc)
    view = suggestion_view(services, answer.suggestions, language=language)
    return Reply(answer, message, view, private=True)


async def sent(
    services: Services,
    reply: Reply,
    message: discord.Message | discord.InteractionMessage,
    channel: Any,
) -> StoreError | None:
    """After posting: store the turn (the error, if it could not be saved)."""
    return await services.remember(
        message.id,
        reply.answer.result.turn(),
        guidance_version=reply.answer.result.guidance_version,
        channel=channel,
    )


async def answer_interaction(
    interaction: discord.Interaction,
    services: Services,
    question: str,
    previous: Turn | None = None,
    *,
    language: str | None = None,
) -> None:
    """Answer a slash command or context menu: publicly, or privately when not covered; in
    ``language`` if chosen, else the question's, else the member's client's."""
    fallback = str(interaction.locale)
    answer = services.advisor.answer(question, previous, language=language, fallback=fallback)
    reply = await prepare(
        services,
        answer,
        user_id=interaction.user.id,
        guild_id=interaction.guild_id,
        channel_id=interaction.channel_id,
    )
    await interaction.response.send_message(**reply.kwargs(), ephemeral=reply.private)
    message = await interaction.original_response()
    failed = await sent(services, reply, message, interaction.channel)
    if failed is not None:  # answered, but a reply to the answer would not continue from it
        told = friendly_message(failed, services.advisor.renderer, reply.answer.language)
        await send_ephemeral(interaction, told or str(failed))


async def answer_message(
    message: discord.Message, services: Services, text: str, previous: Turn | None = None
) -> discord.Message | None:
    """Answer a mention, DM or follow-up with a reply. Failures to post are logged, not raised:
    there is no interaction to report them on, and the next question must still work."""
    # No client locale on a message: a server's preferred locale, when it says one.
    fallback = str(message.guild.preferred_locale) if message.guild else None
    answer = services.advisor.answer(text, previous, fallback=fallback)
    try:
        reply = await prepare(
            services,
            answer,
            user_id=message.author.id,
            guild_id=message.guild.id if message.guild else None,
            channel_id=message.channel.id,
        )
    except StoreError as exc:
        log.warning("could not save a checklist for a message: %s", exc)
        return None
    try:
        posted = await message.reply(**reply.kwargs(), mention_author=False)
    except discord.Forbidden as exc:
        log.warning("cannot reply in channel %s: %s", message.channel.id, exc.text or exc.status)
        return None
    except discord.HTTPException as exc:
        log.warning(
            "could not post an answer in channel %s: %s %s",
            message.channel.id,
            exc.status,
            exc.text,
        )
        return None
    await sent(services, reply, posted, message.channel)
    return posted
