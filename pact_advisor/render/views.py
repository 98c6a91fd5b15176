"""View models: what each template shows, as plain data built from the guidance.

Pure: no Jinja2, no I/O and no decisions about what an answer is. The caller says which kind
of answer to show (see :data:`AnswerKind`); a view only gathers what that kind displays.
Guidance advice and checklist steps are filled with the context by the sandboxed slot filler.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from pact_advisor.knowledge import Guidance, Item, SlotFiller, context_values
from pact_advisor.knowledge.lookup import resolve, suggest
from pact_advisor.render.filters import truncate_sentence

if TYPE_CHECKING:
    from pact_advisor.checklists import Checklist
    from pact_advisor.engine import Match, Result
    from pact_advisor.store import Report

#: The kinds of answer there are, each shown by the template of the same name.
AnswerKind = Literal[
    "answer", "programme", "ambiguous", "not_covered", "checklist", "topics", "help", "thanks"
]

#: How many of the next matches an answer lists as "also relevant".
ALSO_RELEVANT = 3
#: Characters of the question an answer repeats.
QUESTION_SHOWN = 300
#: A next match is "also relevant" from this ranker probability up.
ALSO_RELEVANT_FLOOR = 0.1


class UnknownItem(LookupError):
    """No item has this id; ``suggestions`` lists close ids (by id, title or words;
    ``known`` is the ids, or a mapping of id to title)."""

    def __init__(self, item_id: str, known: Sequence[str] | Mapping[str, str]):
        self.item_id = item_id
        names = known if isinstance(known, Mapping) else {k: k for k in known}
        self.suggestions = tuple(suggest(item_id, names, n=3))
        hint = f" Did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown item {item_id!r}.{hint}")


@dataclass(frozen=True)
class View:
    """One template's data: ``name`` is the template without its target suffix."""

    name: str
    variables: Mapping[str, Any]


class _FilledSteps(Sequence[str]):
    """An item's checklist steps, filled with the context only if a template shows them
    (an answer shows them only in detail)."""

    def __init__(self, filler: SlotFiller, steps: Sequence[str], context: Any):
        self._filler, self._steps, self._context = filler, steps, context

    @functools.cached_property
    def _filled(self) -> list[str]:
        return [self._filler.fill(step, self._context) for step in self._steps]

    def __getitem__(self, index):  # type: ignore[override]
        return self._filled[index]

    def __len__(self) -> int:
        return len(self._steps)


def given(context: Any) -> dict[str, str]:
    """Only the context values the user gave, for "For: Morocco (partner)" lines."""
    return {k: v for k, v in context_values(context).items() if v}


class Views:
    """Builds every view from one guidance version."""

    def __init__(self, guidance: Guidance, filler: SlotFiller | None = None):
        self.guidance = guidance
        self.filler = filler or SlotFiller()

    # -- items --------------------------------------------------------------------------------

    def item_of(self, item_id: str) -> Item:
        """The item ``item_id`` (up to case and spacing, or its title); raises
        :class:`UnknownItem` naming close ids."""
        items = self.guidance.items
        if item_id in items:
            return items[item_id]
        titles = {iid: item.title for iid, item in items.items()}
        found = resolve(item_id, titles)
        if found is None:
            raise UnknownItem(item_id, titles)
        return items[found]

    @staticmethod
    def _source(item: Item) -> dict[str, Any]:
        s = item.source
        return {
            "programme": s.programme,
            "evidence": s.evidence,
            "year": s.year,
            "year_shown": bool(s.year) and str(s.year) not in (s.evidence or ""),
        }

    def brief(self, item_id: str) -> dict[str, Any]:
        item = self.item_of(item_id)
        return {
            "id": item.id,
            "title": item.title,
            "summary": item.summary,
            "source": self._source(item),
        }

    def _briefs(self, item_ids: Sequence[str]) -> list[dict[str, Any]]:
        return [self.brief(i) for i in item_ids if i in self.guidance.items]

    def _programme(self, item: Item) -> dict[str, Any] | None:
        if item.collection != "programmes":
            return None
        name = item.source.programme
        collections = [
            {"id": c.id, "title": c.title, "count": len(self.guidance.items_in(c.id))}
            for c in self.guidance.collections.values()
            if c.programme == name and c.id != "programmes"
        ]
        return {"name": name, "collections": collections}

    def _item(self, item: Item, context: Any) -> dict[str, Any]:
        collection = self.guidance.collections.get(item.collection)
        return {
            "id": item.id,
            "title": item.title,
            "summary": item.summary,
            "advice": self.filler.fill(item.advice, context),
            "steps": _FilledSteps(self.filler, item.checklist, context),
            "quote": item.quote,
            "passages": list(item.quote_passages) or [item.quote],
            "source": self._source(item),
            "collection": {
                "id": item.collection,
                "title": collection.title if collection else item.collection,
            },
            "related": self._briefs(item.related),
            "keywords": list(item.keywords),
            "examples": list(item.examples),
            "programme": self._programme(item),
        }

    def item(self, item_id: str, context: Any = None) -> View:
        """Everything about one item; raises :class:`UnknownItem` for an unknown id."""
        view = self._item(self.item_of(item_id.strip()), context)
        return View(
            "item", {"item": view, "context": given(context), "version": self.guidance.version}
        )

    def related(self, item_id: str) -> View:
        """An item and the items related to it; raises :class:`UnknownItem` for an unknown id."""
        item = self.item_of(item_id.strip())
        return View("related", {"item": self.brief(item.id), "related": self._briefs(item.related)})

    # -- answers ------------------------------------------------------------------------------

    def answer(
        self,
        kind: AnswerKind,
        result: Result,
        checklist: Checklist | None = None,
        detail: bool = False,
    ) -> View:
        """The view of ``result`` shown as ``kind`` (a ``checklist`` answer shows ``checklist``)."""
        if kind == "help":
            return self.help()
        if kind == "topics":
            return self.topics()
        if kind == "thanks":
            return View("thanks", {"version": result.guidance_version})
        if kind == "checklist":
            if checklist is None:
                raise ValueError("a checklist answer needs its checklist")
            return self.checklist(checklist)
        base: dict[str, Any] = {
            # The answer repeats the question only as a reminder; pasted pages stay out.
            "question": truncate_sentence(result.question, QUESTION_SHOWN),
            "context": given(result.context),
            "version": result.guidance_version,
            "confidence": result.confidence,
            "detail": detail,
        }
        if kind == "not_covered":
            base.update(
                reason=result.reason,
                suggestions=self._briefs([m.id for m in result.suggestions]),
            )
        elif kind == "ambiguous":
            base.update(candidates=[self.brief(m.id) for m in result.matches[:2]])
        else:
            top = self._match(result.matches[0], result.context)
            base.update(top=top, also=self._also(result, top))
        return View(kind, base)

    def _match(self, match: Match, context: Any) -> dict[str, Any]:
        view = self._item(self.item_of(match.id), context)
        view.update(score=match.score, why=list(match.why))
        return view

    def _also(self, result: Result, top: dict[str, Any]) -> list[dict[str, Any]]:
        floor = ALSO_RELEVANT_FLOOR
        related = {r["id"] for r in top["related"]}
        return [
            self.brief(m.id)
            for m in result.matches[1:]
            if m.score >= floor and m.id not in related and m.id in self.guidance.items
        ][:ALSO_RELEVANT]

    # -- checklists, topics, help ---------------------------------------------------------------

    def checklist(self, checklist: Checklist, ticks: Mapping[int, str] | None = None) -> View:
        """``ticks`` maps a step index (0-based, as in ``checklist.steps``) to the display name
        of whoever ticked it; each step's ``ticked_by`` is that name or ``None``."""
        ticks = ticks or {}
        number = 0
        sections = []
        for section in checklist.sections:
            steps = []
            for step in section.steps:
                name = ticks.get(number)
                number += 1
                steps.append(
                    {
                        "number": number,
                        "text": step.text,
                        "item_id": step.item_id,
                        "ticked_by": None if name is None else str(name),
                    }
                )
            sections.append(
                {"collection": section.collection, "title": section.title, "steps": steps}
            )
        items = [
            {"id": i, "title": self.guidance.items[i].title if i in self.guidance.items else i}
            for i in checklist.item_ids
        ]
        return View(
            "checklist",
            {
                "topic": checklist.topic,
                "title": checklist.title,
                "context": given(checklist.context),
                "sections": sections,
                "items": items,
                "total": number,
                "done": sum(1 for i in ticks if 0 <= i < number),
            },
        )

    def topics(self) -> View:
        """Every collection with its item count and item titles."""
        collections = [
            {
                "id": c.id,
                "title": c.title,
                "description": c.description,
                "count": len(self.guidance.items_in(c.id)),
                "members": [{"id": i.id, "title": i.title} for i in self.guidance.items_in(c.id)],
            }
            for c in self.guidance.collections.values()
        ]
        return View(
            "topics",
            {
                "collections": collections,
                "total": len(self.guidance.items),
                "version": self.guidance.version,
            },
        )

    def help(self) -> View:
        """What Pact Advisor does, with one example question from each collection."""
        examples = [
            items[0].examples[0]
            for cid in self.guidance.collections
            if (items := self.guidance.items_in(cid))
        ]
        return View("help", {"examples": examples, "version": self.guidance.version})

    # -- the Discord bot's reports ------------------------------------------------------------

    @staticmethod
    def report(report: Report, since: datetime) -> View:
        """Unanswered questions, answers marked not helpful since ``since``, and vote counts
        (items with the most "not helpful" first)."""

        def when(epoch: float) -> datetime:
            return datetime.fromtimestamp(epoch, UTC)

        votes = sorted(report.item_counts.items(), key=lambda kv: (-kv[1].not_helpful, kv[0]))
        return View(
            "report",
            {
                "since": since,
                "unanswered": [
                    {"when": when(q.created_at), "question": q.question} for q in report.unanswered
                ],
                "not_helpful": [
                    {"when": when(f.created_at), "item_id": f.item_id, "question": f.question}
                    for f in report.not_helpful
                ],
                "votes": [
                    {"item_id": item, "helpful": c.helpful, "not_helpful": c.not_helpful}
                    for item, c in votes
                ],
            },
        )
