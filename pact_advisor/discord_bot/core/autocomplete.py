"""Autocomplete choices for topics and items: filtered by what was typed, at most 25.
Choice names are worded by the ``choice_*`` macros of ``messages.discord.j2``."""

from __future__ import annotations

from discord import app_commands

from pact_advisor import i18n
from pact_advisor.checklists import READINESS, READINESS_TITLE
from pact_advisor.knowledge.translations import collection_text, item_text
from pact_advisor.render import Renderer

#: Discord shows at most 25 choices; a choice name is at most 100 characters.
MAX_CHOICES = 25
CHOICE_NAME_MAX = 100


def topic_choices(
    renderer: Renderer, typed: str, language: str = "en"
) -> list[app_commands.Choice[str]]:
    """Collections, ``readiness`` and items whose id or title (in ``language``) contains what
    was typed."""

    def text(name: str, **values: str) -> str:
        return renderer.discord_text(name, language, **values)

    entries: list[tuple[str, str]] = [
        (text("choice_collection", title=collection_text(c, language)[0]), cid)
        for cid, c in renderer.guidance.collections.items()
    ]
    readiness = i18n.translate(language, READINESS_TITLE)
    entries.append((text("choice_readiness", title=readiness), READINESS))
    return choices(entries + _items(renderer, language), typed)


def item_choices(
    renderer: Renderer, typed: str, language: str = "en"
) -> list[app_commands.Choice[str]]:
    """Items whose id or title contains what was typed."""
    return choices(_items(renderer, language), typed)


def _items(renderer: Renderer, language: str) -> list[tuple[str, str]]:
    return [
        (
            renderer.discord_text(
                "choice_item", language, title=item_text(item, language).title, id=iid
            ),
            iid,
        )
        for iid, item in renderer.guidance.items.items()
    ]


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


def name_choices(known: list[str], typed: str) -> list[app_commands.Choice[str]]:
    """Known names (countries, sectors) containing what was typed, prefix matches first.
    What the member typed comes first when it is not one of them, spelled as typed: a
    context may name a country or sector the tables do not know."""
    entries = [(name, name) for name in known]
    found = choices(entries, typed)
    typed = " ".join(typed.split())[:CHOICE_NAME_MAX]
    if typed and all(c.value.casefold() != typed.casefold() for c in found):
        found = [app_commands.Choice(name=typed, value=typed), *found][:MAX_CHOICES]
    return found
