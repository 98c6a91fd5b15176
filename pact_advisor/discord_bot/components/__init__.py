"""Buttons that survive a restart: ``DynamicItem`` classes whose ``custom_id`` carries their state."""

from pact_advisor.discord_bot.components.answer import AnswerButton, SuggestionButton
from pact_advisor.discord_bot.components.checklist import ChecklistButton

#: Registered with ``bot.add_dynamic_items`` in ``setup_hook``.
DYNAMIC_ITEMS = (AnswerButton, SuggestionButton, ChecklistButton)

__all__ = ["DYNAMIC_ITEMS", "AnswerButton", "ChecklistButton", "SuggestionButton"]
