"""Buttons that survive a restart: ``DynamicItem`` classes whose ``custom_id`` carries their state."""

from bot.discord_app.components.answer import AnswerButton, SuggestionButton
from bot.discord_app.components.checklist import ChecklistButton

#: Registered with ``bot.add_dynamic_items`` in ``setup_hook``.
DYNAMIC_ITEMS = (AnswerButton, SuggestionButton, ChecklistButton)

__all__ = ["DYNAMIC_ITEMS", "AnswerButton", "ChecklistButton", "SuggestionButton"]
