"""What the store gives back: frozen records, typed the way the rest of the program uses them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

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
class Skip:
    """A step marked not applicable: by whom, when (epoch seconds) and why."""

    user_id: int
    user_name: str
    skipped_at: float
    reason: str


@dataclass(frozen=True)
class Owner:
    """A member responsible for a step."""

    user_id: int
    user_name: str


@dataclass(frozen=True)
class Event:
    """One change to a run, as recorded with it: ``kind`` is tick, untick, assign, due,
    skip, reopen or note; ``detail`` holds the owners, due date, reason or note set."""

    id: int
    run_id: int
    step: int
    kind: str
    user_id: int
    user_name: str
    at: float
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Digest:
    """A server's daily digest: posted in ``channel_id`` at ``at_time`` (HH:MM, UTC);
    ``last_sent`` is the UTC day (YYYY-MM-DD) it was last posted."""

    guild_id: int
    channel_id: int
    at_time: str
    last_sent: str | None = None


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
    #: Steps marked not applicable (a step is never both ticked and not applicable).
    skips: Mapping[int, Skip] = field(default_factory=dict)
    #: Each step's owners, in the order they were chosen.
    owners: Mapping[int, tuple[Owner, ...]] = field(default_factory=dict)
    #: Each step's due date (YYYY-MM-DD).
    due: Mapping[int, str] = field(default_factory=dict)
    notes: Mapping[int, str] = field(default_factory=dict)
    #: The display name of whoever made it (``None`` for runs made before names were kept).
    created_by_name: str | None = None
    #: ``channel`` or ``thread`` when it was written for the context set there (/context).
    context_note: str | None = None
    #: The guidance version its steps were drawn from (``None`` if made before it was kept).
    guidance_version: str | None = None
    #: The message showing it, once posted.
    message_id: int | None = None

    def state(self, step: int) -> str:
        """``done``, ``na`` (not applicable) or ``open``."""
        if step in self.ticks:
            return "done"
        return "na" if step in self.skips else "open"

    @property
    def skipped_count(self) -> int:
        """Number of steps marked not applicable."""
        return len(self.skips)

    @property
    def is_open(self) -> bool:
        """Some step is neither done nor not applicable."""
        return len(self.ticks) + len(self.skips) < len(self.steps)

    def overdue(self, today: str) -> list[int]:
        """Open steps whose due date (YYYY-MM-DD) is before ``today``."""
        return [s for s, d in sorted(self.due.items()) if d < today and self.state(s) == "open"]

    def due_between(self, first: str, last: str) -> list[int]:
        """Open steps due from ``first`` to ``last`` (inclusive, YYYY-MM-DD)."""
        return [
            s for s, d in sorted(self.due.items()) if first <= d <= last and self.state(s) == "open"
        ]

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
