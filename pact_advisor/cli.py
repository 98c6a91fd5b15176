"""The ``pact-advisor`` command line: a thin shell over the application layer."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pact_advisor import __version__
from pact_advisor.knowledge import Context, GuidanceError, load_guidance
from pact_advisor.resources import guidance_dir

if TYPE_CHECKING:
    from pact_advisor.app import Advisor

#: Exit codes: 1 for a problem with the guidance or a failed check, 2 for a usage error.
EXIT_PROBLEM = 1
EXIT_USAGE = 2
#: Set to show the traceback of an internal error.
DEBUG_ENV = "PACT_ADVISOR_DEBUG"
#: Questions read from standard input are answered in batches of this many.
BATCH = 256


class UsageError(Exception):
    """Bad input from the user: printed with a hint, exit status 2."""


# -- shared helpers ------------------------------------------------------------------------


def _advisor(args: argparse.Namespace, *, eager: bool = False) -> Advisor:
    from pact_advisor.app import Advisor

    return Advisor.load(args.guidance, eager=eager)


def _context(args: argparse.Namespace) -> Context:
    return Context.of(
        partner=getattr(args, "partner", None),
        sector=getattr(args, "sector", None),
        programme=getattr(args, "programme", None),
    )


def _print(text: str, out: TextIO) -> None:
    out.write(text.rstrip("\n") + "\n")
    # Show the answer now, not after the interpreter has finished tearing down.
    out.flush()


# -- commands ------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    directory = guidance_dir(args.dir or args.guidance)
    try:
        guidance = load_guidance(directory)
    except GuidanceError as exc:
        for problem in exc.problems:
            _print(str(problem), out)
        noun = "problem" if len(exc.problems) == 1 else "problems"
        _print(f"FAILED: {len(exc.problems)} {noun} in {directory}", out)
        return EXIT_PROBLEM
    counts = guidance.counts()
    _print(
        f"OK: {sum(counts.values())} items in {len(counts)} collections "
        f"(guidance version {guidance.version})",
        out,
    )
    width = max(len(c) for c in counts)
    for collection, count in counts.items():
        _print(f"  {collection:<{width}}  {count}", out)
    return 0


def _questions_from_stdin(stream: TextIO) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in stream:
        batch.append(line.rstrip("\r\n"))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def cmd_ask(args: argparse.Namespace, out: TextIO) -> int:
    question = " ".join(args.question)
    from_stdin = question == "-"
    if not from_stdin and not question.strip():
        raise UsageError(
            'ask needs a question, e.g. pact-advisor ask "what are the success factors?"'
        )
    advisor = _advisor(args, eager=True)
    context = _context(args)

    def emit(answers) -> None:
        for answer in answers:
            text = advisor.text(answer)
            if args.json:
                payload = answer.result.as_dict()
                payload["text"] = text
                out.write(json.dumps(payload, ensure_ascii=False) + "\n")
            else:
                _print(text, out)
                if from_stdin:
                    out.write("\n")

    if from_stdin:
        for batch in _questions_from_stdin(args.stdin):
            emit(advisor.answer_many(batch, context, detail=args.detail))
            out.flush()
    else:
        emit([advisor.answer(question, context=context, detail=args.detail)])
    return 0


def cmd_checklist(args: argparse.Namespace, out: TextIO) -> int:
    from pact_advisor.checklists import UnknownTopic

    advisor = _advisor(args)
    try:
        checklist = advisor.checklist(args.topic, _context(args))
    except UnknownTopic as exc:
        sys.stderr.write(f"unknown topic {args.topic!r}. Valid topics:\n")
        for topic in exc.topics:
            sys.stderr.write(f"  {topic}\n")
        return EXIT_USAGE
    if args.format == "json":
        out.write(json.dumps(checklist.as_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        _print(advisor.renderer.render_checklist(checklist, fmt=args.format), out)
    return 0


def cmd_topics(args: argparse.Namespace, out: TextIO) -> int:
    _print(_advisor(args).renderer.render_topics(), out)
    return 0


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    advisor = _advisor(args)
    if args.id not in advisor.guidance.items:
        sys.stderr.write(f"unknown item {args.id!r}; `pact-advisor topics` lists them\n")
        return EXIT_USAGE
    _print(advisor.renderer.render_item(args.id, _context(args)), out)
    return 0


def cmd_chat(args: argparse.Namespace, out: TextIO) -> int:
    advisor = _advisor(args, eager=True)
    context = _context(args)
    stream: TextIO = args.stdin
    interactive = stream.isatty()
    if interactive:
        _print(
            'Pact Advisor. Ask a question; "checklist" turns the last answer into one; "quit" leaves.',
            out,
        )
    previous = None
    while True:
        if interactive:
            out.write("you> ")
            out.flush()
        line = stream.readline()
        if not line:
            break
        question = line.strip()
        if not question:
            continue
        if question.lower() in ("quit", "exit", "q", ":q", "bye"):
            break
        answer = advisor.answer(question, previous, context)
        _print(advisor.text(answer), out)
        out.write("\n")
        out.flush()
        if answer.result.answered:
            previous = answer.result.turn()
    return 0


def cmd_eval(args: argparse.Namespace, out: TextIO) -> int:
    from pact_advisor.evaluation import evaluate, format_report, load_questions, sweep

    files = args.files or [_default_eval_file()]
    engine = _advisor(args, eager=True).engine
    failed = False
    for path in files:
        try:
            questions = load_questions(path)
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot read eval file {path}: {exc}") from None
        _print(f"== {path} ({len(questions)} questions, guidance {engine.version})", out)
        if args.sweep:
            steps = [round(0.08 + 0.01 * i, 2) for i in range(17)]
            _print(sweep(engine, questions, steps), out)
            continue
        report = evaluate(engine, questions)
        _print(format_report(report, show_misses=args.misses), out)
        failed = failed or bool(report.failed_bars())
    return EXIT_PROBLEM if args.check and failed else 0


def _default_eval_file() -> Path:
    from pact_advisor.resources import eval_dir

    return eval_dir() / "test.yaml"


def cmd_bot(args: argparse.Namespace, out: TextIO) -> int:
    from pact_advisor.discord_bot.run import run_bot

    return run_bot(guidance_dir=args.guidance)


def cmd_sync(args: argparse.Namespace, out: TextIO) -> int:
    from pact_advisor.discord_bot.run import sync_commands

    return sync_commands(guild_id=args.guild, guidance_dir=args.guidance)


# -- parser --------------------------------------------------------------------------------


def _add_context(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--partner", help="partner country the advice is for, e.g. Morocco")
    parser.add_argument("--sector", help="sector the partnership targets, e.g. agriculture")
    parser.add_argument("--programme", help="programme or instrument, e.g. MPF")


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

    p = sub.add_parser(
        "ask",
        help="answer one question",
        description="Answer a question with advice, the source quoted and cited.",
    )
    p.add_argument(
        "question",
        nargs="*",
        help='the question, in quotes; "-" reads one question per line from standard input',
    )
    p.add_argument("--json", action="store_true", help="print one JSON object per question")
    p.add_argument("--detail", action="store_true", help="show the full item, not just the advice")
    _add_context(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser(
        "chat",
        help="interactive conversation with follow-ups",
        description='Ask questions in a loop. Follow-ups such as "tell me more", "what about Morocco?" or "checklist" refer to the last answer; "quit" leaves.',
    )
    _add_context(p)
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser(
        "checklist",
        help="a checklist for a topic",
        description="Print a checklist for a collection, an item or the composite `readiness` review, filled in for a partner country, sector and programme.",
    )
    p.add_argument("topic", help="a collection id, an item id, or readiness")
    _add_context(p)
    p.add_argument(
        "--format",
        choices=("text", "md", "json"),
        default="text",
        help="output format (default: text; md is a GitHub task list)",
    )
    p.set_defaults(func=cmd_checklist)

    p = sub.add_parser(
        "topics",
        help="list collections and items",
        description="List the guidance collections and their items, with ids.",
    )
    p.set_defaults(func=cmd_topics)

    p = sub.add_parser(
        "show",
        help="show one guidance item",
        description="Show everything about one guidance item: summary, advice, quote, source, checklist.",
    )
    p.add_argument("id", help="item id, e.g. diaspora.umbrella-networks")
    _add_context(p)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser(
        "validate",
        help="check a guidance folder",
        description="Validate a guidance folder and report every problem with file, line and field.",
    )
    p.add_argument("dir", nargs="?", help="folder to check (default: the guidance in use)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "eval",
        help="measure answer quality on an eval set",
        description="Run eval sets and print top-1, recall@3, MRR and abstention, by language and style.",
    )
    p.add_argument(
        "files", nargs="*", type=Path, help="eval YAML files (default: the bundled test split)"
    )
    p.add_argument("--check", action="store_true", help="exit 1 if a quality bar is not met")
    p.add_argument("--misses", action="store_true", help="list every question answered wrongly")
    p.add_argument(
        "--sweep",
        action="store_true",
        help="show figures across answer thresholds (for calibrating rules.yaml on the dev split)",
    )
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser(
        "bot",
        help="run the Discord bot",
        description="Run the Discord bot. Settings come from the environment or a .env file: DISCORD_TOKEN, PACT_ADVISOR_DB, PACT_ADVISOR_DEV_GUILD, PACT_ADVISOR_LOG_LEVEL.",
    )
    p.set_defaults(func=cmd_bot)

    p = sub.add_parser(
        "sync",
        help="sync slash commands with Discord",
        description="Sync the bot's slash commands with Discord, globally or to one guild.",
    )
    p.add_argument(
        "--guild",
        type=int,
        metavar="ID",
        help="sync to this guild only (instant) instead of globally",
    )
    p.set_defaults(func=cmd_sync)
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
