"""The quality gate: nothing goes live unless the new guidance is at least as good.

Three checks, in order: the guidance and templates validate; every question of
``regressions.yaml`` is still answered first by its item; and no figure of the eval test
splits falls below its bar. A curation, ``/advisor reload`` and ``pact-advisor validate
--gate`` all run it, and only a guidance that passes is served.

No discord import here: the terminal and the bot share it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from pact_advisor.app import USER_CACHE, Advisor
from pact_advisor.knowledge import GuidanceError, Problem
from pact_advisor.knowledge.curate import CurationError, read_regressions
from pact_advisor.resources import TEST_SPLITS, eval_dir

log = logging.getLogger(__name__)

#: The held-out test splits whose bars the gate enforces.
#: At most this many changed answers are listed.
SHOWN_CHANGES = 10


@dataclass(frozen=True)
class Change:
    """A question whose top answer the new guidance changes: what it was, what it becomes,
    and, for a regression question, the item it must get."""

    question: str
    before: str | None
    after: str | None
    expected: str | None = None

    def __str__(self) -> str:
        def shown(item: str | None) -> str:
            return item or "no answer"

        if self.before is None and self.expected is not None:  # nothing to compare with
            return f"“{self.question}”: gets {shown(self.after)} (must be {self.expected})"
        text = f"“{self.question}”: {shown(self.before)} → {shown(self.after)}"
        if self.expected is not None:
            text += f" (must be {self.expected})"
        return text


@dataclass(frozen=True)
class GateReport:
    """What the gate found. ``advisor`` is the new guidance, built and checked, whenever it
    loaded (also when a later check failed)."""

    advisor: Advisor | None
    problems: tuple[str, ...] = ()
    regressions: tuple[Change, ...] = ()
    failed_bars: tuple[str, ...] = ()
    #: Questions (regressions and eval) whose top answer the new guidance changes.
    changes: tuple[Change, ...] = ()
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.advisor is not None and not (
            self.problems or self.regressions or self.failed_bars
        )

    def reasons(self) -> list[str]:
        """Why the gate failed, one line each (empty when it passed)."""
        lines = list(self.problems)
        lines += [f"regression: {change}" for change in self.regressions]
        lines += [f"eval bar not met: {bar}" for bar in self.failed_bars]
        return lines


def top_answers(advisor: Advisor, questions: Sequence[str]) -> list[str | None]:
    """The item each question gets first from ``advisor`` (``None``: not answered)."""
    if not questions:
        return []
    return [a.item_id for a in advisor.answer_many(list(questions))]


def template_problem(exc: Exception) -> str:
    """A template that failed to load or render, named by file and line when known."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None)
    where = Path(name).name if isinstance(name, str) else ""
    line = getattr(exc, "lineno", None)
    if where and line:
        where = f"{where}:{line}"
    return ": ".join(part for part in (where, type(exc).__name__, str(exc)) if part)


def load_candidate(
    directory: Path,
    prompts_dir: Any = None,
    cache_dir: Any = USER_CACHE,
    describe: Callable[[Problem], str] = str,
) -> tuple[Advisor | None, list[str]]:
    """The new guidance, built and checked, or ``None`` and every problem it has (each
    guidance problem worded by ``describe``)."""
    try:
        return Advisor.load(directory, prompts_dir=prompts_dir, cache_dir=cache_dir, eager=True), []
    except GuidanceError as exc:
        return None, [describe(p) for p in exc.problems] or [str(exc)]
    except (jinja2.TemplateError, OSError, ValueError, LookupError) as exc:
        return None, [template_problem(exc)]


def _eval_questions(files: Sequence[Path] | None) -> dict[str, list]:
    from pact_advisor.evaluation import EvalFileError, load_questions

    paths = list(files) if files is not None else [eval_dir() / n for n in TEST_SPLITS]
    found = {}
    for path in paths:
        if not path.exists():  # an installation without the eval set checks what it has
            log.info("gate: no eval split %s", path)
            continue
        try:
            found[path.name] = load_questions(path)
        except (EvalFileError, OSError) as exc:
            raise CurationError(f"eval split {path}: {exc}") from None
    return found


def run_gate(
    directory: str | os.PathLike[str],
    *,
    current: Advisor | None = None,
    prompts_dir: Any = None,
    cache_dir: Any = USER_CACHE,
    eval_files: Sequence[Path] | None = None,
    describe: Callable[[Problem], str] = str,
) -> GateReport:
    """Check the guidance in ``directory``; ``current`` is what is served now, to show which
    answers would change. Slow (it fits the engine and answers every eval question): run it
    off the event loop."""
    from pact_advisor.evaluation import evaluate

    directory = Path(directory)
    candidate, problems = load_candidate(directory, prompts_dir, cache_dir, describe)
    if candidate is None:
        return GateReport(None, tuple(problems))
    try:
        regressions = read_regressions(directory)
        splits = _eval_questions(eval_files)
    except CurationError as exc:
        return GateReport(candidate, (str(exc),))
    unknown = sorted({i for i in regressions.values() if i not in candidate.guidance.items})
    if unknown:
        return GateReport(
            candidate, tuple(f"regressions.yaml: unknown item id {i!r}" for i in unknown)
        )
    questions = list(regressions)
    after = top_answers(candidate, questions)
    failing = tuple(
        Change(q, None, got, regressions[q])
        for q, got in zip(questions, after, strict=True)
        if got != regressions[q]
    )
    failed_bars: list[str] = []
    for name, split in splits.items():
        report = evaluate(candidate.engine, split)
        failed_bars += [f"{name}: {bar}" for bar in report.failed_bars()]
    changes = _changes(current, candidate, questions, after, splits)
    if current is not None and failing:
        before = dict(zip(questions, top_answers(current, questions), strict=True))
        failing = tuple(
            Change(c.question, before[c.question], c.after, c.expected) for c in failing
        )
    checked = {"regressions": len(questions), **{n: len(s) for n, s in splits.items()}}
    return GateReport(candidate, (), failing, tuple(failed_bars), changes, checked)


def _changes(
    current: Advisor | None,
    candidate: Advisor,
    questions: list[str],
    after: list[str | None],
    splits: dict[str, list],
) -> tuple[Change, ...]:
    """Regression and eval questions whose top answer differs between the two guidances."""
    if current is None:
        return ()
    asked = questions + [q.q for split in splits.values() for q in split]
    now = top_answers(current, asked)
    new = after + top_answers(candidate, asked[len(questions) :])
    return tuple(Change(q, b, a) for q, b, a in zip(asked, now, new, strict=True) if a != b)[
        :SHOWN_CHANGES
    ]


@dataclass(frozen=True)
class Preview:
    """What a reload would change: of ``total`` recent questions, those whose top answer
    differs under the new guidance (``changed`` of them; ``examples`` a few)."""

    total: int
    changed: int
    examples: tuple[Change, ...]


def preview_changes(
    current: Advisor, candidate: Advisor, questions: Sequence[str], shown: int = 3
) -> Preview:
    """Replay ``questions`` (recent stored ones) under both guidances."""
    unique = list(dict.fromkeys(q for q in questions if q))
    before = top_answers(current, unique)
    after = top_answers(candidate, unique)
    changes = [Change(q, b, a) for q, b, a in zip(unique, before, after, strict=True) if a != b]
    return Preview(len(unique), len(changes), tuple(changes[:shown]))
