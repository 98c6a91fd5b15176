"""``/guidance item:`` typed by hand: an item's id, its title (in any language it is
translated into), or a few of its words, matched with rapidfuzz. A clear best match opens;
otherwise the closest items are suggested.

Plain data in, ids out: no discord import.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from pact_advisor.knowledge import Guidance
from pact_advisor.knowledge.lookup import resolve
from pact_advisor.knowledge.translations import item_text

#: A match at this score (0-100) or more, clearly ahead of the next item, opens it.
SURE = 88
#: ... and must lead the next item by this much.
LEAD = 6
#: Items suggested from this score up.
SUGGEST = 55
SUGGESTIONS = 3


@dataclass(frozen=True)
class ItemMatch:
    """The item typed (``None`` when unsure) and, then, the closest ones."""

    item_id: str | None
    suggestions: tuple[str, ...] = ()


def _names(guidance: Guidance, languages: Iterable[str]) -> list[tuple[str, str]]:
    """(text, item id) pairs: every id, and every title in ``languages``."""
    out: list[tuple[str, str]] = []
    for iid, item in guidance.items.items():
        out.append((iid.replace(".", " ").replace("-", " "), iid))
        for language in dict.fromkeys(["en", *languages]):
            out.append((item_text(item, language).title, iid))
    return out


def _score(typed: str, text: str, **_: object) -> float:
    # Words in any order, some of them only ("umbrella organisations"), or a misspelling.
    return max(
        fuzz.token_set_ratio(typed, text, processor=utils.default_process),
        fuzz.WRatio(typed, text, processor=utils.default_process),
    )


def match_item(guidance: Guidance, typed: str, language: str = "en") -> ItemMatch:
    """The item ``typed`` names, or the closest ones when it is not clear which."""
    titles = {iid: item.title for iid, item in guidance.items.items()}
    exact = resolve(typed, titles)
    if exact is not None:
        return ItemMatch(exact)
    names = _names(guidance, [language])
    texts = [text for text, _ in names]
    best: dict[str, float] = {}
    for _text, score, index in process.extract(typed, texts, scorer=_score, limit=None):
        iid = names[index][1]
        best[iid] = max(best.get(iid, 0.0), score)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked:
        return ItemMatch(None)
    top_id, top = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if top >= SURE and top - runner_up >= LEAD:
        return ItemMatch(top_id)
    close = tuple(iid for iid, score in ranked[:SUGGESTIONS] if score >= SUGGEST)
    return ItemMatch(None, close)
