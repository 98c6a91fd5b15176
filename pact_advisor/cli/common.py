"""What every command shares: exit codes, the usage error, loading the advisor, context
options, output formats and printing."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TextIO

from pact_advisor import i18n

if TYPE_CHECKING:
    from pact_advisor.app import Advisor
    from pact_advisor.knowledge import Context

#: Exit codes: 1 for a problem with the guidance or a failed check, 2 for a usage error.
EXIT_PROBLEM = 1
EXIT_USAGE = 2

FORMATS = ("text", "md", "json")
FORMAT_HELP = (
    "text (default): rendered in a terminal, plain text when piped; "
    "md: Markdown; json: one JSON object"
)


class UsageError(Exception):
    """Bad input from the user: printed with a hint, exit status 2."""


def load_advisor(args: argparse.Namespace, *, eager: bool = False) -> Advisor:
    """The advisor for the guidance in the settings; ``eager`` for commands that answer."""
    from pact_advisor.app import Advisor  # not needed by ``validate``

    settings = args.settings
    return Advisor.load(settings.guidance, cache_dir=settings.cache_dir, eager=eager)


def valid_text(value: str) -> str:
    """Text from the command line or a stream as valid Unicode: a byte that was not UTF-8
    (kept by Python as a lone surrogate) becomes U+FFFD, so it costs one character rather
    than the answer. The ``type`` of every argument that is text, not a path."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def text_lines(stream: TextIO) -> Iterator[str]:
    """Each line of ``stream`` as valid text (see :func:`valid_text`), read as it comes: one
    bad byte costs one character, never the rest of the run, and never reaches the output."""
    raw = getattr(stream, "buffer", None)
    if raw is not None:
        while line := raw.readline():
            yield line.decode("utf-8", "replace")
        return
    while line := stream.readline():
        yield valid_text(line)


def add_context(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--partner", type=valid_text, help="partner country the advice is for, e.g. Morocco"
    )
    parser.add_argument(
        "--sector", type=valid_text, help="sector the partnership targets, e.g. agriculture"
    )
    parser.add_argument("--programme", type=valid_text, help="programme or instrument, e.g. MPF")


def add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="text", help=FORMAT_HELP)


def add_language(parser: argparse.ArgumentParser, *, question: bool = False) -> None:
    default = "the question's language, else the locale's" if question else "the locale's"
    parser.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        help=f"language of the answer: en, fr or es (default: {default}, else en)",
    )


def locale_language() -> str | None:
    """The terminal's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as gettext reads them)
    when Pact Advisor speaks it."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").split(":", 1)[0]
        if value:
            return i18n.language_of(value)
    return None


def output_language(args: argparse.Namespace) -> str:
    """``--lang``, else the locale's language, else English (commands without a question)."""
    return getattr(args, "lang", None) or locale_language() or i18n.SOURCE


def context(args: argparse.Namespace) -> Context:
    """The context given with ``--partner``, ``--sector`` and ``--programme``."""
    from pact_advisor.knowledge import Context

    return Context.of(
        partner=getattr(args, "partner", None),
        sector=getattr(args, "sector", None),
        programme=getattr(args, "programme", None),
    )


def is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def emit(text: str, out: TextIO) -> None:
    out.write(text.rstrip("\n") + "\n")
    # Show the answer now, not after the interpreter has finished tearing down.
    out.flush()


def emit_json(payload: Any, out: TextIO) -> None:
    emit(json.dumps(payload, ensure_ascii=False, indent=2), out)


def show(fmt: str, out: TextIO, *, plain: Callable[[], str], markdown: Callable[[], str]) -> None:
    """Print one answer, item, topic list or checklist in ``fmt`` (``text`` or ``md``).

    ``text`` on a terminal is the Markdown rendered (headings, bold, quotes and lists,
    wrapped to the terminal's width); piped, it is the plain text. ``md`` is the Markdown.
    """
    if fmt == "md":
        emit(markdown(), out)
    elif is_terminal(out):
        from pact_advisor.render.console import print_markdown

        print_markdown(markdown(), out)
    else:
        emit(plain(), out)
