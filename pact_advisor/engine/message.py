"""A message read as a question plus background.

People write "Context: I'm programme manager in Tunis. At the last joint committee... What
should we do about roles?". The sentences (split by sentencex) that ask something form the
question; the rest is background. Countries and sectors become the answer's context and leave
the text that is searched; names of collections and programmes become evidence for the ranker,
marked by whether the question or only the background names them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pact_advisor.engine.rules import CompiledRules, Scan
from pact_advisor.engine.text import (
    MAX_ANALYSED_CHARS,
    Glossary,
    LanguageGuess,
    Phrases,
    fold,
)

#: Chat mentions (``<@123>``, ``<@&123>``, ``<#123>``, ``@everyone``, ``@here``) address
#: people or channels; they are not part of what is asked.
_MENTION = re.compile(r"<(?:@[!&]?|#)\d+>|@(?:everyone|here)\b")
#: Contact details and links: how to reach the writer, never what is asked.
_CONTACT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.)\S+")


@dataclass(frozen=True)
class Reading:
    """What the engine takes from one message."""

    written: str
    language: str
    #: The sentences that ask (folded, context names removed).
    question: str
    #: Every sentence (folded, context names removed).
    whole: str
    #: Each sentence on its own (folded, context names removed), when there are several.
    sentences: tuple[str, ...]
    #: The question as written, for explaining a match.
    clause: str
    #: Glossary meanings of the question's terms (never of the background's).
    expansion: str
    partners: tuple[str, ...]
    sectors: tuple[str, ...]
    #: Collections or item ids the question names, and those only the background names.
    named: frozenset[str]
    named_in_background: frozenset[str]
    whole_list: bool
    about_programme: bool
    produce: bool
    about_guidance: bool
    #: The question asks for a specific fact (a number, a date, an age, a fee).
    specific: bool
    #: Out-of-scope subjects the question touches, and those the whole message touches.
    out_of_scope: tuple[str, ...]
    out_of_scope_anywhere: tuple[str, ...]
    words: int

    @property
    def has_background(self) -> bool:
        return self.question != self.whole


class Names:
    """Finds countries or sectors in folded text; returns them as ``context.yaml`` writes them.

    A name that is also an everyday word ("IT" and "it") counts only when written as the
    name is written, in capitals.
    """

    def __init__(self, names: Iterable[str], common_words: frozenset[str]):
        # The first spelling of a name wins: context.yaml lists the English one first.
        self._table: dict[str, str] = {}
        for name in names:
            if fold(name):
                self._table.setdefault(fold(name), name)
        self._phrases = Phrases(self._table)
        self._as_written = {
            key: re.compile(rf"\b{re.escape(name)}\b")
            for key, name in self._table.items()
            if key in common_words
        }

    def find(self, folded: str, written: str) -> list[str]:
        found = []
        for key in self._phrases.find(folded):
            check = self._as_written.get(key)
            if check is None or check.search(written):
                found.append(self._table[key])
        return list(dict.fromkeys(found))

    def remove(self, folded: str) -> str:
        return self._phrases.remove(folded)


class Reader:
    """Turns a message into a :class:`Reading`. Pure and cheap: no fitted state."""

    def __init__(
        self,
        rules: CompiledRules,
        glossary: Glossary,
        countries: Iterable[str],
        sectors: Iterable[str],
    ):
        self.rules = rules
        self.glossary = glossary
        common = rules.stopwords | {fold(w) for ws in rules.languages.values() for w in ws}
        self._common = common
        self.countries = Names(countries, common)
        self.sectors = Names(sectors, common)
        self.languages = LanguageGuess(rules.languages)
        self._markers = {
            lang: frozenset(fold(w) for w in words) for lang, words in rules.languages.items()
        }

    def read(self, written: str, *, folded: str | None = None) -> Reading:
        written = written[:MAX_ANALYSED_CHARS]
        if _MENTION.search(written) or _CONTACT.search(written):
            written = _CONTACT.sub(" ", _MENTION.sub(" ", written))
            folded = None
        folded = fold(written) if folded is None else folded
        language = self.languages.guess(folded.split(), written)
        # Each sentence folded once: (as written, folded).
        sentences = [(s, f) for s in _sentences(written, language) if (f := fold(s))]
        if not sentences:
            sentences = [(written, folded)]
        scan = _Scans(self.rules)
        rules = self.rules
        asking = self._asking(sentences, scan)
        question_written = " ".join(sentences[i][0].strip() for i in asking)
        question_folded = " ".join(sentences[i][1] for i in asking)
        background_folded = " ".join(f for i, (_, f) in enumerate(sentences) if i not in asking)
        question = self._without_names(question_folded)
        if background_folded:
            parts = tuple(self._without_names(f) for _, f in sentences)
            whole = " ".join(p for p in parts if p)
        else:
            parts, whole = (), question
        on_question, on_all = scan[question_folded], scan[folded]
        named = self._named(question_folded, question_written, on_question)
        in_background = (
            self._named(background_folded, written, scan[background_folded]) - named
            if background_folded
            else frozenset()
        )
        out_of_scope = tuple(rules.out_of_scope(question_folded, on_question))
        return Reading(
            written=written,
            language=language,
            question=question,
            whole=whole,
            sentences=parts,
            clause=question_written.strip()[:200],
            expansion=self._expansion(question, language),
            partners=tuple(self.countries.find(folded, written)),
            sectors=tuple(self.sectors.find(folded, written)),
            named=named,
            named_in_background=in_background,
            whole_list=rules.whole_list_cue.found(on_question),
            about_programme=rules.programme_cue.found(on_question),
            produce=rules.produce_cue.found(on_all, written),
            about_guidance=rules.about_guidance_cue.found(on_all),
            specific=rules.specific_cue.found(on_question),
            out_of_scope=out_of_scope,
            out_of_scope_anywhere=tuple(rules.out_of_scope(folded, on_all))
            if background_folded
            else out_of_scope,
            words=len(folded.split()),
        )

    def _asking(self, sentences: list[tuple[str, str]], scan: _Scans) -> list[int]:
        """Which sentences (written, folded) form the question."""
        asking = [i for i, (s, f) in enumerate(sentences) if self._asks(s, scan[f])]
        if not asking or len(sentences) == 1:
            asking = [len(sentences) - 1]
        cue = self.rules.new_subject_cue
        turns = [i for i, (_, f) in enumerate(sentences) if cue.found(scan[f])]
        if turns and turns[-1] <= asking[-1]:
            asking = list(range(turns[-1], len(sentences)))
        return asking

    def _asks(self, sentence: str, scan: Scan) -> bool:
        return "?" in sentence or "¿" in sentence or self.rules.question_cue.found(scan)

    def _without_names(self, folded: str) -> str:
        """The text searched: names taken as context removed, idioms in plain words."""
        return self.glossary.plain(self.sectors.remove(self.countries.remove(folded)))

    def _named(self, folded: str, written: str, scan: Scan) -> frozenset[str]:
        return frozenset(t for m in self.rules.mentions(folded, written, scan) for t in m.about)

    def _expansion(self, question: str, language: str) -> str:
        markers = self._markers.get(language, frozenset())
        kept = [t for t in self.glossary.terms_in(question) if t not in markers]
        return " ".join(self.glossary.meanings(t) for t in kept)


class _Scans(dict):
    """What each distinct text of one message matches of the rules, searched once."""

    def __init__(self, rules: CompiledRules):
        super().__init__()
        self._rules = rules

    def __missing__(self, text: str) -> Scan:
        found = self[text] = self._rules.scan(text)
        return found


def _sentences(written: str, language: str) -> list[str]:
    import sentencex

    return list(sentencex.segment(language, written))
