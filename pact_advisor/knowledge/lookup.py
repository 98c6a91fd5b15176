"""Finding a collection, an item or a command from what someone typed, and "did you mean".

Ids and titles are matched case-insensitively, spaces read as hyphens (``success factors`` is
``success-factors``), and a typed word may match a word of the title or the id
(``Diaspora``, ``umbrella`` or ``readines``).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping

#: A candidate is suggested from this similarity up.
CUTOFF = 0.6
_WORD = re.compile(r"[a-z0-9+]+")
_SHORT = 3


def normalise(text: str) -> str:
    """Lower case, accents dropped, spaces and underscores as hyphens, trimmed."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[\s_]+", "-", folded.strip().lower())


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(normalise(text).replace("-", " ")) if len(w) >= _SHORT}


def resolve(query: str, names: Mapping[str, str]) -> str | None:
    """The key of ``names`` (id to title) that ``query`` names exactly, up to case, accents
    and spacing: an id, the last part of an item id when only one item has it, or a title."""
    key = normalise(query)
    if not key:
        return None
    for name, title in names.items():
        if key in (normalise(name), normalise(title)):
            return name
    tails = [name for name in names if "." in name and normalise(name.split(".", 1)[1]) == key]
    return tails[0] if len(tails) == 1 else None


def _similarity(query: str, name: str, title: str) -> float:
    key = normalise(query)
    ratio = difflib.SequenceMatcher
    scores = [ratio(None, key, normalise(name)).ratio(), ratio(None, key, normalise(title)).ratio()]
    if "." in name:
        scores.append(ratio(None, key, normalise(name.split(".", 1)[1])).ratio())
    typed = _words(query)
    if typed:
        known = _words(name) | _words(title)
        hits = sum(
            1
            for word in typed
            if any(
                k.startswith(word) or difflib.SequenceMatcher(None, word, k).ratio() >= 0.85
                for k in known
            )
        )
        # Every typed word found counts like a close spelling; half of them, less.
        scores.append(
            0.6 + 0.3 * hits / len(typed) if hits == len(typed) else 0.5 * hits / len(typed)
        )
    return max(scores)


def suggest(query: str, names: Mapping[str, str], n: int = 5) -> list[str]:
    """The keys of ``names`` (id to title) closest to ``query``, best first, at most ``n``."""
    scored = [(_similarity(query, name, title), name) for name, title in names.items()]
    ranked = sorted((s for s in scored if s[0] >= CUTOFF), key=lambda s: (-s[0], len(s[1])))
    return [name for _, name in ranked[:n]]
