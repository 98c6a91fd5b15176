"""Every advice text and checklist step rendered once before a guidance version is accepted.

Advice and steps are sandboxed Jinja2 templates. The loader checks which slots they name, but
a text that parses can still fail when rendered (``{{ partner.de }}`` in English, where a
slot is plain text) or run for a very long time (nested loops over ``range``). Such guidance
would go live and break the answers that show it, so every item's advice and checklist is
rendered in every language, without a context and with one, each within a time budget;
any failure is a :class:`~pact_advisor.knowledge.problems.Problem` naming the file and item.

A text of plain slots (all bundled guidance) is a substitution that cannot run long, so only
texts with other template syntax are rendered under the budget's watch.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pact_advisor import i18n
from pact_advisor.knowledge.errors import GuidanceError, Problem, display_path
from pact_advisor.knowledge.fill import SlotFiller, is_plain, plain_slots
from pact_advisor.knowledge.translations import item_text

#: CPU seconds one advice text or step may take to render: a real one takes well under a
#: millisecond, so this only ever stops a template that loops.
RENDER_BUDGET = 0.5

#: The context every text is also rendered with (a partner, sector and programme the
#: catalogues name in every language, so that each language's wording is exercised).
SAMPLE_CONTEXT = {"partner": "Morocco", "sector": "agriculture", "programme": "EUDiF"}


class RenderTimeout(Exception):
    """A template ran past its time budget."""


@contextmanager
def cpu_budget(seconds: float) -> Iterator[None]:
    """Raise :class:`RenderTimeout` inside the code run in this block once it has used
    ``seconds`` of this thread's CPU time (checked on every line of Python it runs, which
    a compiled template is)."""
    deadline = time.thread_time() + seconds
    previous = sys.gettrace()

    def trace(frame: Any, event: str, arg: Any) -> Any:
        if time.thread_time() > deadline:
            raise RenderTimeout(f"took more than {seconds:g} s to render")
        return trace

    sys.settrace(trace)
    try:
        yield
    finally:
        sys.settrace(previous)


def _file(guidance: Any, collection: str) -> str:
    return display_path(Path(guidance.directory) / f"{collection}.yaml")


def _render(filler: SlotFiller, text: str, context: Any, language: str, budget: float) -> None:
    if is_plain(text):
        filler.substitute(text, context, language)
        return
    with cpu_budget(budget):
        filler.fill(text, context, language)


def render_problems(
    guidance: Any, filler: SlotFiller | None = None, *, budget: float = RENDER_BUDGET
) -> list[Problem]:
    """Every advice text and checklist step of ``guidance`` that fails to render, in any
    language, with or without a context, or takes longer than ``budget`` CPU seconds.

    ``filler`` is the one the texts will be served with (so that what it compiles here is
    kept for serving); a fresh sandboxed :class:`SlotFiller` by default.
    """
    filler = filler or SlotFiller()
    problems: list[Problem] = []
    # The contexts are fixed, so a verdict depends on the language and on the text, or, for a
    # plain text, on its slots alone: most texts share a handful of slot sets, checked once.
    verdicts: dict[tuple[str, Any], str | None] = {}
    for item in guidance.items.values():
        failed: set[str] = set()  # an English text shown in place of a missing translation
        for language in i18n.LANGUAGES:
            shown = item_text(item, language)
            fields = [("advice", shown.advice)]
            fields += [(f"checklist[{i}]", step) for i, step in enumerate(shown.checklist)]
            for name, text in fields:
                if text in failed:
                    continue
                slots = plain_slots(text)
                key = (language, text if slots is None else slots)
                problem = verdicts.get(key, "")
                if problem == "":
                    problem = verdicts[key] = _problem(filler, text, language, budget)
                if problem is not None:
                    failed.add(text)
                    where = name if language == i18n.SOURCE else f"translations.{language}.{name}"
                    message = f"{where}: cannot be rendered {problem}"
                    problems.append(
                        Problem(_file(guidance, item.collection), None, item.id, message)
                    )
    return problems


def _problem(filler: SlotFiller, text: str, language: str, budget: float) -> str | None:
    """Why ``text`` cannot be rendered (without a context, then with one), or ``None``."""
    for context, how in ((None, "without a context"), (SAMPLE_CONTEXT, "with a context")):
        try:
            _render(filler, text, context, language, budget)
        except RenderTimeout as exc:
            return f"{how}: {exc}"
        except Exception as exc:  # any template failure: named, never served
            return f"{how}: {type(exc).__name__}: {exc}"
    return None


def check_rendering(guidance: Any, filler: SlotFiller | None = None) -> None:
    """Raise :class:`GuidanceError` listing every text of ``guidance`` that cannot be
    rendered (see :func:`render_problems`)."""
    problems = render_problems(guidance, filler)
    if problems:
        raise GuidanceError(problems)
