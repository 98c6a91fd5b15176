"""Context slots worded for French and Spanish: the article and preposition before a name.

English advice reads "the partnership with {{ partner }}" whatever the country. French and
Spanish cannot: "avec le Maroc", "en Tunisie", "aux Pays-Bas", "à Cuba"; "en Marruecos",
"del Reino Unido". Their translations use the slot (its definite form) or one of its
prepositional forms, ``{{ partner.de }}``, ``{{ partner.en }}``, ``{{ partner.a }}``, and a
:class:`Slot` answers each for the names it holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The prepositional forms a translation may use after a slot name (``{{ partner.en }}``).
FORMS: tuple[str, ...] = ("de", "en", "a")

_FR_ARTICLES = ("les ", "le ", "la ", "l'")
_ES_ARTICLES = ("los ", "las ", "el ", "la ")
_VOWELS = set("aeiouyàâäéèêëîïôöûüœAEIOUYÀÂÄÉÈÊËÎÏÔÖÛÜŒ")
#: Names without article that elide all the same ("d'Haïti", "en Haïti").
_MUTE_H = ("Haïti", "Haiti")


def _starts_with_vowel(text: str) -> bool:
    return bool(text) and (text[0] in _VOWELS or text.startswith(_MUTE_H))


@dataclass(frozen=True)
class Phrase:
    """One noun phrase: its article (``""`` for none), the rest, and whether it names a
    place (French says "au Maroc" but "dans le secteur")."""

    language: str
    article: str
    bare: str
    place: bool = False

    @classmethod
    def parse(cls, language: str, text: str, *, place: bool = False) -> Phrase:
        """``"le Maroc"``, ``"l'Égypte"``, ``"los Países Bajos"``, ``"Cuba"`` as a phrase."""
        articles = _FR_ARTICLES if language == "fr" else _ES_ARTICLES
        for article in articles:
            if text.startswith(article):
                return cls(language, article.strip(), text[len(article) :], place)
        return cls(language, "", text, place)

    @property
    def definite(self) -> str:
        if not self.article:
            return self.bare
        return (
            f"{self.article}{self.bare}" if self.article == "l'" else f"{self.article} {self.bare}"
        )

    def form(self, name: str) -> str:
        return _french(self, name) if self.language == "fr" else _spanish(self, name)


def _french(p: Phrase, form: str) -> str:
    article, bare = p.article, p.bare
    vowel = _starts_with_vowel(bare)
    if form == "de":
        by_article = {"le": "du ", "les": "des ", "la": "de la ", "l'": "de l'"}
        return by_article[article] + bare if article else ("d'" if vowel else "de ") + bare
    if form == "a":
        by_article = {"le": "au ", "les": "aux ", "la": "à la ", "l'": "à l'"}
        return by_article[article] + bare if article else f"à {bare}"
    if form == "en":
        if not p.place:  # "dans l'agriculture", "dans le pays partenaire"
            return f"dans {p.definite}"
        by_article = {"le": "au ", "les": "aux ", "la": "en ", "l'": "en "}
        return by_article[article] + bare if article else ("en " if vowel else "à ") + bare
    return p.definite


def _spanish(p: Phrase, form: str) -> str:
    if form in ("de", "a"):
        if p.article == "el":
            return f"{'del' if form == 'de' else 'al'} {p.bare}"
        return f"{form} {p.definite}"
    if form == "en":
        return f"en {p.definite}"
    return p.definite


_Y_BEFORE_I = re.compile(r"^(?:i|hi)(?!e)", re.IGNORECASE)


class Slot:
    """A slot's value in French or Spanish: one or more phrases ("le Maroc et la Tunisie").

    ``str(slot)`` is the definite form; ``slot.de``, ``slot.en`` and ``slot.a`` the forms
    with a preposition, each repeated before every name ("au Maroc et en Tunisie").
    """

    __slots__ = ("_language", "_phrases")

    def __init__(self, language: str, phrases: tuple[Phrase, ...]):
        self._language = language
        self._phrases = phrases

    def _join(self, parts: list[str]) -> str:
        if len(parts) == 1:
            return parts[0]
        last = parts[-1]
        word = "et" if self._language == "fr" else ("e" if _Y_BEFORE_I.match(last) else "y")
        return f"{', '.join(parts[:-1])} {word} {last}"

    def _form(self, name: str) -> str:
        return self._join([p.form(name) for p in self._phrases])

    def __str__(self) -> str:
        return self._form("definite")

    @property
    def de(self) -> str:
        return self._form("de")

    @property
    def en(self) -> str:
        return self._form("en")

    @property
    def a(self) -> str:
        return self._form("a")

    def __repr__(self) -> str:
        return f"Slot({self._language!r}, {str(self)!r})"
