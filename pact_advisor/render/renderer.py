"""The renderer: results, checklists, items and topics as text (terminal or Markdown) or as
Discord embed parts, and the Discord bot's reports and short replies, all worded by the
Jinja2 templates in ``prompts/``.

What a user typed (question, partner, sector, programme, names of people who ticked a step)
is only ever passed to templates as data and escaped for the target; guidance advice and
checklist steps are filled in a sandbox (:mod:`pact_advisor.knowledge.fill`).
"""

from __future__ import annotations

import difflib
import functools
import logging
import math
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import jinja2

from pact_advisor import checklists
from pact_advisor.knowledge import Guidance, Item, SlotFiller, context_values
from pact_advisor.render.embeds import LIMITS, DiscordMessage, EmbedSpec, FieldSpec, fit
from pact_advisor.render.filters import discord_escape, md_escape, plain, truncate_sentence
from pact_advisor.resources import prompts_dir as default_prompts_dir

if TYPE_CHECKING:
    from pact_advisor.checklists import Checklist
    from pact_advisor.engine import Match, Result
    from pact_advisor.store import Report

log = logging.getLogger(__name__)

Target = Literal["terminal", "markdown"]
ChecklistFormat = Literal["text", "md"]

#: Embed colours by kind of message.
COLOURS: Mapping[str, int] = {
    "answer": 0x2B6CB0,
    "programme": 0x6B46C1,
    "ambiguous": 0xD69E2E,
    "not_covered": 0x718096,
    "checklist": 0x2F855A,
    "item": 0x2C7A7B,
    "topics": 0x4A5568,
    "help": 0x3182CE,
    "thanks": 0x3182CE,
    "report": 0x4A5568,
    "reload_failed": 0xC53030,
}

#: How many of the next matches an answer lists as "also relevant".
ALSO_RELEVANT = 3
#: Characters of the question an answer repeats.
QUESTION_SHOWN = 300
#: A next match is "also relevant" from this share of the answer threshold up.
ALSO_RELEVANT_FLOOR = 0.6

#: A failed reload lists at most this many problems, each trimmed to ``PROBLEM_CHARS``,
#: within ``PROBLEMS_BUDGET`` characters; the rest are counted.
MAX_PROBLEMS = 30
PROBLEM_CHARS = 300
PROBLEMS_BUDGET = 3800

_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")

_TEXT_TARGETS = {
    "terminal": "terminal",
    "text": "terminal",
    "markdown": "markdown",
    "md": "markdown",
}
_CHECKLIST_FORMATS = {
    "text": "text",
    "txt": "text",
    "terminal": "text",
    "md": "md",
    "markdown": "md",
}


class UnknownItem(LookupError):
    """No item has this id; ``suggestions`` lists close ids."""

    def __init__(self, item_id: str, known: list[str]):
        self.item_id = item_id
        self.suggestions = tuple(difflib.get_close_matches(item_id, known, n=3, cutoff=0.5))
        hint = f" Did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown item {item_id!r}.{hint}")


@jinja2.pass_context
def _esc(ctx: jinja2.runtime.Context, value: object) -> str:
    """Escape data for the text target named by the template variable ``target``."""
    return md_escape(value) if ctx.get("target") == "markdown" else plain(value)


def _tidy(text: str) -> str:
    return _BLANK_LINES.sub("\n\n", _TRAILING_SPACE.sub("\n", text)).strip() + "\n"


class _FilledSteps(Sequence[str]):
    """An item's checklist steps, filled with the context only if a template shows them
    (an answer shows them only in detail)."""

    def __init__(self, renderer: Renderer, steps: Sequence[str], context: Any):
        self._renderer, self._steps, self._context = renderer, steps, context

    @functools.cached_property
    def _filled(self) -> list[str]:
        return [self._renderer.fill(step, self._context) for step in self._steps]

    def __getitem__(self, index):  # type: ignore[override]
        return self._filled[index]

    def __len__(self) -> int:
        return len(self._steps)


class Renderer:
    """Renders everything a user sees. Build once at start-up; rendering does no I/O.

    ``prompts_dir`` defaults to the bundled ``prompts/``; the templates are loaded on first
    use and then cached by the environment.
    """

    def __init__(
        self,
        guidance: Guidance,
        prompts_dir: str | Path | None = None,
        *,
        bytecode_cache_dir: str | Path | None = None,
    ):
        """``bytecode_cache_dir`` keeps compiled templates between runs (a faster CLI start)."""
        self.guidance = guidance
        self.prompts_dir = Path(prompts_dir) if prompts_dir else default_prompts_dir()
        bytecode_cache = None
        if bytecode_cache_dir is not None:
            Path(bytecode_cache_dir).mkdir(parents=True, exist_ok=True)
            bytecode_cache = jinja2.FileSystemBytecodeCache(str(bytecode_cache_dir))
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.prompts_dir),
            bytecode_cache=bytecode_cache,
            # Templates change only through /advisor reload, which builds a new Renderer:
            # no need to stat every template file on every render.
            auto_reload=False,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=False,
            keep_trailing_newline=False,
            extensions=["jinja2.ext.do"],
        )
        self.env.filters.update(
            discord_escape=discord_escape,
            md_escape=md_escape,
            plain=plain,
            esc=_esc,
            truncate_sentence=truncate_sentence,
        )
        self._filler = SlotFiller()

    # -- filling and views ------------------------------------------------------------------

    def fill(self, text: str, context: Any = None) -> str:
        """A guidance advice or step string with the context slots filled (sandboxed)."""
        return self._filler.fill(text, context)

    def _item(self, item_id: str) -> Item:
        try:
            return self.guidance.items[item_id]
        except KeyError:
            raise UnknownItem(item_id, list(self.guidance.items)) from None

    def _source_view(self, item: Item) -> dict[str, Any]:
        s = item.source
        return {
            "programme": s.programme,
            "evidence": s.evidence,
            "year": s.year,
            "year_shown": bool(s.year) and str(s.year) not in (s.evidence or ""),
        }

    def _brief(self, item_id: str) -> dict[str, Any]:
        item = self._item(item_id)
        return {
            "id": item.id,
            "title": item.title,
            "summary": item.summary,
            "source": self._source_view(item),
        }

    def _programme_view(self, item: Item) -> dict[str, Any] | None:
        if item.collection != "programmes":
            return None
        name = item.source.programme
        collections = [
            {"id": c.id, "title": c.title, "count": len(self.guidance.items_in(c.id))}
            for c in self.guidance.collections.values()
            if c.programme == name and c.id != "programmes"
        ]
        return {"name": name, "collections": collections}

    def _item_view(self, item: Item, context: Any) -> dict[str, Any]:
        collection = self.guidance.collections.get(item.collection)
        return {
            "id": item.id,
            "title": item.title,
            "summary": item.summary,
            "advice": self.fill(item.advice, context),
            "steps": _FilledSteps(self, item.checklist, context),
            "quote": item.quote,
            "passages": list(item.quote_passages) or [item.quote],
            "source": self._source_view(item),
            "collection": {
                "id": item.collection,
                "title": collection.title if collection else item.collection,
            },
            "related": [self._brief(r) for r in item.related if r in self.guidance.items],
            "keywords": list(item.keywords),
            "examples": list(item.examples),
            "programme": self._programme_view(item),
        }

    def _match_view(self, match: Match, context: Any) -> dict[str, Any]:
        view = self._item_view(self._item(match.id), context)
        view.update(score=match.score, why=list(match.why))
        return view

    @staticmethod
    def _given(context: Any) -> dict[str, str]:
        """Only the context values the user gave, for "For: Morocco (partner)" lines."""
        return {k: v for k, v in context_values(context).items() if v}

    def _also(self, result: Result, top: dict[str, Any]) -> list[dict[str, Any]]:
        floor = self.guidance.rules.thresholds.answer * ALSO_RELEVANT_FLOOR
        related = {r["id"] for r in top["related"]}
        return [
            self._brief(m.id)
            for m in result.matches[1:]
            if m.score >= floor and m.id not in related and m.id in self.guidance.items
        ][:ALSO_RELEVANT]

    def _result_view(self, result: Result, detail: bool) -> tuple[str, dict[str, Any]]:
        """The template name (without target suffix) and its variables for ``result``."""
        base: dict[str, Any] = {
            # The answer repeats the question only as a reminder; pasted pages stay out.
            "question": truncate_sentence(result.question, QUESTION_SHOWN),
            "context": self._given(result.context),
            "version": result.guidance_version,
            "confidence": result.confidence,
            "detail": detail or result.followup == "more",
        }
        if not result.answered or not result.matches:
            base.update(
                reason=result.reason,
                suggestions=[
                    self._brief(m.id) for m in result.suggestions if m.id in self.guidance.items
                ],
            )
            return "not_covered", base
        if result.ambiguous and len(result.matches) > 1 and result.followup != "more":
            base.update(candidates=[self._brief(m.id) for m in result.matches[:2]])
            return "ambiguous", base
        top = self._match_view(result.matches[0], result.context)
        base.update(top=top, also=self._also(result, top))
        return ("programme" if top["programme"] else "answer"), base

    # -- text targets -----------------------------------------------------------------------

    def _text(self, name: str, target: str, variables: Mapping[str, Any]) -> str:
        try:
            resolved = _TEXT_TARGETS[target]
        except KeyError:
            raise ValueError(f"unknown target {target!r}: use terminal or markdown") from None
        template = self.env.get_template(f"{name}.md.j2")
        return _tidy(template.render({**variables, "target": resolved}))

    def render_result(
        self, result: Result, target: Target = "terminal", detail: bool = False
    ) -> str:
        """A result as text: help, thanks, topics, a checklist, an answer, a programme card,
        two candidates to choose from, or "not covered" with suggestions."""
        if result.intent == "help":
            return self.render_help(target)
        if result.intent == "thanks":
            return self._text("thanks", target, {})
        if result.intent == "topics":
            return self.render_topics(target)
        if result.intent == "checklist" and result.answered and result.matches:
            checklist = checklists.checklist_from_result(self.guidance, result, filler=self)
            fmt = "md" if _TEXT_TARGETS.get(target) == "markdown" else "text"
            return self.render_checklist(checklist, fmt)
        name, variables = self._result_view(result, detail)
        return self._text(name, target, variables)

    def _checklist_view(
        self, checklist: Checklist, ticks: Mapping[int, str] | None = None
    ) -> dict[str, Any]:
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
        return {
            "topic": checklist.topic,
            "title": checklist.title,
            "context": self._given(checklist.context),
            "sections": sections,
            "items": items,
            "total": number,
            "done": sum(1 for i in ticks if 0 <= i < number),
        }

    def render_checklist(
        self,
        checklist: Checklist,
        fmt: ChecklistFormat = "text",
        ticks: Mapping[int, str] | None = None,
    ) -> str:
        """A checklist as plain text (``text``) or a GitHub task list (``md``).

        With ``ticks`` (step index to display name, see :meth:`discord_checklist`) ticked
        steps are marked done with who ticked them (``- [x] step — ticked by Ana``).
        """
        try:
            resolved = _CHECKLIST_FORMATS[fmt]
        except KeyError:
            raise ValueError(f"unknown checklist format {fmt!r}: use text or md") from None
        target = "markdown" if resolved == "md" else "terminal"
        template = self.env.get_template(f"checklist.{'md' if resolved == 'md' else 'txt'}.j2")
        view = self._checklist_view(checklist, ticks)
        return _tidy(template.render({**view, "target": target}))

    def _topics_view(self) -> dict[str, Any]:
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
        return {
            "collections": collections,
            "total": len(self.guidance.items),
            "version": self.guidance.version,
        }

    def render_topics(self, target: Target = "terminal") -> str:
        """Every collection with its item count and item titles."""
        return self._text("topics", target, self._topics_view())

    def render_item(self, item_id: str, context: Any = None, target: Target = "terminal") -> str:
        """Everything about one item; raises :class:`UnknownItem` for an unknown id."""
        view = self._item_view(self._item(item_id.strip()), context)
        return self._text(
            "item",
            target,
            {"item": view, "context": self._given(context), "version": self.guidance.version},
        )

    def _help_view(self) -> dict[str, Any]:
        # One example question from each collection shows the range of the guidance.
        examples = [
            items[0].examples[0]
            for cid in self.guidance.collections
            if (items := self.guidance.items_in(cid))
        ]
        return {"examples": examples, "version": self.guidance.version}

    def render_help(self, target: Target = "terminal") -> str:
        """What Pact Advisor does, example questions, and the commands."""
        return self._text("help", target, self._help_view())

    # -- Discord ----------------------------------------------------------------------------

    def _discord(self, name: str, variables: Mapping[str, Any]) -> DiscordMessage:
        """Render ``<name>.discord.j2`` into a message and fit it into Discord's limits."""
        template = self.env.get_template(f"{name}.discord.j2")
        module = template.make_module(dict(variables))
        parts = {
            key: getattr(module, key, None)
            for key in ("content", "title", "description", "fields", "footer", "more", "url")
        }
        text = {
            k: _tidy(str(parts[k] or "")).strip()
            for k in ("content", "title", "description", "footer", "more")
        }
        fields = tuple(
            FieldSpec(
                _tidy(str(f["name"])).strip(),
                _tidy(str(f["value"])).strip(),
                bool(f.get("inline", False)),
            )
            for f in (parts["fields"] or ())
        )
        embeds: tuple[EmbedSpec, ...] = ()
        if text["title"] or text["description"] or fields:
            embeds = (
                EmbedSpec(
                    title=text["title"],
                    description=text["description"],
                    fields=fields,
                    footer=text["footer"],
                    url=str(parts["url"]) if parts["url"] else None,
                    colour=COLOURS.get(name, COLOURS["answer"]),
                ),
            )
        cont = str(self.env.get_template("_macros.discord.j2").module.cont())
        return fit(
            DiscordMessage(content=text["content"], embeds=embeds), more=text["more"], cont=cont
        )

    def discord_result(self, result: Result, detail: bool = False) -> DiscordMessage:
        """A result as a Discord message (see :meth:`render_result`)."""
        if result.intent == "help":
            return self.discord_help()
        if result.intent == "thanks":
            return self._discord("thanks", {"version": result.guidance_version})
        if result.intent == "topics":
            return self.discord_topics()
        if result.intent == "checklist" and result.answered and result.matches:
            checklist = checklists.checklist_from_result(self.guidance, result, filler=self)
            return self.discord_checklist(checklist)
        name, variables = self._result_view(result, detail)
        return self._discord(name, variables)

    @staticmethod
    def checklist_pages(checklist: Checklist, page_size: int = 25) -> int:
        """How many pages :meth:`discord_checklist` splits ``checklist`` into."""
        return max(1, math.ceil(len(checklist.steps) / max(1, page_size)))

    def discord_checklist(
        self,
        checklist: Checklist,
        ticks: Mapping[int, str] | None = None,
        page: int = 0,
        page_size: int = 25,
    ) -> DiscordMessage:
        """One page of a checklist with progress ("4/11 done") and who ticked which step.

        ``ticks`` maps a step index (0-based, as in ``checklist.steps``) to the display name
        of whoever ticked it. ``page`` is 0-based and clamped; page ``p`` shows steps
        ``p * page_size`` to ``(p + 1) * page_size - 1``.
        """
        page_size = max(1, page_size)
        pages = self.checklist_pages(checklist, page_size)
        page = min(max(0, page), pages - 1)
        start, stop = page * page_size, (page + 1) * page_size
        view = self._checklist_view(checklist, ticks)
        sections = []
        for section in view["sections"]:
            steps = [s for s in section["steps"] if start < s["number"] <= stop]
            if steps:
                sections.append({**section, "steps": steps})
        on_page = sum(len(s["steps"]) for s in sections)
        view.update(
            sections=sections,
            page=page,
            pages=pages,
            # Keep a full page within the 6000-character total.
            line_cap=max(60, min(400, 4200 // max(1, on_page))),
        )
        return self._discord("checklist", view)

    def discord_item(self, item_id: str, context: Any = None) -> DiscordMessage:
        """Everything about one item; raises :class:`UnknownItem` for an unknown id."""
        view = self._item_view(self._item(item_id.strip()), context)
        return self._discord(
            "item",
            {"item": view, "context": self._given(context), "version": self.guidance.version},
        )

    def discord_topics(self) -> DiscordMessage:
        """Every collection with its item count and item titles, one field each."""
        return self._discord("topics", self._topics_view())

    def discord_help(self) -> DiscordMessage:
        """What Pact Advisor does, example questions, and the commands."""
        return self._discord("help", self._help_view())

    def discord_related(self, item_id: str) -> DiscordMessage:
        """The reply to an answer's "Related" button (the buttons come with it);
        raises :class:`UnknownItem` for an unknown id."""
        item = self._item(item_id.strip())
        related = [self._brief(r) for r in item.related if r in self.guidance.items]
        return self._discord("related", {"item": self._brief(item.id), "related": related})

    def discord_report(self, report: Report, since: datetime) -> DiscordMessage:
        """``/advisor report``: unanswered questions, answers marked not helpful since
        ``since``, and vote counts (items with the most "not helpful" first)."""

        def when(epoch: float) -> datetime:
            return datetime.fromtimestamp(epoch, UTC)

        votes = sorted(report.item_counts.items(), key=lambda kv: (-kv[1].not_helpful, kv[0]))
        return self._discord(
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

    def discord_reload_problems(self, problems: Sequence[str], version: str) -> DiscordMessage:
        """A failed ``/advisor reload``: every problem that fits (each trimmed), then how many
        more there are; ``version`` is the guidance still served."""
        shown: list[str] = []
        used = 0
        for problem in problems[:MAX_PROBLEMS]:
            text = truncate_sentence(problem, PROBLEM_CHARS)
            size = len(discord_escape(text)) + 3  # "• " and the line break
            if used + size > PROBLEMS_BUDGET:
                break
            shown.append(text)
            used += size
        return self._discord(
            "reload_failed", {"problems": shown, "total": len(problems), "version": version}
        )

    def discord_text(self, name: str, /, **values: Any) -> str:
        """A short Discord text (a reply, a hint, a button label): the macro ``name`` of
        ``messages.discord.j2`` called with ``values``, within Discord's content limit."""
        module = self.env.get_template("messages.discord.j2").module
        macro = getattr(module, name, None)
        if not callable(macro):
            raise LookupError(f"messages.discord.j2 has no macro {name!r}")
        return truncate_sentence(_tidy(str(macro(**values))).strip(), LIMITS.content)
