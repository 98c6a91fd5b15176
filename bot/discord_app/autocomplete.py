"""Autocomplete choices for topics and items: filtered by what was typed, at most 25."""

from __future__ import annotations

from discord import app_commands

from bot.checklists import READINESS, READINESS_TITLE
from bot.knowledge import Guidance

#: Discord shows at most 25 choices; a choice name is at most 100 characters.
MAX_CHOICES = 25
CHOICE_NAME_MAX = 100


def topic_choices(guidance: Guidance, typed: str) -> list[app_commands.Choice[str]]:
    """Collections, ``readiness`` and items whose id or title contains what was typed."""
    entries: list[tuple[str, str]] = [
        (f"{c.title} (collection)", cid) for cid, c in guidance.collections.items()
    ]
    entries.append((f"{READINESS_TITLE} (readiness)", READINESS))
    entries += [(f"{item.title} ({iid})", iid) for iid, item in guidance.items.items()]
    return choices(entries, typed)


def item_choices(guidance: Guidance, typed: str) -> list[app_commands.Choice[str]]:
    """Items whose id or title contains what was typed."""
    return choices([(f"{item.title} ({iid})", iid) for iid, item in guidance.items.items()], typed)


def choices(entries: list[tuple[str, str]], typed: str) -> list[app_commands.Choice[str]]:
    """``(name, value)`` entries containing ``typed`` (prefix matches first), as choices."""
    needle = " ".join(typed.lower().split())

    def rank(entry: tuple[str, str]) -> int:
        name, value = entry[0].lower(), entry[1].lower()
        if not needle or value.startswith(needle) or name.startswith(needle):
            return 0
        if needle in value or needle in name:
            return 1
        return 2

    ranked = sorted((e for e in entries if rank(e) < 2), key=rank)
    return [
        app_commands.Choice(name=_fit(name), value=value) for name, value in ranked[:MAX_CHOICES]
    ]


def _fit(name: str) -> str:
    return name if len(name) <= CHOICE_NAME_MAX else name[: CHOICE_NAME_MAX - 1] + "…"
