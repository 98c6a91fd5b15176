"""Text handling shared by indexing and questions: one function per step, both sides.

Questions arrive with accents or without, typos, zero-width characters, right-to-left
marks, emoji and markdown. Everything is folded to plain lowercase ASCII-ish words; words are
then reduced to their Snowball stems (PyStemmer, in the message's language), and words that
are not words at all are corrected against the guidance's own vocabulary (SymSpell).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache, cached_property
from importlib import resources

#: Only this much of a question is analysed; longer text is almost certainly pasted
#: material, and the first few thousand characters carry the question.
MAX_ANALYSED_CHARS = 4000

#: Languages the guidance can serve; others get a "not covered" naming these.
LANGUAGES = ("en", "fr", "es")
_STEMMERS = {"en": "english", "fr": "french", "es": "spanish"}

_NON_WORD = re.compile(r"[^a-z0-9&]+")
_TOKEN = re.compile(r"[a-z0-9&]+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
# French and Spanish elisions (l'évaluation, d'intérêts, qu'est-ce) are split off.
_ELISION = re.compile(r"\b(?:l|d|j|qu|n|s|c|m|t)'")


class _WithoutMarks(dict):
    """A ``str.translate`` table that drops combining marks (accents after NFKD) and keeps
    every other character, each character's entry made the first time it is met."""

    #: Entries kept at most: the characters of ordinary text are a few hundred.
    LIMIT = 20_000

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        if len(self) < self.LIMIT:
            self[code] = kept
        return kept


_WITHOUT_MARKS = _WithoutMarks()


def fold(text: str) -> str:
    """Lowercase, strip accents and punctuation; keep letters, digits and ``&``."""
    text = text[:MAX_ANALYSED_CHARS]
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
        text = text.translate(_WITHOUT_MARKS).casefold()
    text = _ELISION.sub(" ", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


def fold_many(texts: Iterable[str]) -> list[str]:
    """:func:`fold` of each text, each distinct word folded once: the same result, since
    folding never joins or splits what whitespace separates."""
    memo: dict[str, str] = {}
    out = []
    for text in texts:
        words = text[:MAX_ANALYSED_CHARS].split()
        for word in words:
            if word not in memo:
                memo[word] = fold(word)
        out.append(" ".join(folded for w in words if (folded := memo[w])))
    return out


def tokens(folded: str) -> list[str]:
    return _TOKEN.findall(folded)


def foreign_script(text: str) -> bool:
    """Is most of the text written in a script other than Latin (Arabic, Cyrillic, CJK...)?"""
    text = text[:MAX_ANALYSED_CHARS]
    if text.isascii():  # every letter is Latin
        return False
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    latin = sum(1 for ch in letters if ch.isascii() or "LATIN" in unicodedata.name(ch, ""))
    return latin < len(letters) / 2


#: Letters and marks that one of the three languages uses and the others do not.
_OWN_LETTERS = {"fr": frozenset("çœèêëàâîïôûù"), "es": frozenset("ñ¿¡áíóú")}


class LanguageGuess:
    """English, French or Spanish, from the share of each language's function words.

    Language-identification models (py3langid, simplemma, lingua) take close to a second to
    load, more than a whole answer's budget; for three languages known in advance, function
    words written in ``rules.yaml`` tell them apart reliably on a few words.
    """

    def __init__(self, markers: Mapping[str, Iterable[str]]):
        self._markers = {lang: frozenset(fold(w) for w in words) for lang, words in markers.items()}
        #: Each marker word and the languages it marks.
        self._languages: dict[str, tuple[str, ...]] = {}
        for lang, words in self._markers.items():
            for word in words:
                self._languages[word] = (*self._languages.get(word, ()), lang)

    @property
    def languages(self) -> list[str]:
        """The languages told apart, in the order a tie is decided."""
        return list(self._markers)

    def marked(self, word: str) -> tuple[str, ...]:
        """The languages ``word`` is a marker of."""
        return self._languages.get(word, ())

    def guess(self, words: Iterable[str], written: str = "") -> str:
        """The language of the folded ``words``; ``written``, the text as typed, adds one for
        each language whose own letters or marks it holds ("¿", "ñ", "ç", "è")."""
        counts = dict.fromkeys(self._markers, 0)
        languages = self._languages
        for word in words:
            for lang in languages.get(word, ()):
                counts[lang] += 1
        if written and not written.isascii():
            typed = set(written.lower())
            for lang, letters in _OWN_LETTERS.items():
                if lang in counts and not letters.isdisjoint(typed):
                    counts[lang] += 1
        best = max(counts, key=counts.__getitem__, default="en")
        return best if counts.get(best, 0) > counts.get("en", 0) else "en"


@cache
def _stemmer(language: str):
    import Stemmer

    return Stemmer.Stemmer(_STEMMERS.get(language, "english"))


class Stems:
    """Snowball stems, memoised per language (a chat repeats its words)."""

    def __init__(self) -> None:
        self._memo: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}

    def __getstate__(self) -> dict:
        return {}

    def __setstate__(self, state: dict) -> None:
        self.__init__()

    def stem(self, words: list[str], language: str) -> list[str]:
        if language not in self._memo:
            language = "en"
        memo = self._memo[language]
        missing = [w for w in words if w not in memo]
        if missing:
            for word, stem in zip(missing, _stemmer(language).stemWords(missing), strict=True):
                memo[word] = stem if len(stem) > 1 else word
        return [memo[w] for w in words]


@cache
def english_words() -> frozenset[str]:
    """The English word list that ships with symspellpy (82,765 words)."""
    path = resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    return frozenset(line.split(" ", 1)[0] for line in path.read_text("utf-8").splitlines())


class Speller:
    """Corrects only non-words: a word that is neither English (symspellpy's word list) nor in
    the guidance is matched to the closest guidance word, if one is close enough.

    Real words are never changed, so "propose" stays "propose".
    """

    #: Words whose :meth:`near` verdict is remembered, at most.
    MEMO = 50_000

    def __init__(self, vocabulary: Mapping[str, int], min_len: int = 5):
        from symspellpy import SymSpell

        self._near: dict[tuple[str, bool], bool] = {}
        self._known = frozenset(vocabulary)
        self._min_len = min_len
        spell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        for word, count in vocabulary.items():
            if len(word) >= min_len - 1:
                spell.create_dictionary_entry(word, count)
        self._spell = spell

    def tables(self) -> dict:
        """The speller as plain data (symspellpy's own tables), for the start-up cache."""
        spell = self._spell
        return {
            "known": sorted(self._known),
            "min_len": self._min_len,
            "data_version": spell.data_version,
            "words": spell._words,
            # One string each (words hold no whitespace): far quicker to read than a mapping.
            "delete_keys": "\n".join(spell._deletes),
            "delete_words": "\n".join("\t".join(v) for v in spell._deletes.values()),
            "max_length": spell._max_length,
        }

    @classmethod
    def from_tables(cls, tables: Mapping) -> Speller:
        """The speller :meth:`tables` describes, without building its tables again. They are
        read on the first word it does not know: most questions have none."""
        keys, words = tables["delete_keys"], tables["delete_words"]
        if keys.count("\n") != words.count("\n"):
            raise ValueError("damaged speller tables")
        self = cls.__new__(cls)
        self._near = {}
        self._known = frozenset(tables["known"])
        self._min_len = tables["min_len"]
        self._tables = tables
        return self

    @cached_property
    def _spell(self):
        """The symspellpy speller of a speller read :meth:`from_tables` (one built from a
        vocabulary sets it in ``__init__``)."""
        from symspellpy import SymSpell

        tables = self._tables
        spell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        if tables["data_version"] != spell.data_version:  # tables of another symspellpy
            for word, count in tables["words"].items():
                spell.create_dictionary_entry(word, count)
            return spell
        # The attributes symspellpy's own loader (``load_pickle``) sets.
        spell._words = dict(tables["words"])
        keys, words = tables["delete_keys"].split("\n"), tables["delete_words"].split("\n")
        spell._deletes = _TabJoined(zip(keys, words, strict=True))
        spell._max_length = tables["max_length"]
        return spell

    def correct(self, word: str) -> str | None:
        """The guidance word that English ``word`` most likely stands for, or None."""
        if (
            word in self._known
            or len(word) < self._min_len
            or not word.isalpha()
            or word in english_words()
        ):
            return None
        from symspellpy import Verbosity

        distance = 2 if len(word) >= 8 else 1
        found = self._spell.lookup(word, Verbosity.CLOSEST, max_edit_distance=distance)
        # Typos rarely hit the first letter; keeping it avoids turning "shark" into "share".
        found = [s for s in found if s.term[0] == word[0]]
        return found[0].term if found else None

    def near(self, word: str, *, own: bool = False) -> bool:
        """Is ``word`` one edit away from a guidance word (whatever its language)? With
        ``own``, the word comes from the guidance itself, so it must be near another one."""
        if len(word) < self._min_len or not word.isalpha():
            return False
        key = (word, own)
        known = self._near.get(key)
        if known is None:
            from symspellpy import Verbosity

            found = self._spell.lookup(word, Verbosity.ALL, max_edit_distance=1)
            known = any(s.distance > 0 or not own for s in found)
            if len(self._near) < self.MEMO:
                self._near[key] = known
        return known


class _TabJoined(dict):
    """A mapping of lists kept as tab-joined strings, split when looked up: symspellpy only
    probes its deletes table (``in``, then ``[]``), and most entries are never read."""

    def __getitem__(self, key: str) -> list[str]:
        return dict.__getitem__(self, key).split("\t")


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
        return self._spans(folded.split())

    def _spans(self, words: list[str]) -> list[tuple[int, int, str]]:
        by_first = self._by_first
        found = []
        reached = 0  # a phrase found ends here: the next one starts at or after it
        for start in [i for i, word in enumerate(words) if word in by_first]:
            if start < reached:
                continue
            for candidate in by_first[words[start]]:
                end = start + len(candidate)
                if tuple(words[start:end]) == candidate:
                    found.append((start, end, " ".join(candidate)))
                    reached = end
                    break
        return found

    def find(self, folded: str) -> list[str]:
        return [phrase for _, _, phrase in self.spans(folded)]

    def remove(self, folded: str) -> str:
        words = folded.split()
        for first, end, _ in self._spans(words):
            words[first:end] = [""] * (end - first)
        return " ".join(w for w in words if w)


class Glossary:
    """The English vocabulary for abbreviations, synonyms and French/Spanish terms.

    The engine searches these meanings as a second, down-weighted query, and only for the
    question itself, never for background sentences.
    """

    def __init__(self, *mappings: Mapping[str, str], idioms: Mapping[str, str] | None = None):
        self._plain = {fold(k): fold(v) for k, v in (idioms or {}).items() if fold(k)}
        self._idioms = Phrases(self._plain)
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

    def plain(self, folded: str) -> str:
        """``folded`` with each idiom replaced by its plain words."""
        if not self._idioms:
            return folded
        words = folded.split()
        for first, end, idiom in reversed(self._idioms.spans(folded)):
            words[first:end] = [self._plain[idiom]]
        return " ".join(words)

    def terms_in(self, folded: str) -> list[str]:
        """Glossary keys found in already folded text, in order."""
        return self._phrases.find(folded)

    def meanings(self, folded: str) -> str:
        """The meanings of the glossary terms found in ``folded``, joined."""
        return " ".join(self._table[k] for k in self.terms_in(folded))
