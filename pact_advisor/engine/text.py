"""Text normalisation shared by indexing and questions: one function, both sides.

Questions arrive with accents or without, typos, zero-width characters, right-to-left
marks, emoji and markdown. Everything is folded to plain lowercase ASCII-ish words before the
glossary and the vectorizers see it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

#: Only this much of a question is analysed; longer text is almost certainly pasted
#: material, and the first few thousand characters carry the question.
MAX_ANALYSED_CHARS = 4000

_NON_WORD = re.compile(r"[^a-z0-9&]+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
# French and Spanish elisions (l'évaluation, d'intérêts, qu'est-ce) are split off.
_ELISION = re.compile(r"\b(?:l|d|j|qu|n|s|c|m|t)'")


def fold(text: str) -> str:
    """Lowercase, strip accents and punctuation; keep letters, digits and ``&``."""
    text = text[:MAX_ANALYSED_CHARS]
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _ELISION.sub(" ", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


class Phrases:
    """Finds known phrases (one or more words) in folded text, longest first.

    One dictionary probe per word, then only the phrases starting with that word: much faster
    than a regular expression with hundreds of alternatives.
    """

    def __init__(self, phrases: Iterable[str]):
        # First word -> the phrases starting with it, as word tuples, longest first.
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in {p for p in phrases if p}:
            words = tuple(phrase.split())
            by_first.setdefault(words[0], []).append(words)
        for candidates in by_first.values():
            candidates.sort(key=len, reverse=True)
        self._by_first = by_first

    def __bool__(self) -> bool:
        return bool(self._by_first)

    def spans(self, folded: str) -> list[tuple[int, int, str]]:
        """``(first word, end word, phrase)`` for each phrase found, left to right."""
        words = folded.split()
        found = []
        start = 0
        while start < len(words):
            for candidate in self._by_first.get(words[start], ()):
                end = start + len(candidate)
                if tuple(words[start:end]) == candidate:
                    found.append((start, end, " ".join(candidate)))
                    start = end
                    break
            else:
                start += 1
        return found

    def find(self, folded: str) -> list[str]:
        return [phrase for _, _, phrase in self.spans(folded)]

    def remove(self, folded: str) -> str:
        words = folded.split()
        for first, end, _ in self.spans(folded):
            words[first:end] = [""] * (end - first)
        return " ".join(w for w in words if w)


class Glossary:
    """Appends the English vocabulary for abbreviations, synonyms and French/Spanish terms.

    Terms are added, not substituted: the original words still count, and cognates such as
    *gouvernance* keep matching through character n-grams.
    """

    def __init__(self, *mappings: Mapping[str, str]):
        table: dict[str, str] = {}
        for mapping in mappings:
            for term, meaning in mapping.items():
                key = fold(term)
                if key:
                    table[key] = f"{table[key]} {fold(meaning)}" if key in table else fold(meaning)
        self._table = table
        self._phrases = Phrases(table)
        #: Every word of every glossary term, so the speller leaves them alone.
        self.words = frozenset(w for key in table for w in key.split())

    def terms_in(self, folded: str) -> list[str]:
        """Glossary keys found in already folded text, in order."""
        return self._phrases.find(folded)

    def expand(self, folded: str) -> str:
        found = self.terms_in(folded)
        if not found:
            return folded
        return folded + " " + " ".join(self._table[k] for k in found)


class Speller:
    """Corrects a misspelt word to a known one within one edit (plus a transposition).

    Symmetric-delete lookup: each known word is indexed under itself and every one-letter
    deletion of it, so a question word costs a handful of dictionary probes.
    """

    def __init__(self, vocabulary: Iterable[str], frequency: Mapping[str, float], min_len: int = 6):
        self._known = set(vocabulary)
        self._min_len = min_len
        self._freq = frequency
        self._deletes: dict[str, list[str]] = {}
        for word in self._known:
            if len(word) < min_len - 1:
                continue
            for variant in {word, *_deletions(word)}:
                self._deletes.setdefault(variant, []).append(word)

    def correct(self, word: str) -> str | None:
        """The known word ``word`` most likely stands for, or None."""
        if word in self._known or len(word) < self._min_len or not word.isalpha():
            return None
        candidates: set[str] = set()
        for variant in (word, *_deletions(word)):
            candidates.update(self._deletes.get(variant, ()))
        # Typos rarely hit the first letter; keeping it avoids turning "shark" into "share".
        candidates = {c for c in candidates if c[0] == word[0]}
        if not candidates:
            return None
        return max(sorted(candidates), key=lambda c: self._freq.get(c, 0.0))


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}
