"""Slash commands in each member's language: names, descriptions and options, localised by
discord.py's :class:`~discord.app_commands.Translator` from the same Babel catalogues as every
other text, and the language a member's client or choice asks for."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Where

from pact_advisor import i18n
from pact_advisor.i18n import gettext as _
from pact_advisor.i18n import pgettext

#: Names are translated in the catalogues' "command" context: Discord wants them lowercase
#: and without spaces ("liste-de-contrôle"), unlike the same words in a sentence.
NAMED = frozenset({Where.command_name, Where.group_name, Where.parameter_name})

#: The ``language:`` option of ``/ask`` and ``/checklist``: each language in its own name.
LANGUAGE_CHOICES = [
    app_commands.Choice(name=i18n.NAMES[lang], value=lang) for lang in i18n.LANGUAGES
]


def member_language(interaction: discord.Interaction) -> str:
    """The language of the member's Discord client, when Pact Advisor speaks it (else English)."""
    return i18n.language_of(str(interaction.locale)) or i18n.SOURCE


class CatalogueTranslator(app_commands.Translator):
    """Command names, descriptions and option names from the message catalogues."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        language = i18n.language_of(str(locale))
        if language is None or language == i18n.SOURCE:
            return None
        message = string.message
        named = context.location in NAMED
        text = i18n.translate(language, message, "command" if named else None)
        return text if text != message else None


def command_texts() -> tuple[str, ...]:
    """Every text the command tree shows, as the extractor finds it in the catalogues.

    Called by the catalogue test, which checks that it lists exactly what the bot's command
    tree carries; ``pybabel extract`` reads the calls below.
    """
    return _core_texts() + _work_plan_texts() + _context_texts()


def _core_texts() -> tuple[str, ...]:
    """/ask, /checklist, /topics, /guidance, /help, /advisor and the message menu."""
    return (
        pgettext("command", "ask"),
        pgettext("command", "question"),
        pgettext("command", "language"),
        pgettext("command", "checklist"),
        pgettext("command", "topic"),
        pgettext("command", "partner"),
        pgettext("command", "sector"),
        pgettext("command", "programme"),
        pgettext("command", "topics"),
        pgettext("command", "guidance"),
        pgettext("command", "item"),
        pgettext("command", "help"),
        pgettext("command", "advisor"),
        pgettext("command", "reload"),
        pgettext("command", "report"),
        pgettext("command", "since"),
        pgettext("command", "purge"),
        pgettext("command", "rollback"),
        pgettext("command", "Ask Pact Advisor"),
        pgettext("command", "Add to guidance"),
        pgettext("command", "Why this answer?"),
        _("Ask a question about designing or running a migration partnership."),
        _("Your question, in your own words (English, French or Spanish)"),
        _("The language of the answer (default: your question's)"),
        _("Post a checklist that anyone here can tick, step by step."),
        _("A collection, an item, or readiness for a partnership readiness review"),
        _("Partner country the steps are written for (optional)"),
        _("Sector the steps are written for (optional)"),
        _("Programme the steps are written for (optional)"),
        _("The language of the checklist (default: your Discord's)"),
        _("See what the guidance covers: every collection and its items."),
        _("Show everything on one guidance item: advice, checklist, source and related items."),
        _("The guidance item to show (leave empty to list all topics)"),
        _("How to use Pact Advisor, with example questions."),
        _("Pact Advisor administration (Manage Server)"),
        _("Check the guidance files behind the quality gate, preview what changes, then confirm."),
        _("Serve the previous guidance again (the one before the last reload or curation)."),
        _("Unanswered questions and answers marked not helpful since a date, with vote counts."),
        _("First day to include, as YYYY-MM-DD (default: 30 days ago)"),
        _("Delete the text of every stored question now (votes and counts are kept)."),
    )


def _work_plan_texts() -> tuple[str, ...]:
    """/checklists and the daily digest."""
    return (
        pgettext("command", "checklists"),
        pgettext("command", "server"),
        pgettext("command", "digest"),
        pgettext("command", "on"),
        pgettext("command", "off"),
        pgettext("command", "channel"),
        pgettext("command", "time"),
        _("List the open checklists here: progress, overdue steps and a link to each."),
        _("List the open checklists of the whole server (default: this channel)"),
        _("The daily digest of due checklist steps"),
        _("Post a daily message listing overdue steps and steps due within a week."),
        _("Where to post the digest"),
        _("When to post it each day, as HH:MM in UTC (e.g. 08:30)"),
        _("Stop the daily digest of due checklist steps."),
    )


def _context_texts() -> tuple[str, ...]:
    """/context."""
    return (
        pgettext("command", "context"),
        pgettext("command", "set"),
        pgettext("command", "show"),
        pgettext("command", "clear"),
        _("The partnership context of this channel or thread."),
        _("Write every answer and checklist here for one partnership."),
        _("Partner country (or EU member state) this channel is about"),
        _("Sector this channel is about"),
        _("Programme this channel is about"),
        _("Show the partnership context answers here are written for."),
        _("Stop writing answers here for a partnership context."),
    )
