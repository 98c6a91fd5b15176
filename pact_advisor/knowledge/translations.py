"""Guidance in the answer's language: each field translated, or English, saying which.

An item's French or Spanish text is checked when the guidance loads. A missing field, or a
translated advice or step whose context slots differ from the English, is a *warning* (the
guidance still loads and ``validate`` lists it with its file and line), and the field is
shown in English: rendering falls back field by field and says so, never mixing silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jinja2
import jinja2.meta
from jinja2 import nodes

from pact_advisor.knowledge.fill import GuidanceSandbox
from pact_advisor.knowledge.grammar import FORMS
from pact_advisor.knowledge.models import (
    CONTEXT_SLOTS,
    TRANSLATED,
    Collection,
    CollectionTranslation,
    Item,
    ItemTranslation,
)

#: The translated fields of an item, in the order a fallback note names them (``evidence``
#: only for an item whose source names its evidence).
ITEM_FIELDS = ("title", "summary", "advice", "checklist", "quote", "evidence")
COLLECTION_FIELDS = ("title", "description")

#: Parsing for slots compiles too, folding constants: in the guidance sandbox, so that a
#: hostile ``{{ 2 ** 999999999 }}`` is refused rather than computed while validating.
_ENV = GuidanceSandbox()


@dataclass(frozen=True)
class ItemText:
    """What an item shows in one language; ``untranslated`` names the fields in English."""

    title: str
    summary: str
    advice: str
    checklist: tuple[str, ...]
    #: The quote's unofficial translation (``None`` in English, or when there is none).
    quote_translation: str | None
    #: The source's evidence as the citation names it (``None`` when the source names none).
    evidence: str | None = None
    untranslated: tuple[str, ...] = ()


def _fields(item: Item) -> tuple[str, ...]:
    return ITEM_FIELDS if item.source.evidence else ITEM_FIELDS[:-1]


def item_text(item: Item, language: str) -> ItemText:
    """``item`` in ``language``: each field translated when it can be, else English."""
    if language not in TRANSLATED:
        return ItemText(
            item.title, item.summary, item.advice, item.checklist, None, item.source.evidence
        )
    translation = item.translations.get(language) or ItemTranslation()  # type: ignore[call-overload]
    missing = tuple(f for f in _fields(item) if getattr(translation, f) is None)
    return ItemText(
        title=translation.title or item.title,
        summary=translation.summary or item.summary,
        advice=translation.advice or item.advice,
        checklist=translation.checklist or item.checklist,
        quote_translation=translation.quote,
        evidence=(translation.evidence or item.source.evidence) if item.source.evidence else None,
        untranslated=missing,
    )


def collection_text(collection: Collection, language: str) -> tuple[str, str]:
    """The title and description of ``collection`` in ``language`` (English where missing)."""
    translation = collection.translations.get(language) if language in TRANSLATED else None  # type: ignore[call-overload]
    if translation is None:
        return collection.title, collection.description
    return translation.title or collection.title, translation.description or collection.description


# --- checking translations at load --------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """A problem with one translated field: where it is (a YAML path) and what is wrong."""

    path: tuple[str | int, ...]
    message: str


_SIMPLE_SLOT = re.compile(r"\{\{\s*([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?\s*\}\}")


@lru_cache(maxsize=4096)
def slot_use(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The context slots ``text`` uses, and the forms it asks of them (``partner.en``).

    Raises ``jinja2.TemplateSyntaxError`` for a text that is not a valid template."""
    simple = _SIMPLE_SLOT.findall(text)
    if "{%" not in text and "{#" not in text and text.count("{{") == len(simple):
        # Plain slots only (all guidance has): no need to parse, which is slow at load.
        used = frozenset(name for name, _ in simple)
        return used, frozenset(form for name, form in simple if form and name in CONTEXT_SLOTS)
    tree = _ENV.parse(text)
    used = frozenset(jinja2.meta.find_undeclared_variables(tree))
    forms = frozenset(
        node.attr
        for node in tree.find_all(nodes.Getattr)
        if isinstance(node.node, nodes.Name) and node.node.name in CONTEXT_SLOTS
    )
    return used, forms


def _slots_text(slots: frozenset[str]) -> str:
    return ", ".join(f"{{{{ {s} }}}}" for s in sorted(slots)) or "none"


def _check_template(english: str, translated: str, where: str) -> str | None:
    """Why ``translated`` cannot stand for ``english`` (its slots or forms), or ``None``."""
    try:
        used, forms = slot_use(translated)
    except jinja2.TemplateSyntaxError as exc:
        return f"{where}: template error: {exc.message}"
    wanted = slot_use(english)[0]
    if used != wanted:
        return (
            f"{where}: uses the slots {_slots_text(used)}, the English "
            f"{_slots_text(wanted)}; shown in English"
        )
    unknown = sorted(forms - set(FORMS))
    if unknown:
        allowed = ", ".join(f".{f}" for f in FORMS)
        return f"{where}: unknown slot form .{unknown[0]} (allowed: {allowed}); shown in English"
    return None


def _item_notes(item: Item, language: str) -> Iterator[Note]:
    base: tuple[str | int, ...] = ("translations", language)
    translation = item.translations.get(language)  # type: ignore[call-overload]
    if translation is None:
        yield Note(("translations",), f"translations.{language}: missing; shown in English")
        return
    missing = [f for f in _fields(item) if getattr(translation, f) is None]
    if missing:
        yield Note(base, f"translations.{language}: missing {', '.join(missing)}; shown in English")
    if translation.advice is not None:
        why = _check_template(item.advice, translation.advice, f"translations.{language}.advice")
        if why:
            yield Note((*base, "advice"), why)
    if translation.checklist is not None:
        yield from _checklist_notes(item, translation.checklist, language, base)


def _checklist_notes(
    item: Item, steps: tuple[str, ...], language: str, base: tuple[str | int, ...]
) -> Iterator[Note]:
    where = f"translations.{language}.checklist"
    if len(steps) != len(item.checklist):
        yield Note(
            (*base, "checklist"),
            f"{where}: {len(steps)} steps, the English {len(item.checklist)}; shown in English",
        )
        return
    for index, (english, translated) in enumerate(zip(item.checklist, steps, strict=True)):
        why = _check_template(english, translated, f"{where}[{index}]")
        if why:
            yield Note((*base, "checklist", index), why)


def checked_item(item: Item) -> tuple[Item, list[Note]]:
    """``item`` with every unusable translated field dropped (so that it falls back to
    English), and a note for each missing or dropped field."""
    notes: list[Note] = []
    kept: dict[Any, ItemTranslation] = {}
    for language in TRANSLATED:
        found = list(_item_notes(item, language))
        notes.extend(found)
        translation = item.translations.get(language)  # type: ignore[call-overload]
        if translation is None:
            continue
        drop = {n.path[2] for n in found if len(n.path) > 2}
        kept[language] = translation.model_copy(update=dict.fromkeys(drop))
    if kept == dict(item.translations):
        return item, notes
    return item.model_copy(update={"translations": kept}), notes


def collection_notes(collection: Collection) -> Iterator[Note]:
    """A note for each collection field without a translation."""
    for language in TRANSLATED:
        translation: CollectionTranslation | None = collection.translations.get(language)  # type: ignore[call-overload]
        if translation is None:
            yield Note(
                ("collection", "translations"),
                f"translations.{language}: missing; shown in English",
            )
            continue
        missing = [f for f in COLLECTION_FIELDS if getattr(translation, f) is None]
        if missing:
            yield Note(
                ("collection", "translations", language),
                f"translations.{language}: missing {', '.join(missing)}; shown in English",
            )
