"""View models: what each template shows, as plain data built from the guidance.

Pure: no Jinja2, no I/O and no decisions about what an answer is. The caller says which kind
of answer to show (see :data:`AnswerKind`); a view only gathers what that kind displays.
Guidance advice and checklist steps are filled with the context by the sandboxed slot filler.

Every view is built in one language: guidance text in that language where it is translated
(English where not, with the fields named in ``untranslated``), the quote always verbatim
with its unofficial translation beside it, and the ``language`` for the templates.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pact_advisor.engine.text import fold
from pact_advisor.knowledge import Guidance, Item, SlotFiller, context_values, names
from pact_advisor.knowledge.lookup import resolve, suggest
from pact_advisor.knowledge.translations import ItemText, collection_text, item_text
from pact_advisor.render.filters import truncate_sentence
from pact_advisor.render.recent import Recent
from pact_advisor.render.workplan import blank_state, progress

if TYPE_CHECKING:
    from pact_advisor.checklists import Checklist
    from pact_advisor.engine import Match, Result

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

    def __init__(self, filler: SlotFiller, steps: Sequence[str], context: Any, language: str):
        self._filler, self._steps, self._context = filler, steps, context
        self._language = language

    @functools.cached_property
    def _filled(self) -> list[str]:
        return [self._filler.fill(step, self._context, self._language) for step in self._steps]

    def __getitem__(self, index):  # type: ignore[override]
        return self._filled[index]

    def __len__(self) -> int:
        return len(self._steps)


def given(context: Any, language: str = "en") -> dict[str, str]:
    """Only the context values the user gave, for "For: Morocco (partner)" lines, with
    country and sector names in ``language``."""
    return {k: names.shown(k, v, language) for k, v in context_values(context).items() if v}


class Views:
    """Builds every view from one guidance version."""

    def __init__(self, guidance: Guidance, filler: SlotFiller | None = None):
        self.guidance = guidance
        self.filler = filler or SlotFiller()
        self._markers = {
            lang: frozenset(fold(w) for w in words)
            for lang, words in guidance.rules.languages.items()
        }
        self._own_examples: dict[tuple[str, str], list[str]] = {}
        # What an item shows in one language apart from its filled advice and steps, and its
        # brief, built on first use: at most one of each per item and language.
        self._texts: dict[tuple[str, str], tuple[ItemText, dict[str, Any]]] = {}
        self._brief_of: dict[tuple[str, str], dict[str, Any]] = {}
        # By context: the advice filled for it, and what it names ("For: Morocco (partner)").
        self._filled: Recent[str] = Recent()
        self._given: Recent[dict[str, str]] = Recent()

    def collection_title(self, collection_id: str, language: str = "en") -> str:
        collection = self.guidance.collections.get(collection_id)
        return collection_text(collection, language)[0] if collection else collection_id

    def _written_in(self, question: str, language: str) -> bool:
        """Clearly in ``language``: more of its function words than of any other's, by two
        ("MIEUX+" is also a French word, so one is not enough)."""
        words = fold(question).split()
        counts = {
            lang: sum(map(markers.__contains__, words)) for lang, markers in self._markers.items()
        }
        own = counts.get(language, 0)
        return all(own >= n + 2 for lang, n in counts.items() if lang != language)

    def _examples(self, item: Item, language: str) -> list[str]:
        """The item's example questions written in ``language`` (all of them in English)."""
        if language == "en":
            return list(item.examples)
        key = (item.id, language)
        own = self._own_examples.get(key)
        if own is None:  # read once per item and language: folding every example is slow
            own = [q for q in item.examples if self._written_in(q, language)]
            self._own_examples[key] = own
        return list(own)

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
    def _source(item: Item, language: str = "en") -> dict[str, Any]:
        s = item.source
        return {
            "programme": s.programme,
            "evidence": item_text(item, language).evidence,
            "year": s.year,
            "year_shown": bool(s.year) and str(s.year) not in (s.evidence or ""),
        }

    def brief(self, item_id: str, language: str = "en") -> dict[str, Any]:
        item = self.item_of(item_id)
        return dict(self._brief(item, language))

    def _brief(self, item: Item, language: str) -> dict[str, Any]:
        """The item's id, title, summary and source in ``language`` (shared: read only)."""
        key = (item.id, language)
        found = self._brief_of.get(key)
        if found is None:
            text = item_text(item, language)
            found = {
                "id": item.id,
                "title": text.title,
                "summary": text.summary,
                "source": self._source(item, language),
            }
            self._brief_of[key] = found
        return found

    def _briefs(self, item_ids: Sequence[str], language: str) -> list[dict[str, Any]]:
        items = self.guidance.items
        return [dict(self._brief(items[i], language)) for i in item_ids if i in items]

    def _programme(self, item: Item, language: str) -> dict[str, Any] | None:
        if item.collection != "programmes":
            return None
        name = item.source.programme
        collections = [
            {
                "id": c.id,
                "title": collection_text(c, language)[0],
                "count": len(self.guidance.items_in(c.id)),
            }
            for c in self.guidance.collections.values()
            if c.programme == name and c.id != "programmes"
        ]
        return {"name": name, "collections": collections}

    def _item(self, item: Item, context: Any, language: str) -> dict[str, Any]:
        text, shown = self._shown(item, language)
        # A field shown in English is filled as English.
        advice_language = "en" if "advice" in text.untranslated else language
        steps_language = "en" if "checklist" in text.untranslated else language
        view = dict(shown)
        view["advice"] = self._filled.get(
            (item.id, advice_language, context),
            lambda: self.filler.fill(text.advice, context, advice_language),
        )
        view["steps"] = _FilledSteps(self.filler, text.checklist, context, steps_language)
        return view

    def _shown(self, item: Item, language: str) -> tuple[ItemText, dict[str, Any]]:
        """The item's text in ``language``, and all it shows but its advice and steps (which
        the context fills): built once per item and language, shared, read only."""
        key = (item.id, language)
        found = self._texts.get(key)
        if found is None:
            text = item_text(item, language)
            shown = {
                "id": item.id,
                "title": text.title,
                "summary": text.summary,
                "advice": None,
                "steps": None,
                "quote": item.quote,
                "passages": list(item.quote_passages) or [item.quote],
                "quote_translation": text.quote_translation,
                "untranslated": list(text.untranslated),
                "source": self._source(item, language),
                "collection": {
                    "id": item.collection,
                    "title": self.collection_title(item.collection, language),
                },
                "related": self._briefs(item.related, language),
                "keywords": list(item.keywords),
                "examples": self._examples(item, language),
                "programme": self._programme(item, language),
            }
            found = self._texts[key] = (text, shown)
        return found

    def item(
        self, item_id: str, context: Any = None, language: str = "en", *, internal: bool = True
    ) -> View:
        """Everything about one item; raises :class:`UnknownItem` for an unknown id. Without
        ``internal``, the fields that serve matching (keywords, example questions) are left
        out: what a channel's members see."""
        view = self._item(self.item_of(item_id.strip()), context, language)
        return View(
            "item",
            {
                "item": view,
                "context": given(context, language),
                "version": self.guidance.version,
                "language": language,
                "internal": internal,
            },
        )

    def related(self, item_id: str, language: str = "en") -> View:
        """An item and the items related to it; raises :class:`UnknownItem` for an unknown id."""
        item = self.item_of(item_id.strip())
        return View(
            "related",
            {
                "item": self.brief(item.id, language),
                "related": self._briefs(item.related, language),
                "language": language,
            },
        )

    # -- answers ------------------------------------------------------------------------------

    def answer(
        self,
        kind: AnswerKind,
        result: Result,
        checklist: Checklist | None = None,
        detail: bool = False,
        language: str = "en",
        context_note: str | None = None,
    ) -> View:
        """The view of ``result`` shown as ``kind`` (a ``checklist`` answer shows ``checklist``),
        in ``language``. ``context_note`` (``channel`` or ``thread``) says the context is the
        one the channel or thread set."""
        if kind == "help":
            return self.help(language)
        if kind == "topics":
            return self.topics(language)
        if kind == "thanks":
            return View("thanks", {"version": result.guidance_version, "language": language})
        if kind == "checklist":
            if checklist is None:
                raise ValueError("a checklist answer needs its checklist")
            return self.checklist(checklist)
        named = (result.context, language)
        base: dict[str, Any] = {
            # The answer repeats the question only as a reminder; pasted pages stay out.
            "question": truncate_sentence(result.question, QUESTION_SHOWN),
            "context": dict(self._given.get(named, lambda: given(*named))),
            "version": result.guidance_version,
            "confidence": result.confidence,
            "detail": detail,
            "language": language,
            "context_note": context_note,
        }
        if kind == "not_covered":
            base.update(
                reason=result.reason,
                suggestions=self._briefs([m.id for m in result.suggestions], language),
            )
        elif kind == "ambiguous":
            base.update(candidates=[self.brief(m.id, language) for m in result.matches[:2]])
        else:
            top = self._match(result.matches[0], result.context, language)
            base.update(top=top, also=self._also(result, top, language))
        return View(kind, base)

    def answer_part(
        self,
        part: Literal["answer_more", "why"],
        result: Result,
        language: str = "en",
        context_note: str | None = None,
    ) -> View:
        """The rest of an answer (``answer_more``) or why its top match was chosen (``why``),
        from the same data as the answer."""
        view = self.answer("answer", result, language=language, context_note=context_note)
        return View(part, view.variables)

    def _match(self, match: Match, context: Any, language: str) -> dict[str, Any]:
        view = self._item(self.item_of(match.id), context, language)
        view.update(score=match.score, why=list(match.why))
        return view

    def _also(self, result: Result, top: dict[str, Any], language: str) -> list[dict[str, Any]]:
        floor = ALSO_RELEVANT_FLOOR
        related = {r["id"] for r in top["related"]}
        return [
            self.brief(m.id, language)
            for m in result.matches[1:]
            if m.score >= floor and m.id not in related and m.id in self.guidance.items
        ][:ALSO_RELEVANT]

    # -- checklists, topics, help ---------------------------------------------------------------

    def checklist(
        self,
        checklist: Checklist,
        ticks: Mapping[int, str] | None = None,
        states: Mapping[int, Mapping[str, Any]] | None = None,
    ) -> View:
        """``ticks`` maps a step index (0-based, as in ``checklist.steps``) to the display name
        of whoever ticked it; each step's ``ticked_by`` is that name or ``None``. ``states``
        (from :func:`~pact_advisor.render.workplan.step_states`) gives each step's full state
        as a work plan instead: owners, due date, not applicable, note."""
        ticks = ticks or {}
        states = states or {}
        number = 0
        sections = []
        for section in checklist.sections:
            steps = []
            for step in section.steps:
                name = ticks.get(number)
                state = states.get(number) or blank_state(None if name is None else str(name))
                number += 1
                steps.append(
                    {"number": number, "text": step.text, "item_id": step.item_id, **state}
                )
            sections.append(
                {"collection": section.collection, "title": section.title, "steps": steps}
            )
        language = checklist.language
        items = [
            {
                "id": i,
                "title": item_text(self.guidance.items[i], language).title
                if i in self.guidance.items
                else i,
            }
            for i in checklist.item_ids
        ]
        untranslated = any(
            "checklist" in item_text(self.guidance.items[i], language).untranslated
            for i in checklist.item_ids
            if i in self.guidance.items
        )
        return View(
            "checklist",
            {
                "topic": checklist.topic,
                "title": checklist.title,
                "context": given(checklist.context, language),
                "sections": sections,
                "items": items,
                "total": number,
                **progress([s for sec in sections for s in sec["steps"]], number),
                "untranslated": untranslated,
                "language": language,
            },
        )

    def topics(self, language: str = "en") -> View:
        """Every collection with its item count and item titles."""
        collections = []
        for c in self.guidance.collections.values():
            title, description = collection_text(c, language)
            members = [
                {"id": i.id, "title": item_text(i, language).title}
                for i in self.guidance.items_in(c.id)
            ]
            collections.append(
                {
                    "id": c.id,
                    "title": title,
                    "description": description,
                    "count": len(members),
                    "members": members,
                }
            )
        return View(
            "topics",
            {
                "collections": collections,
                "total": len(self.guidance.items),
                "version": self.guidance.version,
                "language": language,
            },
        )

    def help(self, language: str = "en") -> View:
        """What Pact Advisor does, with one example question from each collection (in
        ``language`` when the collection's first item has one)."""
        examples = []
        for cid in self.guidance.collections:
            items = self.guidance.items_in(cid)
            if items:
                own = self._examples(items[0], language)
                examples.append(own[0] if own else items[0].examples[0])
        return View(
            "help", {"examples": examples, "version": self.guidance.version, "language": language}
        )
