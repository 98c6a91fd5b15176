"""The declarative rules of guidance/rules.yaml, compiled once.

Patterns are regular expressions matched against the *folded* question: lowercase, accents
removed, punctuation replaced by spaces (see :func:`pact_advisor.engine.text.fold`). A pattern
with a capital letter in it is matched against the message as written instead, so that
``MIEUX`` names the programme and the French word *mieux* does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pact_advisor.knowledge import Rules
from pact_advisor.knowledge.models import Intent


@dataclass(frozen=True)
class Pattern:
    """Alternatives split by whether they read the folded text or the text as written."""

    folded: re.Pattern[str] | None
    written: re.Pattern[str] | None

    @classmethod
    def compile(cls, patterns: tuple[str, ...]) -> Pattern:
        def join(group: list[str]) -> re.Pattern[str] | None:
            return re.compile("|".join(f"(?:{p})" for p in group)) if group else None

        written = [p for p in patterns if re.search(r"(?<!\\)[A-Z]", p)]
        folded = [p for p in patterns if p not in written]
        return cls(join(folded), join(written))

    def search(self, folded: str, written: str = "") -> bool:
        return bool(
            (self.folded is not None and self.folded.search(folded))
            or (self.written is not None and written and self.written.search(written))
        )

    def count(self, folded: str) -> int:
        return len(self.folded.findall(folded)) if self.folded is not None else 0


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: Pattern
    unless: Pattern | None = None
    max_words: int | None = None

    def matches(self, folded: str, written: str = "") -> bool:
        if self.max_words is not None and len(folded.split()) > self.max_words:
            return False
        if not self.pattern.search(folded, written):
            return False
        return not (self.unless and self.unless.search(folded, written))


@dataclass(frozen=True)
class Mention:
    name: str
    about: frozenset[str]


class CompiledRules:
    def __init__(self, rules: Rules):
        self.thresholds = rules.thresholds
        self._intents = [
            (r.intent, _Rule(r.name, Pattern.compile(r.patterns), max_words=r.max_words))
            for r in rules.intents
        ]
        self._mentions = [
            (
                _Rule(r.name, Pattern.compile(r.when), Pattern.compile(r.unless)),
                Mention(r.name, frozenset(r.about)),
            )
            for r in rules.mentions
        ]
        self._out_of_scope = [
            _Rule(r.name, Pattern.compile(r.patterns), Pattern.compile(r.unless))
            for r in rules.out_of_scope
        ]
        self._followups = [
            (r.kind, _Rule(r.name, Pattern.compile(r.patterns), max_words=r.max_words))
            for r in rules.followups
        ]
        cues = rules.cues
        self.question_cue = Pattern.compile(cues.question)
        self.new_subject_cue = Pattern.compile(cues.new_subject)
        self.whole_list_cue = Pattern.compile(cues.whole_list)
        self.programme_cue = Pattern.compile(cues.programme)
        self.produce_cue = Pattern.compile(cues.produce)
        self.about_guidance_cue = Pattern.compile(cues.about_guidance)
        self.stopwords = frozenset(rules.stopwords)
        self.languages = {lang: tuple(words) for lang, words in rules.languages.items()}

    def intent(self, folded: str) -> tuple[Intent, str | None]:
        """The intent and the name of the rule that decided it (None for the default)."""
        for intent, rule in self._intents:
            if rule.matches(folded):
                return intent, rule.name
        return "answer", None

    def mentions(self, folded: str, written: str = "") -> list[Mention]:
        """What the text names (collections, programmes, the evaluation)."""
        return [m for rule, m in self._mentions if rule.matches(folded, written)]

    def out_of_scope(self, folded: str) -> list[str]:
        """The out-of-scope subjects the text touches (evidence, not a verdict)."""
        return [rule.name for rule in self._out_of_scope if rule.matches(folded)]

    def followup(self, folded: str) -> tuple[str, str] | None:
        """``(kind, rule name)`` when the text reads as a follow-up."""
        for kind, rule in self._followups:
            if rule.matches(folded):
                return kind, rule.name
        return None
