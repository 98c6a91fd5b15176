"""The ``pact-advisor`` command line: a thin shell over the application layer
(:mod:`pact_advisor.app`), one module per group of commands.

``main`` is the console script's entry point (``pact_advisor.cli:main``). The settings are
built here, once, for every command (:class:`pact_advisor.settings.Settings`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from pact_advisor import __version__
from pact_advisor.cli import answering, bot, chat, curation, guidance, quality, runs, setup
from pact_advisor.cli.common import EXIT_PROBLEM, EXIT_USAGE, UsageError
from pact_advisor.cli.parser import PROG, HelpFormatter, Parser, add_global_options, examples
from pact_advisor.knowledge import GuidanceError
from pact_advisor.settings import DEBUG_ENV, Settings, SettingsError, settings_help

__all__ = ["DEBUG_ENV", "EXIT_PROBLEM", "EXIT_USAGE", "UsageError", "build_parser", "main"]

#: The command groups, in the order ``--help`` lists them.
GROUPS = (answering, chat, guidance, curation, quality, runs, setup, bot)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog=PROG,
        description=(
            "Advice, citations and checklists for migration partnerships, drawn from the "
            "lessons of ICMPD's Global Initiatives (MPF, MIEUX+, EUDiF)."
        ),
        epilog=examples(
            f'{PROG} ask "how do we involve the diaspora?"',
            f"{PROG} checklist readiness --partner Morocco",
            f"{PROG} chat",
            f"{PROG} COMMAND --help   # a command's options and examples",
        )
        + "\n\n"
        + settings_help(),
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_global_options(parser, on_command=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for group in GROUPS:
        group.register(sub)
    return parser


def main(
    argv: Sequence[str] | None = None, *, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    out = stdout or sys.stdout
    if args.command is None:  # bare `pact-advisor`: what there is to do
        out.write(parser.format_help())
        return 0
    args.stdin = stdin or sys.stdin
    try:
        args.settings = Settings.load(guidance=args.guidance)
    except SettingsError as exc:
        sys.stderr.write(f"{PROG}: {exc}\n")
        return EXIT_USAGE
    return _run(args, out)


def _run(args: argparse.Namespace, out: TextIO) -> int:
    try:
        return args.func(args, out)
    except UsageError as exc:
        sys.stderr.write(f"{PROG}: {exc}\n")
        return EXIT_USAGE
    except GuidanceError as exc:
        sys.stderr.write(f"{PROG}: the guidance could not be loaded:\n")
        for problem in exc.problems:
            sys.stderr.write(f"  {problem}\n")
        return EXIT_PROBLEM
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: one clear line, the traceback only on request
        if args.settings.debug:
            raise
        sys.stderr.write(
            f"{PROG}: internal error ({type(exc).__name__}: {exc}). "
            f"Set {DEBUG_ENV}=1 to see the traceback, and please report it.\n"
        )
        return EXIT_PROBLEM
