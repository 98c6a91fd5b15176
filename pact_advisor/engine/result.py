"""What the engine answers: a :class:`Result` with its ranked :class:`Match` es.

Plain frozen data, importable without NumPy or scikit-learn.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Literal

from pact_advisor.knowledge import Context, Source
from pact_advisor.knowledge.models import Intent

#: How a result relates to the previous turn.
Followup = Literal["more", "checklist", "refocus", "context"]
#: Why nothing was answered: an empty message, a language the guidance cannot serve, or the
#: coverage model's verdict (with the out-of-scope subject when the question names one).
Reason = Literal["empty", "language", "not-covered", "asks-to-produce"] | str
#: The coverage model's probability, in words.
Confidence = Literal["none", "low", "medium", "high"]


@dataclass(frozen=True)
class Match:
    """One item a question was matched to, and why."""

    id: str
    title: str
    quote: str
    source: Source
    score: float
    why: tuple[str, ...]

    @property
    def collection(self) -> str:
        return self.id.split(".", 1)[0]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "quote": self.quote,
            "source": dict(_source_dict(self.source)),
            "score": round(self.score, 4),
            "why": list(self.why),
        }


@functools.lru_cache(maxsize=1024)
def _source_dict(source: Source) -> dict[str, Any]:
    """A source as plain data (read only: callers copy it)."""
    return source.model_dump(exclude_none=True)


@dataclass(frozen=True)
class Turn:
    """What a follow-up needs of the previous turn."""

    question: str
    match_ids: tuple[str, ...]
    context: Context = field(default_factory=Context)


@dataclass(frozen=True)
class Result:
    """The engine's answer to one message.

    ``answered`` is the coverage model's verdict; ``matches`` are the ranked items (empty when
    not answered, with ``suggestions`` instead); ``covered`` is the model's probability and
    ``confidence`` says it in words.
    """

    question: str
    intent: Intent
    answered: bool
    matches: tuple[Match, ...]
    guidance_version: str
    suggestions: tuple[Match, ...] = ()
    ambiguous: bool = False
    context: Context = field(default_factory=Context)
    #: Set when the message was resolved against a previous turn.
    followup: Followup | None = None
    #: The question actually searched (the previous one, for "tell me more").
    searched: str = ""
    #: Why nothing was answered: a :data:`Reason`, or ``out-of-scope:<subject>``.
    reason: Reason | None = None
    confidence: Confidence = "none"
    #: The coverage model's probability that the guidance covers the message.
    covered: float = 0.0
    #: The language the message was read in (``en``, ``fr`` or ``es``).
    language: str = "en"

    @property
    def top(self) -> Match | None:
        return self.matches[0] if self.matches else None

    def turn(self) -> Turn:
        return Turn(self.searched or self.question, tuple(m.id for m in self.matches), self.context)

    def as_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "intent": self.intent,
            "answered": self.answered,
            "matches": [m.as_dict() for m in self.matches],
            "suggestions": [m.as_dict() for m in self.suggestions],
            "ambiguous": self.ambiguous,
            "confidence": self.confidence,
            "covered": round(self.covered, 4),
            "language": self.language,
            "context": self.context.as_dict(),
            "followup": self.followup,
            "reason": self.reason,
            "guidance_version": self.guidance_version,
        }
