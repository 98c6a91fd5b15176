"""``pact-advisor config`` and ``pact-advisor completion``: the settings in force, and shell
completion for bash and zsh."""

from __future__ import annotations

import argparse
from typing import TextIO

from pact_advisor.cli.common import emit
from pact_advisor.cli.parser import PROG, add_command
from pact_advisor.settings import dotenv_path, settings_help

SHELLS = ("bash", "zsh")
#: The shell function that completes topics and item ids (bash) and its zsh spec.
_TOPICS_FUNCTION = "_pact_advisor_topics"


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "config",
        help="show the settings in force",
        description="Show every setting, its value and where it came from: the command line, the environment, a .env file or the default. The Discord token's value is never shown.",
        example_lines=(f"{PROG} config", f"cd my-team && {PROG} config   # with my-team/.env"),
        more=settings_help(),
    )
    p.set_defaults(func=cmd_config)

    p = add_command(
        sub,
        "completion",
        help="print a shell completion script",
        description="Print the completion script for bash or zsh: commands, options, topics and item ids complete with Tab.",
        example_lines=(
            f"{PROG} completion bash > ~/.local/share/bash-completion/completions/{PROG}",
            f"{PROG} completion zsh > ~/.zfunc/_{PROG}   # with fpath+=(~/.zfunc) before compinit",
        ),
    )
    p.add_argument("shell", choices=SHELLS, help="the shell: bash or zsh")
    p.set_defaults(func=cmd_completion)


def cmd_config(args: argparse.Namespace, out: TextIO) -> int:
    settings = args.settings
    found = dotenv_path()
    emit(f".env file: {found}" if found else ".env file: none in the current folder", out)
    rows = [(s.variable, s.value, s.origin) for s in settings.shown()]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    for variable, value, origin in rows:
        emit(f"{variable:<{widths[0]}}  {value:<{widths[1]}}  ({origin})", out)
    return 0


def cmd_completion(args: argparse.Namespace, out: TextIO) -> int:
    import shtab

    from pact_advisor.checklists import checklist_topics
    from pact_advisor.cli import build_parser
    from pact_advisor.knowledge import GuidanceError, load_guidance
    from pact_advisor.resources import guidance_dir

    try:
        topics = checklist_topics(load_guidance(guidance_dir(args.settings.guidance)))
    except GuidanceError:  # complete commands and options all the same
        topics = []
    parser = build_parser()
    _complete_topics(parser, topics)
    words = " ".join(topics)
    preamble = {
        "bash": f'{_TOPICS_FUNCTION}() {{ compgen -W "{words}" -- "$1"; }}',
        "zsh": "",
    }[args.shell]
    emit(shtab.complete(parser, shell=args.shell, preamble=preamble), out)
    return 0


def _complete_topics(parser: argparse.ArgumentParser, topics: list[str]) -> None:
    """Tab after ``checklist`` or ``show`` offers the guidance's topics and ids; after
    ``--guidance`` or ``validate``, folders."""
    import shtab

    zsh = "(" + " ".join(topics) + ")"
    for action in parser._actions:
        if action.dest == "guidance":
            action.complete = shtab.DIRECTORY  # type: ignore[attr-defined]
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in sub.choices.items():
        for action in command._actions:
            if (name, action.dest) in (("checklist", "topic"), ("show", "id")):
                action.complete = {"bash": _TOPICS_FUNCTION, "zsh": zsh}  # type: ignore[attr-defined]
            elif action.dest == "guidance" or (name, action.dest) == ("validate", "dir"):
                action.complete = shtab.DIRECTORY  # type: ignore[attr-defined]
            elif (name, action.dest) == ("eval", "files"):
                action.complete = shtab.FILE  # type: ignore[attr-defined]
