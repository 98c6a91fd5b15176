"""What every command shares: exit codes, the usage error, loading the advisor, context
options and printing."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, TextIO

from pact_advisor import i18n
from pact_advisor.knowledge import Context

if TYPE_CHECKING:
    from pact_advisor.app import Advisor

#: Exit codes: 1 for a problem with the guidance or a failed check, 2 for a usage error.
EXIT_PROBLEM = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad input from the user: printed with a hint, exit status 2."""


def load_advisor(args: argparse.Namespace, *, eager: bool = False) -> Advisor:
    """The advisor for ``--guidance``; ``eager`` for commands that answer questions."""
    from pact_advisor.app import Advisor  # not needed by ``validate``

    return Advisor.load(args.guidance, eager=eager)


def add_context(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--partner", help="partner country the advice is for, e.g. Morocco")
    parser.add_argument("--sector", help="sector the partnership targets, e.g. agriculture")
    parser.add_argument("--programme", help="programme or instrument, e.g. MPF")


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
    return Context.of(
        partner=getattr(args, "partner", None),
        sector=getattr(args, "sector", None),
        programme=getattr(args, "programme", None),
    )


def emit(text: str, out: TextIO) -> None:
    out.write(text.rstrip("\n") + "\n")
    # Show the answer now, not after the interpreter has finished tearing down.
    out.flush()
