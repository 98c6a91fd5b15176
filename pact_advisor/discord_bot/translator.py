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
