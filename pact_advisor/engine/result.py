"""What the engine answers: a :class:`Result` with its ranked :class:`Match` es.

Plain frozen data, importable without NumPy or scikit-learn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pact_advisor.knowledge import Context, Source
from pact_advisor.knowledge.models import Intent


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
            "source": self.source.model_dump(exclude_none=True),
            "score": round(self.score, 4),
            "why": list(self.why),
        }


@dataclass(frozen=True)
class Turn:
    """What a follow-up needs of the previous turn."""

    question: str
    match_ids: tuple[str, ...]
    context: Context = field(default_factory=Context)


@dataclass(frozen=True)
class Result:
    question: str
    intent: Intent
    answered: bool
    matches: tuple[Match, ...]
    guidance_version: str
    suggestions: tuple[Match, ...] = ()
    ambiguous: bool = False
    context: Context = field(default_factory=Context)
    #: ``more``, ``checklist``, ``refocus`` or ``context`` when resolved against a previous turn.
    followup: str | None = None
    #: The question actually searched (the previous one, for "tell me more").
    searched: str = ""
    #: Why nothing was answered: ``empty``, ``low-score``, ``unknown-terms`` or ``out-of-scope:<rule>``.
    reason: str | None = None
    confidence: str = "none"

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
            "context": self.context.as_dict(),
            "followup": self.followup,
            "reason": self.reason,
            "guidance_version": self.guidance_version,
        }
