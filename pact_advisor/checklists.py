"""Checklists built from guidance: for a collection, an item, an answer, or a readiness review.

Pure data, no discord import. Steps are filled with the context (partner, sector, programme)
by the sandboxed slot filler; every step keeps the id of the item it comes from. A checklist
is in one language: its steps and titles are the guidance's in that language (English for an
item not translated yet).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from pact_advisor import i18n
from pact_advisor.engine import Result
from pact_advisor.i18n import N_
from pact_advisor.knowledge import Context, Guidance, Item, SlotFiller, context_values
from pact_advisor.knowledge.lookup import resolve, suggest
from pact_advisor.knowledge.translations import collection_text, item_text

#: The topic of the composite partnership readiness review.
READINESS = "readiness"
READINESS_TITLE = N_("Partnership readiness review")

#: The readiness review: (item id, how many of its first steps). Overview items whose steps
#: only repeat the specific ones are left out; the 3I overview is the lens itself. The first
#: steps of an item are its core actions, so a limit stays meaningful when steps are edited.
READINESS_ITEMS: tuple[tuple[str, int | None], ...] = (
    ("success-factors.shared-interests", 2),
    ("success-factors.clear-objectives", 2),
    ("success-factors.local-context", 2),
    ("success-factors.roles-governance", 3),
    ("success-factors.resources-monitoring", 3),
    ("talent-partnerships.public-private", 2),
    ("talent-partnerships.policy-coherence", 1),
    ("capacity-building.local-governance", 3),
    ("capacity-building.stakeholders", 2),
    ("diaspora.overview", None),
    ("three-i.overview", 2),
)

#: A runner-up joins an answer's checklist when it scores at least this share of the top match.
RUNNER_UP_RATIO = 0.7
#: At most this many items feed an answer's checklist.
ANSWER_ITEMS = 3


class Filler(Protocol):
    """Anything that fills a guidance string with a context (a ``Renderer`` or ``SlotFiller``)."""

    def fill(self, text: str, context: Any = None, language: str = "en") -> str: ...


class UnknownTopic(ValueError):
    """No checklist has this topic; ``topics`` lists the valid ones, ``suggestions`` the
    closest by id, title or words (``names`` maps each topic to its title)."""

    def __init__(self, topic: str, topics: Sequence[str], names: Mapping[str, str] | None = None):
        self.topic = topic
        self.topics = tuple(topics)
        self.suggestions = tuple(suggest(topic, names or {t: t for t in self.topics}, n=3))
        collections = [t for t in self.topics if "." not in t]
        hint = f" Did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(
            f"unknown checklist topic {topic!r}.{hint} Valid topics: "
            f"{', '.join(collections)}, or an item id such as {self._example()}."
        )

    def _example(self) -> str:
        items = [t for t in self.topics if "." in t]
        return items[0] if items else "-"


@dataclass(frozen=True)
class Step:
    """One step, filled with the context, and the item it comes from."""

    text: str
    item_id: str
    collection: str

    def as_dict(self) -> dict[str, str]:
        return {"text": self.text, "item_id": self.item_id, "collection": self.collection}


@dataclass(frozen=True)
class Section:
    """The steps drawn from one collection."""

    collection: str
    title: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Checklist:
    """A titled list of steps, grouped by collection, for one context."""

    #: A collection id, ``readiness`` or an item id (for an answer: the top match's id).
    topic: str
    title: str
    context: Context = field(default_factory=Context)
    sections: tuple[Section, ...] = ()
    #: The language of its steps and titles (``en``, ``fr`` or ``es``).
    language: str = "en"

    @property
    def steps(self) -> tuple[Step, ...]:
        """Every step, in order; a step's index here is its index in a stored run."""
        return tuple(step for section in self.sections for step in section.steps)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(step.item_id for step in self.steps))

    def as_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "title": self.title,
            "context": context_values(self.context),
            "language": self.language,
            "steps": [step.as_dict() for step in self.steps],
        }

    @classmethod
    def of_steps(
        cls,
        topic: str,
        title: str,
        context: Context,
        steps: Iterable[Step],
        guidance: Guidance | None = None,
        language: str = "en",
    ) -> Checklist:
        """The checklist of ``steps`` in order (a stored run's, say): consecutive steps of one
        collection form a section, titled from ``guidance`` if given (else the collection id).
        """
        titles = (
            {cid: collection_text(c, language)[0] for cid, c in guidance.collections.items()}
            if guidance
            else {}
        )
        sections = _group(steps, titles)
        return cls(topic, title, context, sections, language)


def _group(steps: Iterable[Step], titles: Mapping[str, str]) -> tuple[Section, ...]:
    sections: list[Section] = []
    for step in steps:
        if sections and sections[-1].collection == step.collection:
            last = sections[-1]
            sections[-1] = Section(last.collection, last.title, (*last.steps, step))
        else:
            title = titles.get(step.collection, step.collection)
            sections.append(Section(step.collection, title, (step,)))
    return tuple(sections)


def _sections(
    guidance: Guidance,
    picks: Iterable[tuple[Item, int | None]],
    filler: Filler,
    context: Context,
    language: str,
) -> tuple[Section, ...]:
    """Sections of the picked items' steps, one per collection, in order of first appearance."""
    by_collection: dict[str, list[Step]] = {}
    for item, limit in picks:
        text = item_text(item, language)
        # Steps shown in English (not translated yet) are filled as English.
        steps_language = "en" if "checklist" in text.untranslated else language
        steps = text.checklist if limit is None else text.checklist[:limit]
        by_collection.setdefault(item.collection, []).extend(
            Step(filler.fill(step, context, steps_language), item.id, item.collection)
            for step in steps
        )
    return tuple(
        Section(cid, collection_text(guidance.collections[cid], language)[0], tuple(steps))
        for cid, steps in by_collection.items()
    )


@lru_cache(maxsize=1)
def _default_filler() -> SlotFiller:
    return SlotFiller()


def checklist_topics(guidance: Guidance) -> list[str]:
    """Every valid topic: collection ids, then ``readiness``, then item ids."""
    return [*guidance.collections, READINESS, *guidance.items]


def topic_titles(guidance: Guidance) -> dict[str, str]:
    """Every valid topic and its title, in :func:`checklist_topics` order."""
    return {
        **{cid: c.title for cid, c in guidance.collections.items()},
        READINESS: READINESS_TITLE,
        **{iid: item.title for iid, item in guidance.items.items()},
    }


def build_checklist(
    guidance: Guidance,
    topic: str,
    context: Context | Mapping[str, Any] | None = None,
    filler: Filler | None = None,
    language: str = "en",
) -> Checklist:
    """The checklist for ``topic``: a collection id, an item id or ``readiness``, in
    ``language``.

    Ids and titles are matched up to case and spacing (``Success factors``). Raises
    :class:`UnknownTopic` (a ``ValueError``) for anything else.
    """
    ctx = Context.of(context)
    fill = filler or _default_filler()
    key = topic.strip()
    if key not in guidance.collections and key not in guidance.items:
        key = resolve(key, topic_titles(guidance)) or key
    if key in guidance.collections:
        picks = [(item, None) for item in guidance.items_in(key)]
        title = collection_text(guidance.collections[key], language)[0]
    elif key in guidance.items:
        picks = [(guidance.items[key], None)]
        title = item_text(guidance.items[key], language).title
    elif key.lower() == READINESS:
        key = READINESS
        picks = [(guidance.items[i], n) for i, n in READINESS_ITEMS if i in guidance.items]
        title = i18n.translate(language, READINESS_TITLE)
    else:
        raise UnknownTopic(topic, checklist_topics(guidance), topic_titles(guidance))
    return Checklist(key, title, ctx, _sections(guidance, picks, fill, ctx, language), language)


def checklist_from_result(
    guidance: Guidance,
    result: Result,
    context: Context | Mapping[str, Any] | None = None,
    filler: Filler | None = None,
    language: str = "en",
) -> Checklist:
    """A checklist for an answered question: the top match's steps, plus those of close
    runners-up (at least :data:`RUNNER_UP_RATIO` of the top match's ranker probability), at
    most :data:`ANSWER_ITEMS` items. Titled after the top match.

    Raises ``ValueError`` when the result has no answer.
    """
    if not result.answered or not result.matches:
        raise ValueError("this question has no answer to turn into a checklist")
    ctx = Context.of(context) if context is not None else result.context
    top = result.matches[0]
    floor = top.score * RUNNER_UP_RATIO
    chosen = [top] + [m for m in result.matches[1:] if m.score >= floor]
    picks = [(guidance.items[m.id], None) for m in chosen[:ANSWER_ITEMS] if m.id in guidance.items]
    # Titled after the guidance, not the question: checklists are kept as a record, and
    # question text must not outlive the retention period.
    item = guidance.items.get(top.id)
    title = item_text(item, language).title if item is not None else top.title
    sections = _sections(guidance, picks, filler or _default_filler(), ctx, language)
    return Checklist(top.id, title, ctx, sections, language)
