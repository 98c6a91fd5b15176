"""The argument parser every command is built on.

- Global options (``--guidance DIR``) work before or after the command.
- An unknown command gets "did you mean".
- Every command's help ends with examples, kept as written.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from pact_advisor.knowledge.lookup import suggest

PROG = "pact-advisor"


class HelpFormatter(argparse.HelpFormatter):
    """Wraps descriptions as usual, but keeps text laid out in lines (examples, settings)."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line + "\n" for line in text.splitlines()).rstrip("\n")
        return super()._fill_text(text, width, indent)


class Parser(argparse.ArgumentParser):
    """An argument parser that suggests the command meant when one is mistyped."""

    def _check_value(self, action: argparse.Action, value: object) -> None:
        if (
            isinstance(action, argparse._SubParsersAction)
            and isinstance(value, str)
            and value not in action.choices
        ):
            close = suggest(value, {name: name for name in action.choices}, n=3)
            hint = f" Did you mean {either(close)}?" if close else ""
            raise argparse.ArgumentError(
                action, f"unknown command {value!r}.{hint} `{PROG}` lists the commands."
            )
        super()._check_value(action, value)


def either(names: Sequence[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    names = list(names)
    return " or ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " or " + names[-1]


def add_global_options(parser: argparse.ArgumentParser, *, on_command: bool) -> None:
    """The options every command takes. On a command they default to "not given", so that
    one given before the command is not overwritten."""
    default = argparse.SUPPRESS if on_command else None
    parser.add_argument(
        "--guidance",
        metavar="DIR",
        default=default,
        help="guidance folder to use (default: $PACT_ADVISOR_GUIDANCE, else the bundled guidance)",
    )


def examples(*lines: str) -> str:
    """An "examples:" block for a command's help: each line a command, or ``# comment``."""
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def add_command(
    sub: argparse._SubParsersAction,
    name: str,
    *,
    help: str,
    description: str,
    example_lines: Sequence[str],
    more: str = "",
) -> argparse.ArgumentParser:
    """A command with its help, description and examples, taking the global options."""
    epilog = examples(*example_lines) + (f"\n\n{more}" if more else "")
    parser = sub.add_parser(
        name,
        help=help,
        description=description,
        epilog=epilog,
        formatter_class=HelpFormatter,
    )
    add_global_options(parser, on_command=True)
    return parser
