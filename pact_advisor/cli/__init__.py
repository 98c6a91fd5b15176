"""The ``pact-advisor`` command line: a thin shell over the application layer
(:mod:`pact_advisor.app`), one module per group of commands.

``main`` is the console script's entry point (``pact_advisor.cli:main``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from pact_advisor import __version__
from pact_advisor.cli import answering, bot, guidance, quality
from pact_advisor.cli.common import EXIT_PROBLEM, EXIT_USAGE, UsageError
from pact_advisor.knowledge import GuidanceError

__all__ = ["DEBUG_ENV", "EXIT_PROBLEM", "EXIT_USAGE", "UsageError", "build_parser", "main"]

#: Set to show the traceback of an internal error.
DEBUG_ENV = "PACT_ADVISOR_DEBUG"

#: The command groups, in the order ``--help`` lists them.
GROUPS = (answering, guidance, quality, bot)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pact-advisor",
        description=(
            "Advice, citations and checklists for migration partnerships, drawn from the "
            "lessons of ICMPD's Global Initiatives (MPF, MIEUX+, EUDiF)."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--guidance",
        metavar="DIR",
        help="guidance folder to use (default: $PACT_ADVISOR_GUIDANCE, else the bundled guidance)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for group in GROUPS:
        group.register(sub)
    return parser


def main(
    argv: Sequence[str] | None = None, *, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.stdin = stdin or sys.stdin
    out = stdout or sys.stdout
    try:
        return args.func(args, out)
    except UsageError as exc:
        sys.stderr.write(f"pact-advisor: {exc}\n")
        return EXIT_USAGE
    except GuidanceError as exc:
        sys.stderr.write("pact-advisor: the guidance could not be loaded:\n")
        for problem in exc.problems:
            sys.stderr.write(f"  {problem}\n")
        return EXIT_PROBLEM
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: one clear line, the traceback only on request
        if os.environ.get(DEBUG_ENV):
            raise
        sys.stderr.write(
            f"pact-advisor: internal error ({type(exc).__name__}: {exc}). "
            f"Set {DEBUG_ENV}=1 to see the traceback, and please report it.\n"
        )
        return EXIT_PROBLEM
