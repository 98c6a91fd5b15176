"""The declarative rules of guidance/rules.yaml, compiled once.

Patterns are regular expressions matched against the *folded* question: lowercase, accents
removed, punctuation replaced by spaces (see :func:`pact_advisor.engine.text.fold`). A pattern
with a capital letter in it is matched against the message as written instead, so that
``MIEUX`` names the programme and the French word *mieux* does not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from pact_advisor.engine.patterns import PatternSet
from pact_advisor.knowledge import Rules
from pact_advisor.knowledge.models import Intent

#: What a text matched: the ids of the patterns of :attr:`CompiledRules.patterns` found in it.
Scan = frozenset[int]


@dataclass(frozen=True)
class Pattern:
    """Alternatives split by whether they read the folded text or the text as written.

    The folded alternatives are searched together with every other rule's, in one pass
    (:meth:`CompiledRules.scan`); ``ids`` are theirs in that pass.
    """

    written: re.Pattern[str] | None
    ids: frozenset[int] = frozenset()
    patterns: PatternSet | None = field(default=None, repr=False, compare=False)

    @classmethod
    def compile(cls, patterns: tuple[str, ...], into: PatternSet | None = None) -> Pattern:
        def join(group: list[str]) -> re.Pattern[str] | None:
            return re.compile("|".join(f"(?:{p})" for p in group)) if group else None

        written = [p for p in patterns if re.search(r"(?<!\\)[A-Z]", p)]
        folded = [p for p in patterns if p not in written]
        into = into if into is not None else PatternSet()
        ids = frozenset(into.add(p) for p in folded)
        return cls(join(written), ids, into)

    def search(self, folded: str, written: str = "") -> bool:
        scan = self.patterns.scan(folded) if self.ids and self.patterns is not None else Scan()
        return self.found(scan, written)

    def found(self, scan: Scan, written: str = "") -> bool:
        """:meth:`search`, given what the folded text matched."""
        return bool(
            (self.ids and not self.ids.isdisjoint(scan))
            or (self.written is not None and written and self.written.search(written))
        )


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: Pattern
    unless: Pattern | None = None
    max_words: int | None = None

    def matches(self, folded: str, written: str = "", scan: Scan | None = None) -> bool:
        if self.max_words is not None and len(folded.split()) > self.max_words:
            return False
        if scan is None:
            scan = self.pattern.patterns.scan(folded) if self.pattern.patterns else Scan()
        if not self.pattern.found(scan, written):
            return False
        return not (self.unless and self.unless.found(scan, written))


class _Candidates:
    """Which rules of a list a scan can satisfy: those whose folded patterns it matched,
    and those with a pattern read as written, in their order."""

    def __init__(self, rules: list[_Rule]):
        self._by_id: dict[int, set[int]] = {}
        for i, rule in enumerate(rules):
            for pattern_id in rule.pattern.ids:
                self._by_id.setdefault(pattern_id, set()).add(i)
        self._always = {i for i, rule in enumerate(rules) if rule.pattern.written is not None}

    def __call__(self, scan: Scan) -> list[int]:
        found = set(self._always)
        for pattern_id in scan:
            found.update(self._by_id.get(pattern_id, ()))
        return sorted(found)


@dataclass(frozen=True)
class Mention:
    name: str
    about: frozenset[str]


class CompiledRules:
    def __init__(self, rules: Rules, translated: Mapping[str, str | None] | None = None):
        """``translated``: the patterns as written for RE2 before (see :class:`PatternSet`)."""
        self.thresholds = rules.thresholds
        #: Every rule's folded patterns, searched together (see :meth:`scan`).
        self.patterns = into = PatternSet(translated=translated)

        def pattern(patterns: tuple[str, ...]) -> Pattern:
            return Pattern.compile(patterns, into)

        self._intents = [
            (r.intent, _Rule(r.name, pattern(r.patterns), max_words=r.max_words))
            for r in rules.intents
        ]
        self._mentions = [
            (
                _Rule(r.name, pattern(r.when), pattern(r.unless)),
                Mention(r.name, frozenset(r.about)),
            )
            for r in rules.mentions
        ]
        self._out_of_scope = [
            _Rule(r.name, pattern(r.patterns), pattern(r.unless)) for r in rules.out_of_scope
        ]
        self._followups = [
            (r.kind, _Rule(r.name, pattern(r.patterns), max_words=r.max_words))
            for r in rules.followups
        ]
        cues = rules.cues
        self.question_cue = pattern(cues.question)
        self.new_subject_cue = pattern(cues.new_subject)
        self.whole_list_cue = pattern(cues.whole_list)
        self.programme_cue = pattern(cues.programme)
        self.produce_cue = pattern(cues.produce)
        self.about_guidance_cue = pattern(cues.about_guidance)
        self.specific_cue = pattern(cues.specific)
        self.stopwords = frozenset(rules.stopwords)
        self.languages = {lang: tuple(words) for lang, words in rules.languages.items()}
        into.compile()
        self._candidates = {
            "intents": _Candidates([rule for _, rule in self._intents]),
            "mentions": _Candidates([rule for rule, _ in self._mentions]),
            "out_of_scope": _Candidates(self._out_of_scope),
            "followups": _Candidates([rule for _, rule in self._followups]),
        }

    def scan(self, folded: str) -> Scan:
        """Which of the rules' folded patterns ``folded`` matches, all found in one pass; the
        methods below take it (``scan``) so that a text is searched once for all of them."""
        return self.patterns.scan(folded)

    def intent(self, folded: str, scan: Scan | None = None) -> tuple[Intent, str | None]:
        """The intent and the name of the rule that decided it (None for the default)."""
        scan = self.scan(folded) if scan is None else scan
        for i in self._candidates["intents"](scan):
            intent, rule = self._intents[i]
            if rule.matches(folded, scan=scan):
                return intent, rule.name
        return "answer", None

    def mentions(self, folded: str, written: str = "", scan: Scan | None = None) -> list[Mention]:
        """What the text names (collections, programmes, the evaluation)."""
        scan = self.scan(folded) if scan is None else scan
        found = (self._mentions[i] for i in self._candidates["mentions"](scan))
        return [m for rule, m in found if rule.matches(folded, written, scan)]

    def out_of_scope(self, folded: str, scan: Scan | None = None) -> list[str]:
        """The out-of-scope subjects the text touches (evidence, not a verdict)."""
        scan = self.scan(folded) if scan is None else scan
        found = (self._out_of_scope[i] for i in self._candidates["out_of_scope"](scan))
        return [rule.name for rule in found if rule.matches(folded, scan=scan)]

    def followup(self, folded: str, scan: Scan | None = None) -> tuple[str, str] | None:
        """``(kind, rule name)`` when the text reads as a follow-up."""
        scan = self.scan(folded) if scan is None else scan
        for i in self._candidates["followups"](scan):
            kind, rule = self._followups[i]
            if rule.matches(folded, scan=scan):
                return kind, rule.name
        return None
