"""What the store gives back: frozen records, typed the way the rest of the program uses them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pact_advisor.checklists import Checklist, Step
from pact_advisor.engine import Context, Turn
from pact_advisor.knowledge import Guidance


@dataclass(frozen=True)
class Tick:
    """Who ticked a checklist step, and when (epoch seconds)."""

    user_id: int
    user_name: str
    ticked_at: float


@dataclass(frozen=True)
class Run:
    """A checklist run: the steps of a checklist as they were when it was made, plus who
    ticked which. ``ticks`` maps a step index to its :class:`Tick`; a step absent from it
    is not ticked."""

    id: int
    topic: str
    title: str
    context: Context
    steps: tuple[Step, ...]
    guild_id: int | None
    channel_id: int | None
    created_by: int
    created_at: float
    ticks: Mapping[int, Tick] = field(default_factory=dict)
    #: The language of its steps and titles (``en``, ``fr`` or ``es``).
    language: str = "en"

    @property
    def ticked_count(self) -> int:
        """Number of ticked steps."""
        return len(self.ticks)

    @property
    def complete(self) -> bool:
        """True when every step is ticked (and there is at least one)."""
        return bool(self.steps) and len(self.ticks) == len(self.steps)

    def is_ticked(self, step: int) -> bool:
        """Whether step index ``step`` is ticked."""
        return step in self.ticks

    def checklist(self, guidance: Guidance | None = None) -> Checklist:
        """The checklist this run was made from; sections are titled from ``guidance``
        (the current one, in the run's language) when given, else by their collection id."""
        return Checklist.of_steps(
            self.topic, self.title, self.context, self.steps, guidance, self.language
        )


@dataclass(frozen=True)
class FeedbackRecord:
    """One helpful / not helpful vote. ``question`` is None once purged."""

    id: int
    question: str | None
    item_id: str
    helpful: bool
    user_id: int
    guidance_version: str | None
    created_at: float
    #: Why it was not helpful (see ``store.channel.REASONS``), and the member's words.
    reason: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class UnansweredQuestion:
    """A question the advisor could not answer, with the item ids it suggested instead.
    ``question`` is None once purged."""

    id: int
    question: str | None
    suggestions: tuple[str, ...]
    user_id: int
    created_at: float


@dataclass(frozen=True)
class TurnRecord:
    """The question behind an answer message. ``question`` is None once purged."""

    message_id: int
    channel_id: int | None
    question: str | None
    match_ids: tuple[str, ...]
    context: Context
    guidance_version: str | None
    created_at: float

    @property
    def turn(self) -> Turn | None:
        """The turn a follow-up continues from; None once the question is purged, since
        there is nothing left to continue from."""
        if self.question is None:
            return None
        return Turn(self.question, self.match_ids, self.context)


@dataclass(frozen=True)
class ItemCounts:
    """Helpful / not helpful vote counts for one guidance item."""

    helpful: int = 0
    not_helpful: int = 0
    #: How often each reason was given for "not helpful".
    reasons: Mapping[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """All votes."""
        return self.helpful + self.not_helpful


@dataclass(frozen=True)
class Report:
    """Activity between ``since`` and ``until`` (epoch seconds).

    ``unanswered`` and ``not_helpful`` are oldest first; ``item_counts`` maps an item id to
    its vote counts.
    """

    since: float
    until: float
    unanswered: tuple[UnansweredQuestion, ...]
    not_helpful: tuple[FeedbackRecord, ...]
    item_counts: Mapping[str, ItemCounts]
