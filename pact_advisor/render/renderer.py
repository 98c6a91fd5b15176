"""The renderer: everything a user sees, for one guidance version, by target.

It builds a view (:mod:`pact_advisor.render.views`) and renders it for the terminal or
Markdown (:mod:`pact_advisor.render.terminal`) or for Discord
(:mod:`pact_advisor.render.discord_target`), all over one Jinja2 environment
(:mod:`pact_advisor.render.environment`) and worded by the templates in ``prompts/``.

What a user typed (question, partner, sector, programme, names of people who ticked a step)
is only ever passed to templates as data and escaped for the target; guidance advice and
checklist steps are filled in a sandbox (:mod:`pact_advisor.knowledge.fill`). The renderer
decides nothing about an answer: it is told which kind of answer it shows, and in which
language (``en``, ``fr`` or ``es``); a checklist is in its own language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pact_advisor.i18n import speaking
from pact_advisor.knowledge import Guidance, SlotFiller
from pact_advisor.knowledge.review import as_of
from pact_advisor.render import workplan
from pact_advisor.render.discord_target import DiscordTarget, page_count
from pact_advisor.render.embeds import DiscordMessage
from pact_advisor.render.environment import environment
from pact_advisor.render.feedback import report_view
from pact_advisor.render.terminal import ChecklistFormat, Target, TerminalTarget, checklist_target
from pact_advisor.render.views import AnswerKind, View, Views
from pact_advisor.resources import prompts_dir as default_prompts_dir

if TYPE_CHECKING:
    from pact_advisor.checklists import Checklist
    from pact_advisor.engine import Result
    from pact_advisor.store import Event, Report, Run


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
        # Answers and exports say which review the guidance speaks as of.
        reviewed = as_of(guidance.items.values())
        self.env = environment(
            self.prompts_dir,
            bytecode_cache_dir,
            values={"as_of": reviewed.isoformat() if reviewed else None},
        )
        self.views = Views(guidance, SlotFiller())
        self.terminal = TerminalTarget(self.env)
        self.discord = DiscordTarget(self.env)

    def fill(self, text: str, context: Any = None, language: str = "en") -> str:
        """A guidance advice or step string (written in ``language``) with the context slots
        filled (sandboxed)."""
        return self.views.filler.fill(text, context, language)

    # -- terminal and Markdown ----------------------------------------------------------------

    def render_answer(
        self,
        kind: AnswerKind,
        result: Result,
        checklist: Checklist | None = None,
        *,
        detail: bool = False,
        target: Target = "terminal",
        language: str = "en",
    ) -> str:
        """``result`` shown as ``kind``: help, thanks, topics, its checklist, an answer, a
        programme card, two candidates to choose from, or "not covered" with suggestions."""
        with speaking(checklist.language if checklist is not None else language):
            view = self.views.answer(kind, result, checklist, detail, language)
            return self.terminal.render(view, target)

    def render_checklist(
        self,
        checklist: Checklist,
        fmt: ChecklistFormat = "text",
        ticks: Mapping[int, str] | None = None,
        states: Mapping[int, Mapping[str, Any]] | None = None,
    ) -> str:
        """A checklist as plain text (``text``) or a GitHub task list (``md``).

        With ``ticks`` (step index to display name, see :meth:`discord_checklist`) ticked
        steps are marked done with who ticked them (``- [x] step — ticked by Ana``);
        ``states`` gives each step's state as a work plan (see :func:`workplan.step_states`).
        """
        target = checklist_target(fmt)
        with speaking(checklist.language):
            return self.terminal.render(self.views.checklist(checklist, ticks, states), target)

    def render_export(
        self, run: Run, fmt: str = "md", *, now: float, events: Sequence[Event] | None = None
    ) -> str:
        """The audit export of a stored run as ``md``, ``csv`` or ``json``: every step's
        state, who set it and when (UTC), owners, due date, reason, note, guidance item and
        source quote; with ``events``, the history of every change too."""
        today = workplan.today_of(now)
        rows = workplan.audit_rows(run, self.guidance, today)
        history = workplan.history_rows(events) if events is not None else None
        if fmt == "csv":
            return workplan.as_csv(rows)
        if fmt == "json":
            return workplan.as_json(run, rows, history)
        if fmt != "md":
            raise ValueError(f"unknown export format {fmt!r}: use md, csv or json")
        checklist = run.checklist(self.guidance)
        view = self.views.checklist(checklist, states=workplan.step_states(run, today))
        variables = {
            **view.variables,
            "header": workplan.run_header(run),
            "rows": rows,
            "history": history,
            "exported_at": workplan.utc(now),
        }
        with speaking(run.language):
            return self.terminal.render(View("export", variables), "markdown")

    def render_topics(self, target: Target = "terminal", language: str = "en") -> str:
        """Every collection with its item count and item titles."""
        with speaking(language):
            return self.terminal.render(self.views.topics(language), target)

    def render_item(
        self, item_id: str, context: Any = None, target: Target = "terminal", language: str = "en"
    ) -> str:
        """Everything about one item; raises :class:`UnknownItem` for an unknown id."""
        with speaking(language):
            return self.terminal.render(self.views.item(item_id, context, language), target)

    def render_help(self, target: Target = "terminal", language: str = "en") -> str:
        """What Pact Advisor does, example questions, and the commands."""
        with speaking(language):
            return self.terminal.render(self.views.help(language), target)

    # -- Discord ------------------------------------------------------------------------------

    def discord_answer(
        self,
        kind: AnswerKind,
        result: Result,
        checklist: Checklist | None = None,
        *,
        detail: bool = False,
        language: str = "en",
        context_note: str | None = None,
    ) -> DiscordMessage:
        """``result`` shown as ``kind``, as a Discord message (see :meth:`render_answer`);
        a checklist shows its first page. An answer is short (title, advice for the context,
        the cited quote) unless in ``detail``; ``context_note`` (``channel`` or ``thread``)
        says its context is the one the channel or thread set."""
        with speaking(checklist.language if checklist is not None else language):
            view = self.views.answer(kind, result, checklist, detail, language, context_note)
            if view.name == "checklist":
                return self.discord.checklist(view)
            return self.discord.render(view)

    @staticmethod
    def checklist_pages(checklist: Checklist) -> int:
        """How many pages :meth:`discord_checklist` splits ``checklist`` into."""
        return page_count(len(checklist.steps))

    def discord_checklist(
        self,
        checklist: Checklist,
        ticks: Mapping[int, str] | None = None,
        page: int = 0,
        states: Mapping[int, Mapping[str, Any]] | None = None,
        context_note: str | None = None,
    ) -> DiscordMessage:
        """One page of a checklist with progress ("4/11 done") and who ticked which step;
        ``context_note`` (``channel`` or ``thread``) says it is written for the context set
        there.

        ``ticks`` maps a step index (0-based, as in ``checklist.steps``) to the display name
        of whoever ticked it. ``page`` is 0-based and clamped (see
        :func:`~pact_advisor.render.discord_target.page_steps`).
        """
        with speaking(checklist.language):
            view = self.views.checklist(checklist, ticks, states)
            if context_note:
                view = View(view.name, {**view.variables, "context_note": context_note})
            return self.discord.checklist(view, page)

    def discord_checklists(
        self,
        entries: Sequence[Mapping[str, Any]],
        *,
        hidden: int = 0,
        server: bool = False,
        language: str = "en",
    ) -> DiscordMessage:
        """``/checklists``: each open checklist's title, link, progress and overdue count
        (``entries``), and how many more there are (``hidden``)."""
        variables = {"entries": list(entries), "hidden": hidden, "server": server}
        with speaking(language):
            return self.discord.render(View("checklists", variables))

    def discord_digest(
        self, groups: Sequence[Mapping[str, Any]], mentions: Sequence[int], day: str
    ) -> DiscordMessage:
        """The daily digest: for each checklist (``groups``) its overdue steps and those due
        within a week, with their owners; ``mentions`` the owners' ids, each once."""
        variables = {"groups": list(groups), "mentions": list(mentions), "day": day}
        with speaking("en"):
            return self.discord.render(View("digest", variables))

    def discord_item(
        self, item_id: str, context: Any = None, language: str = "en", *, internal: bool = True
    ) -> DiscordMessage:
        """Everything about one item; raises :class:`UnknownItem` for an unknown id. Without
        ``internal`` it leaves out keywords and example questions (for members)."""
        with speaking(language):
            view = self.views.item(item_id, context, language, internal=internal)
            return self.discord.render(view)

    def discord_more(
        self, result: Result, language: str = "en", context_note: str | None = None
    ) -> DiscordMessage:
        """The rest of a short answer to ``result``: summary, full advice, checklist steps,
        the full quote, related items and confidence."""
        with speaking(language):
            view = self.views.answer_part("answer_more", result, language, context_note)
            return self.discord.render(view)

    def discord_why(self, result: Result, language: str = "en") -> DiscordMessage:
        """Why ``result``'s top match answers its question: the engine's reasons, its
        confidence and score, and the guidance version. One rendering for every way of
        asking why (an answer's button, a message menu)."""
        with speaking(language):
            return self.discord.render(self.views.answer_part("why", result, language))

    def discord_topics(self, language: str = "en") -> DiscordMessage:
        """Every collection with its item count and item titles, one field each."""
        with speaking(language):
            return self.discord.render(self.views.topics(language))

    def discord_help(self, language: str = "en") -> DiscordMessage:
        """What Pact Advisor does, example questions, and the commands."""
        with speaking(language):
            return self.discord.render(self.views.help(language))

    def discord_related(self, item_id: str, language: str = "en") -> DiscordMessage:
        """The reply to an answer's "Related" button (the buttons come with it);
        raises :class:`UnknownItem` for an unknown id."""
        with speaking(language):
            return self.discord.render(self.views.related(item_id, language))

    def discord_report(
        self, report: Report, since: datetime, language: str = "en"
    ) -> DiscordMessage:
        """``/advisor report``: unanswered questions, answers marked not helpful since
        ``since``, and vote counts (items with the most "not helpful" first)."""
        with speaking(language):
            return self.discord.render(report_view(report, since))

    def discord_reload_problems(
        self, problems: Sequence[str], version: str, language: str = "en"
    ) -> DiscordMessage:
        """A failed ``/advisor reload``: every problem that fits (each trimmed), then how many
        more there are; ``version`` is the guidance still served."""
        with speaking(language):
            return self.discord.reload_problems(problems, version)

    def discord_text(self, name: str, /, language: str = "en", **values: Any) -> str:
        """A short Discord text (a reply, a hint, a button label) in ``language``: the macro
        ``name`` of ``messages.discord.j2`` called with ``values``, within Discord's content
        limit."""
        with speaking(language):
            return self.discord.text(name, **values)
