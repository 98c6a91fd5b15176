"""The application layer every front end uses: the terminal commands and the Discord bot.

An :class:`Advisor` is one guidance version with its renderer and engine, loaded and checked
once. It answers a question into one :class:`Answer`, which says what kind of answer it is
and carries the checklist when it is one. What an answer is, and how a result becomes a
checklist, is decided here and nowhere else; front ends only show the answer.

An answer is in the asker's language: the one they chose, else the question's own (the
engine's reading), else, when the question is too short to tell, the front end's fallback
(a Discord member's client locale, the terminal's locale), else English.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import jinja2

from pact_advisor import __version__, cachedir, i18n
from pact_advisor.checklists import Checklist, build_checklist, checklist_from_result
from pact_advisor.engine import Context, Result, Turn
from pact_advisor.engine.text import fold
from pact_advisor.knowledge import Guidance, load_guidance
from pact_advisor.knowledge.rendering import check_rendering
from pact_advisor.render import AnswerKind, DiscordMessage, Renderer
from pact_advisor.render.terminal import Target
from pact_advisor.resources import default_cache_dir, guidance_dir

if TYPE_CHECKING:
    from pact_advisor.engine import Engine

log = logging.getLogger(__name__)

#: Answers that tell about Pact Advisor itself rather than answer from the guidance.
INFO_KINDS: Final = ("help", "thanks", "topics")
#: Answers that show guidance items (the top match first).
ITEM_KINDS: Final = ("answer", "programme", "ambiguous")

#: ``cache_dir`` left out: $PACT_ADVISOR_CACHE, else the user's cache folder.
USER_CACHE: Any = object()

_EPOCH = datetime.fromtimestamp(0, UTC)
_PACKAGE = Path(__file__).resolve().parent


def answer_kind(result: Result, guidance: Guidance) -> AnswerKind:
    """What kind of answer ``result`` is, by the guidance it was answered from."""
    if result.intent in INFO_KINDS:
        return result.intent  # type: ignore[return-value]
    if not result.answered or not result.matches:
        return "not_covered"
    if result.intent == "checklist":
        return "checklist"
    # "Tell me more" after two close candidates shows the first one in full.
    if result.ambiguous and len(result.matches) > 1 and result.followup != "more":
        return "ambiguous"
    top = guidance.items.get(result.matches[0].id)
    return "programme" if top is not None and top.collection == "programmes" else "answer"


def answer_language(
    result: Result,
    guidance: Guidance,
    chosen: str | None = None,
    fallback: str | None = None,
) -> str:
    """The language to answer ``result`` in: ``chosen``, else the question's language when the
    question says it, else ``fallback``, else English.

    The engine reads a message as English unless more French or Spanish function words say
    otherwise; a question with no English ones either ("checklist diaspora", "MPF?") does not
    say which language it is in.
    """
    if chosen:
        return i18n.check(chosen)
    if result.language != i18n.SOURCE and result.language in i18n.LANGUAGES:
        return result.language
    markers = _folded(guidance.rules.languages.get("en", ()))
    if not markers.isdisjoint(fold(result.question).split()):
        return i18n.SOURCE
    return i18n.language_of(fallback) or i18n.SOURCE


@functools.lru_cache(maxsize=16)
def _folded(words: tuple[str, ...]) -> frozenset[str]:
    """The words folded, as a set (a guidance's marker words, folded once)."""
    return frozenset(fold(w) for w in words)


@dataclass(frozen=True)
class Answer:
    """One question answered: what kind of answer it is, the engine's result, and the
    checklist when the answer is one."""

    kind: AnswerKind
    result: Result
    checklist: Checklist | None = None
    #: Show the top item in full (asked for, or "tell me more").
    detail: bool = False
    #: The language it is shown in (``en``, ``fr`` or ``es``).
    language: str = "en"

    @property
    def item_id(self) -> str | None:
        """The item an answer shows first (``None`` for other kinds)."""
        if self.kind in ITEM_KINDS:
            return self.result.matches[0].id
        return None

    @property
    def candidates(self) -> tuple[str, ...]:
        """The two items a close call was between (also after "tell me more")."""
        if self.kind in ITEM_KINDS and self.result.ambiguous:
            return tuple(m.id for m in self.result.matches[:2])
        return ()

    @property
    def suggestions(self) -> tuple[str, ...]:
        """The "did you mean" items of a question not covered."""
        return tuple(m.id for m in self.result.suggestions)

    @property
    def unanswered(self) -> bool:
        """Not covered although something was asked: a gap the guidance may want to fill."""
        return self.kind == "not_covered" and self.result.reason != "empty"


class Advisor:
    """One guidance version with its renderer and engine: build with :meth:`load`, share
    freely, replace whole (Discord's reload swaps one advisor for another).

    The engine is built on first use unless loaded eagerly, so that commands which never
    retrieve (``topics``, ``show``, ``checklist``) never import scikit-learn.
    """

    def __init__(
        self, guidance: Guidance, renderer: Renderer, engine: Engine | None = None
    ) -> None:
        self.guidance = guidance
        self.renderer = renderer
        self._engine = engine
        self._lock = threading.Lock()

    @classmethod
    def load(
        cls,
        directory: str | os.PathLike[str] | None = None,
        *,
        prompts_dir: str | os.PathLike[str] | None = None,
        cache_dir: str | os.PathLike[str] | None = USER_CACHE,
        eager: bool = False,
    ) -> Advisor:
        """Load and check guidance and templates; raise on any problem, build nothing partial.

        ``directory`` defaults as :func:`~pact_advisor.resources.guidance_dir` says.
        ``eager`` builds the engine now, from the start-up cache in ``cache_dir`` (with the
        guidance it was fitted on, so a cache hit parses no YAML): for front ends that
        answer questions. Otherwise the engine is fitted on first use. ``cache_dir`` also
        keeps compiled templates; ``None`` caches nothing.

        Raises :class:`~pact_advisor.knowledge.GuidanceError` for guidance problems (advice
        or a step that cannot be rendered, or renders too slowly, included) and
        ``jinja2.TemplateError`` (or ``OSError``) for template problems: every template is
        rendered once here with real data, so a broken one is caught before it is served.
        A start whose guidance, code, catalogues and templates are exactly those of a check
        that passed before (stamped in ``cache_dir``) does not render them again.
        """
        source = guidance_dir(directory)
        cache = default_cache_dir() if cache_dir is USER_CACHE else cache_dir
        cache = Path(cache) if cache is not None else None
        engine = None
        if eager:
            from pact_advisor.engine.cache import load_engine

            engine = load_engine(source, cache)
            guidance = engine.guidance
        else:
            guidance = load_guidance(source)
        advisor = cls(guidance, _renderer(guidance, prompts_dir, cache), engine)
        stamp = advisor._check_stamp() if cache is not None else None
        if stamp is None or not cachedir.passed(cache, stamp):
            # An engine from load_engine serves guidance whose texts it has checked already.
            advisor.check(texts=engine is None)
            if stamp is not None:
                cachedir.record_passed(cache, stamp)
        return advisor

    def _check_stamp(self) -> str:
        """What :meth:`check` reads, as one name: the guidance's version, the code and
        catalogues, the templates, Python's and Jinja2's versions, and whether answers are
        checked too (an engine loaded)."""
        parts = (
            __version__,
            sys.version,
            jinja2.__version__,
            self.guidance.version,
            "answers" if self._engine is not None else "texts",
            cachedir.files_fingerprint(_PACKAGE, self.renderer.prompts_dir),
        )
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]

    @property
    def version(self) -> str:
        return self.guidance.version

    @property
    def engine(self) -> Engine:
        """The engine, fitted on this guidance on first use (then checked like at load)."""
        with self._lock:
            if self._engine is None:
                from pact_advisor.engine import Engine

                engine = Engine(self.guidance)
                self._check_answers(engine)
                self._engine = engine
            return self._engine

    # -- answering ----------------------------------------------------------------------------

    def answer(
        self,
        question: str,
        previous: Turn | None = None,
        context: Context | None = None,
        *,
        detail: bool = False,
        language: str | None = None,
        fallback: str | None = None,
    ) -> Answer:
        """Answer ``question``, as a follow-up to ``previous`` when given, in ``language`` if
        given (see :func:`answer_language`; ``fallback`` is a language or locale code)."""
        result = self.engine.ask(question, previous=previous, context=context)
        return self.answer_of(result, detail=detail, language=language, fallback=fallback)

    def answer_many(
        self,
        questions: Sequence[str],
        context: Context | None = None,
        *,
        detail: bool = False,
        language: str | None = None,
        fallback: str | None = None,
    ) -> list[Answer]:
        """Answer independent questions in one batch (faster than one by one)."""
        results = self.engine.ask_many(questions, context=context)
        return [
            self.answer_of(result, detail=detail, language=language, fallback=fallback)
            for result in results
        ]

    def prepare_for_batches(self) -> None:
        """See :meth:`Engine.prepare_for_batches`."""
        self.engine.prepare_for_batches()

    def answer_of(
        self,
        result: Result,
        *,
        detail: bool = False,
        language: str | None = None,
        fallback: str | None = None,
    ) -> Answer:
        """The answer ``result`` makes: its kind, its language, and its checklist when it
        asks for one."""
        kind = answer_kind(result, self.guidance)
        shown = answer_language(result, self.guidance, language, fallback)
        checklist = self._checklist_of(result, None, shown) if kind == "checklist" else None
        return Answer(kind, result, checklist, detail or result.followup == "more", shown)

    def _checklist_of(
        self, result: Result, context: Context | None = None, language: str = "en"
    ) -> Checklist:
        return checklist_from_result(
            self.guidance, result, context, filler=self.renderer, language=language
        )

    # -- checklists ---------------------------------------------------------------------------

    def checklist(
        self, topic: str, context: Context | None = None, language: str = "en"
    ) -> Checklist:
        """The checklist for a collection, an item or ``readiness``, filled for ``context``,
        in ``language``.

        Raises :class:`~pact_advisor.checklists.UnknownTopic` for anything else.
        """
        return build_checklist(
            self.guidance, topic, context, filler=self.renderer, language=i18n.check(language)
        )

    def answer_checklist(
        self, item_id: str, turn: Turn | None = None, fallback: str | None = None
    ) -> Checklist:
        """The checklist of an answer showing ``item_id``, asked as ``turn``: the answer's
        own (top match and close runners-up) while asking again still leads with the item,
        else the item's steps; in the language of the turn's question (``fallback``, a
        language or locale code, when it does not tell). Raises
        :class:`~pact_advisor.checklists.UnknownTopic` when the item is no longer in the
        guidance."""
        if turn is not None:
            result = self.engine.ask(turn.question, context=turn.context)
            language = answer_language(result, self.guidance, None, fallback)
            if result.answered and result.matches and result.matches[0].id == item_id:
                return self._checklist_of(result, turn.context, language)
            return self.checklist(item_id, turn.context, language)
        return self.checklist(item_id, None, i18n.language_of(fallback) or i18n.SOURCE)

    # -- showing ------------------------------------------------------------------------------

    def text(self, answer: Answer, target: Target = "terminal") -> str:
        """``answer`` as text for the terminal or as Markdown."""
        return self.renderer.render_answer(
            answer.kind,
            answer.result,
            answer.checklist,
            detail=answer.detail,
            target=target,
            language=answer.language,
        )

    def message(self, answer: Answer) -> DiscordMessage:
        """``answer`` as a Discord message."""
        return self.renderer.discord_answer(
            answer.kind,
            answer.result,
            answer.checklist,
            detail=answer.detail,
            language=answer.language,
        )

    # -- the template check -------------------------------------------------------------------

    def check(self, *, texts: bool = True) -> None:
        """Render every item's advice and checklist in every language, with and without a
        context, each within a time budget (raising
        :class:`~pact_advisor.knowledge.GuidanceError` naming the file and item of any that
        fails; ``texts=False`` when that was done already), then every message template once,
        for every target, with real data.

        Answers are checked too once the engine is built.
        """
        from pact_advisor.store import Report

        renderer, guidance = self.renderer, self.guidance
        if texts:
            check_rendering(guidance, renderer.views.filler)
        first = next(iter(guidance.items))
        checklist = self.checklist(first)
        for target in ("terminal", "markdown"):
            renderer.render_help(target)
            renderer.render_topics(target)
            renderer.render_item(first, target=target)
        for language in i18n.LANGUAGES[1:]:  # a catalogue that breaks a template fails here
            renderer.render_item(first, language=language)
        renderer.render_checklist(checklist, "text", {0: "check"})
        renderer.render_checklist(checklist, "md", {0: "check"})
        renderer.discord_help()
        renderer.discord_topics()
        renderer.discord_item(first)
        renderer.discord_related(first)
        renderer.discord_checklist(checklist, {0: "check"})
        renderer.discord_report(Report(0.0, 0.0, [], [], {}), _EPOCH)
        renderer.discord_reload_problems(["check"], guidance.version)
        renderer.discord_text("no_text")
        _check_work_plan(renderer, checklist)
        if self._engine is not None:
            self._check_answers(self._engine)

    def _check_answers(self, engine: Engine) -> None:
        first = next(iter(self.guidance.items.values()))
        answered, empty = engine.ask_many([first.examples[0], ""])
        shown = [self.answer_of(answered), self.answer_of(empty)]
        shown.append(Answer("thanks", empty))
        if answered.answered and len(answered.matches) > 1:
            shown.append(Answer("ambiguous", answered))
        for answer in shown:
            self.text(answer)
            self.text(answer, "markdown")
            self.message(answer)


def _renderer(
    guidance: Guidance, prompts_dir: str | os.PathLike[str] | None, cache: Path | None
) -> Renderer:
    if cache is not None:
        try:
            return Renderer(guidance, prompts_dir, bytecode_cache_dir=cache / "templates")
        except OSError:  # an unwritable cache folder only costs speed
            log.debug("no template cache in %s", cache, exc_info=True)
    return Renderer(guidance, prompts_dir)


def _check_work_plan(renderer: Renderer, checklist: Checklist) -> None:
    """Render a checklist as a work plan (every state, owners, a due date, a note), its
    exports, /checklists and the digest once."""
    from pact_advisor.render.workplan import step_states
    from pact_advisor.store import Event, Owner, Run, Skip, Tick

    steps = checklist.steps
    run = Run(
        0, checklist.topic, checklist.title, checklist.context, steps, None, None, 0, 0.0,
        ticks={0: Tick(0, "check", 0.0)},
        skips={len(steps) - 1: Skip(0, "check", 0.0, "check")} if len(steps) > 1 else {},
        owners={0: (Owner(0, "check"),)}, due={0: "1970-01-01"}, notes={0: "check"},
    )  # fmt: skip
    events = [Event(0, 0, 0, "assign", 0, "check", 0.0, {"owners": [{"id": 0, "name": "c"}]})]
    for fmt in ("md", "csv", "json"):
        renderer.render_export(run, fmt, now=0.0, events=events)
    renderer.discord_checklist(run.checklist(), states=step_states(run, "1970-01-02"))
    entry = {"title": "t", "done": 0, "na": 1, "total": 2, "overdue": 1, "url": None}
    renderer.discord_checklists([{**entry, "channel_id": 1}], hidden=1, server=True)
    step = {"number": 1, "text": "s", "due": "1970-01-01", "overdue": True, "owners": ["c"]}
    renderer.discord_digest([{"title": "t", "url": "u", "steps": [step]}], [1], "1970-01-02")
