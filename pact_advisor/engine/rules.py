"""The declarative rules of guidance/rules.yaml, compiled once.

Patterns are regular expressions matched against the *folded* question: lowercase, accents
removed, punctuation replaced by spaces (see :func:`pact_advisor.engine.text.fold`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pact_advisor.knowledge import Rules
from pact_advisor.knowledge.models import Intent


def _compile(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@dataclass(frozen=True)
class _Compiled:
    name: str
    pattern: re.Pattern[str]
    max_words: int | None = None

    def matches(self, folded: str) -> bool:
        if self.max_words is not None and len(folded.split()) > self.max_words:
            return False
        return self.pattern.search(folded) is not None


@dataclass(frozen=True)
class TopicBoost:
    name: str
    targets: frozenset[str]
    boost: float


class CompiledRules:
    def __init__(self, rules: Rules):
        self.thresholds = rules.thresholds
        self._intents = [
            (r.intent, _Compiled(r.name, _compile(r.patterns), r.max_words)) for r in rules.intents
        ]
        self._topics = [
            (
                _Compiled(r.name, _compile(r.when)),
                _compile(r.unless),
                TopicBoost(r.name, frozenset(r.prefer), r.boost),
            )
            for r in rules.topics
        ]
        self._out_of_scope = [
            (_Compiled(r.name, _compile(r.patterns)), _compile(r.unless))
            for r in rules.out_of_scope
        ]
        self._followups = [
            (r.kind, _Compiled(r.name, _compile(r.patterns), r.max_words)) for r in rules.followups
        ]
        self.stopwords = frozenset(rules.stopwords)

    def intent(self, folded: str) -> tuple[Intent, str | None]:
        """The intent and the name of the rule that decided it (None for the default)."""
        for intent, rule in self._intents:
            if rule.matches(folded):
                return intent, rule.name
        return "answer", None

    def topic_boosts(self, folded: str) -> list[TopicBoost]:
        return [
            boost
            for rule, unless, boost in self._topics
            if rule.matches(folded) and not (unless and unless.search(folded))
        ]

    def out_of_scope(self, folded: str) -> str | None:
        """The name of the out-of-scope rule the question falls under, if any."""
        for rule, unless in self._out_of_scope:
            if rule.matches(folded) and not (unless and unless.search(folded)):
                return rule.name
        return None

    def followup(self, folded: str) -> tuple[str, str] | None:
        """``(kind, rule name)`` when the text reads as a follow-up."""
        for kind, rule in self._followups:
            if rule.matches(folded):
                return kind, rule.name
        return None
