"""From a question to what the bot sends: shared by /ask, the context menu, mentions, DMs
and follow-ups. The advisor decides what the answer is and the renderer words it; this only
chooses the controls, records what needs recording and remembers the turn for follow-ups.

Answers are written for the channel's context (``/context``) unless the question names its
own. A question that looks like it holds personal data is answered, its text is stored
nowhere (only that it was asked), and the asker is reminded privately.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

import discord

from pact_advisor.app import Answer
from pact_advisor.discord_bot.ask.choices import candidates_view
from pact_advisor.discord_bot.ask.components import answer_view, suggestion_view
from pact_advisor.discord_bot.ask.delivery import post_reply, remind_privately
from pact_advisor.discord_bot.checklist.components import create_run, render_run
from pact_advisor.discord_bot.context.lookup import channel_setting
from pact_advisor.discord_bot.core.adapter import message_kwargs
from pact_advisor.discord_bot.core.errors import friendly_message, send_ephemeral
from pact_advisor.discord_bot.core.services import Services
from pact_advisor.engine import Context, Turn
from pact_advisor.knowledge.privacy import has_personal_data, redact
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
    #: The question looked like it holds personal data: none of its text is stored.
    personal: bool = False

    def kwargs(self) -> dict[str, Any]:
        kwargs = message_kwargs(self.message)
        if self.view is not None:
            kwargs["view"] = self.view
        return kwargs


async def answer_for(
    services: Services,
    question: str,
    previous: Turn | None,
    channel: Any,
    *,
    language: str | None = None,
    fallback: str | None = None,
) -> tuple[Answer, str | None, bool]:
    """The answer to ``question`` in ``channel`` (written for its context), the note that
    says so ("channel"/"thread", or ``None``), and whether the question held personal data
    (then the answer carries the question with that data masked)."""
    setting = await channel_setting(services, channel)
    context = setting.context if setting else Context()
    answer = services.advisor.answer(
        question, previous, context, language=language, fallback=fallback
    )
    note = setting.note_for(answer.result.context) if setting else None
    personal = has_personal_data(question)
    if personal:
        answer = replace(answer, result=replace(answer.result, question=redact(question)))
    return answer, note, personal


async def prepare(
    services: Services,
    answer: Answer,
    *,
    user_id: int,
    guild_id: int | None,
    channel_id: int | None,
    note: str | None = None,
    personal: bool = False,
) -> Reply:
    """What to send for ``answer``; saves a checklist run or an unanswered question first."""
    advisor = services.advisor
    if answer.checklist is not None:
        run = await create_run(
            services, answer.checklist, guild_id=guild_id, channel_id=channel_id, user_id=user_id
        )
        message, view = render_run(run, advisor)
        return Reply(answer, message, view, personal=personal)
    message = advisor.renderer.discord_answer(
        answer.kind,
        answer.result,
        answer.checklist,
        detail=answer.detail,
        language=answer.language,
        context_note=note,
    )
    language = answer.language
    if answer.kind == "ambiguous":
        # One button per candidate: feedback and "Checklist" then act on the one chosen.
        view = candidates_view(services, answer.candidates, language=language)
        return Reply(answer, message, view, personal=personal)
    if answer.item_id is not None:
        view = answer_view(services, answer.item_id, answer.candidates, language=language)
        return Reply(answer, message, view, personal=personal)
    if answer.kind != "not_covered":
        return Reply(answer, message, personal=personal)
    if answer.unanswered:
        question = None if personal else answer.result.question
        try:
            await services.store.record_unanswered(question, answer.suggestions, user_id=user_id)
        except StoreError as exc:  # the user still gets an answer
            log.warning("could not record an unanswered question: %s", exc)
    view = suggestion_view(services, answer.suggestions, language=language)
    return Reply(answer, message, view, private=True, personal=personal)


async def sent(
    services: Services,
    reply: Reply,
    message: discord.Message | discord.InteractionMessage,
    channel: Any,
) -> StoreError | None:
    """After posting: store the turn (without its question's text if it held personal
    data); the error, if it could not be saved."""
    return await services.remember(
        message.id,
        reply.answer.result.turn(),
        guidance_version=reply.answer.result.guidance_version,
        channel=channel,
        keep_question=not reply.personal,
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
    answer, note, personal = await answer_for(
        services,
        question,
        previous,
        interaction.channel,
        language=language,
        fallback=str(interaction.locale),
    )
    reply = await prepare(
        services,
        answer,
        user_id=interaction.user.id,
        guild_id=interaction.guild_id,
        channel_id=interaction.channel_id,
        note=note,
        personal=personal,
    )
    await interaction.response.send_message(**reply.kwargs(), ephemeral=reply.private)
    message = await interaction.original_response()
    failed = await sent(services, reply, message, interaction.channel)
    if failed is not None:  # answered, but a reply to the answer would not continue from it
        told = friendly_message(failed, services.advisor.renderer, reply.answer.language)
        await send_ephemeral(interaction, told or str(failed))
    if personal:
        text = services.advisor.renderer.discord_text("personal_data", answer.language)
        await interaction.followup.send(text, ephemeral=True)


async def answer_message(
    message: discord.Message, services: Services, text: str, previous: Turn | None = None
) -> discord.Message | None:
    """Answer a mention, DM or follow-up with a reply. Failures to post are logged, and the
    member is told privately when the bot may not post there: there is no interaction to
    report them on, and the next question must still work."""
    # No client locale on a message: a server's preferred locale, when it says one.
    fallback = str(message.guild.preferred_locale) if message.guild else None
    answer, note, personal = await answer_for(
        services, text, previous, message.channel, fallback=fallback
    )
    try:
        reply = await prepare(
            services,
            answer,
            user_id=message.author.id,
            guild_id=message.guild.id if message.guild else None,
            channel_id=message.channel.id,
            note=note,
            personal=personal,
        )
    except StoreError as exc:
        log.warning("could not save a checklist for a message: %s", exc)
        return None
    posted = await post_reply(message, services, reply.kwargs(), answer.language)
    if posted is None:
        return None
    await sent(services, reply, posted, message.channel)
    if personal:
        reminder = services.advisor.renderer.discord_text("personal_data", answer.language)
        await remind_privately(message, reminder)
    return posted
