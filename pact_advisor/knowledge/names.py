"""Country and sector names in the language of an answer, with their articles.

A partner country is named the way the question (or ``--partner``) wrote it: "Morocco",
"Maroc", "marruecos". A French answer says "le Maroc", a Spanish one "Marruecos", whatever
the spelling: ``data/countries.json`` holds each country's French and Spanish names (CLDR's,
as Babel ships them, with the article French and Spanish put before them) and the spellings
that name it; ``data/sectors.json`` does the same for sectors. A name not in the tables keeps
its spelling, with the article French gives most names of its shape.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

from pact_advisor.knowledge.grammar import Phrase

_DATA = Path(__file__).resolve().parent / "data"
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_SEPARATOR = re.compile(r"\s*,\s*|\s+(?:and|et|y|e|&)\s+", re.IGNORECASE)


def fold(text: str) -> str:
    """Lowercase, no accents, hyphens as spaces: how names are compared."""
    plain = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    return " ".join(plain.replace("-", " ").split())


@cache
def _table(name: str) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """The entries of ``data/<name>.json`` and every folded spelling's entry key."""
    entries = json.loads((_DATA / f"{name}.json").read_text(encoding="utf-8"))
    spellings: dict[str, str] = {}
    for key, entry in entries.items():
        if "en" in entry:
            spellings.setdefault(fold(entry["en"]), key)
        for language in ("fr", "es"):
            spellings.setdefault(fold(Phrase.parse(language, entry[language]).bare), key)
        for alias in entry.get("aliases", ()):
            spellings.setdefault(fold(alias), key)
    return entries, spellings


def known_country(name: str) -> bool:
    return fold(name) in _table("countries")[1]


def known_sector(name: str) -> bool:
    return fold(name) in _table("sectors")[1]


def eu_member(name: str) -> bool:
    """Whether ``name`` (any spelling the tables know) is an EU member state."""
    entries, spellings = _table("countries")
    key = spellings.get(fold(name))
    return key is not None and bool(entries[key].get("eu"))


#: Longer values are not split into names (splitting is quadratic in the pieces).
_ROLE_MAX = 200


@cache
def country_role(value: str) -> str:
    """The role the countries ``value`` names play: ``eu`` when every one is an EU member
    state ("asylum in Spain"), else ``partner``."""
    if len(value) > _ROLE_MAX:
        return "partner"
    listed = _split(value, "countries")
    return "eu" if listed and all(eu_member(n) for n in listed) else "partner"


def country_names() -> list[str]:
    """Every known country's English name, alphabetically (for autocomplete)."""
    entries = _table("countries")[0]
    return sorted((e.get("en") or k for k, e in entries.items()), key=fold)


def sector_names() -> list[str]:
    """Every known sector's English name (for autocomplete)."""
    return sorted(_table("sectors")[0], key=fold)


def _lookup(table: str, name: str, language: str) -> Phrase | None:
    entries, spellings = _table(table)
    key = spellings.get(fold(name))
    if key is None:
        return None
    return Phrase.parse(language, entries[key][language], place=table == "countries")


def _split(value: str, table: str) -> list[str]:
    """``value`` as the names it lists; "Bosnia and Herzegovina" stays one name."""
    known = _table(table)[1]
    if fold(value) in known:
        return [value]
    # Pieces between separators ("Morocco", " and ", "Tunisia"), separators kept.
    pieces = _SEPARATOR.split(value)
    seps = [m.group(0) for m in _SEPARATOR.finditer(value)]

    def joined(i: int, j: int) -> str:
        return "".join(p + s for p, s in zip(pieces[i:j], [*seps[i : j - 1], ""], strict=True))

    names: list[str] = []
    i = 0
    while i < len(pieces):
        # The longest run of pieces that is itself a known name ("Trinidad and Tobago").
        j = next((j for j in range(len(pieces), i + 1, -1) if fold(joined(i, j)) in known), i + 1)
        names.append(joined(i, j))
        i = j
    return [n.strip() for n in names if n.strip()]


def _french_guess(name: str) -> str:
    """The article French gives a country name it does not know, by the name's shape."""
    if name[:1].lower() in "aeiouéèêîô":
        return f"l'{name}"
    return f"la {name}" if name.endswith("e") else f"le {name}"


def countries(value: str, language: str) -> tuple[Phrase, ...]:
    """The countries ``value`` names, in ``language`` (``fr`` or ``es``), with articles."""
    phrases = []
    for name in _split(value, "countries"):
        phrase = _lookup("countries", name, language)
        if phrase is None:
            guess = _french_guess(name) if language == "fr" else name
            phrase = Phrase.parse(language, guess, place=True)
        phrases.append(phrase)
    return tuple(phrases)


def sectors(value: str, language: str) -> tuple[Phrase, ...]:
    """The sectors ``value`` names; an unknown one reads "le secteur X" / "el sector X"."""
    phrases = []
    for name in _split(value, "sectors"):
        phrase = _lookup("sectors", name, language)
        if phrase is None:
            phrase = Phrase(
                language, "le" if language == "fr" else "el", _sector_word(language, name)
            )
        phrases.append(phrase)
    return tuple(phrases)


def _sector_word(language: str, name: str) -> str:
    return f"{'secteur' if language == 'fr' else 'sector'} {name}"


def programme(value: str, language: str) -> tuple[Phrase, ...]:
    """A programme named by the user: "le programme MPF", "el programa MPF"."""
    word = "programme" if language == "fr" else "programa"
    article = "le" if language == "fr" else "el"
    if fold(value).startswith(fold(word)):
        return (Phrase(language, article, value),)
    return (Phrase(language, article, f"{word} {value}"),)


def shown(slot: str, value: str, language: str) -> str:
    """A slot's value as a label shows it in ``language``, without article ("For: Maroc"):
    countries and sectors the tables know in the language's own words, anything else as
    typed."""
    if language not in ("fr", "es") or slot == "programme":
        return value
    table, find = ("countries", countries) if slot == "partner" else ("sectors", sectors)
    words = []
    for name, phrase in zip(_split(value, table), find(value, language), strict=True):
        known = fold(name) in _table(table)[1]
        # The member's spelling is kept when it is the same name: "Nigeria", not "Nigéria".
        same = fold(phrase.bare) == fold(name)
        words.append(phrase.bare if known and not same else name)
    if len(words) == 1:
        return words[0]
    joined = "et" if language == "fr" else "y"
    return f"{', '.join(words[:-1])} {joined} {words[-1]}"
