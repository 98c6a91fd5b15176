"""Commands for curators: ``coverage`` of the source documents, ``curate add-example``, and
the quality gate behind ``validate --gate``."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TextIO

from pact_advisor.cli.common import EXIT_PROBLEM, EXIT_USAGE, emit, valid_text
from pact_advisor.cli.parser import PROG, add_command
from pact_advisor.resources import guidance_dir


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "coverage",
        help="source passages no item quotes",
        description="List, for each source document in guidance/sources/, the passages (sentences and bullet points) that no item quotes, and the share covered.",
        example_lines=(f"{PROG} coverage", f"{PROG} coverage --min 95   # exit 1 below 95%"),
    )
    p.add_argument("dir", nargs="?", help="guidance folder (default: the guidance in use)")
    p.add_argument(
        "--min",
        type=float,
        metavar="PERCENT",
        help="exit 1 if any document is covered less than this share",
    )
    p.set_defaults(func=cmd_coverage)

    p = add_command(
        sub,
        "curate",
        help="attach a question to the item that should answer it",
        description="Add a question to an item's examples and to regressions.yaml, keeping the files' comments and layout, then run the quality gate: the edit is kept only if the guidance still passes, and undone otherwise.",
        example_lines=(
            f'{PROG} curate add-example diaspora.umbrella-networks "who funds diaspora federations?"',
        ),
    )
    actions = p.add_subparsers(
        dest="action", metavar="ACTION", required=True, help="add-example: attach a question"
    )
    add = actions.add_parser("add-example", help="add an example question to an item")
    add.add_argument(
        "item", metavar="ITEM_ID", type=valid_text, help="the item that should answer the question"
    )
    add.add_argument("question", type=valid_text, help="the question, as the member asked it")
    p.set_defaults(func=cmd_curate)


def cmd_coverage(args: argparse.Namespace, out: TextIO) -> int:
    from pact_advisor.knowledge.coverage import coverage

    if args.min is not None and not 0 <= args.min <= 100:
        emit(f"{PROG}: --min must be a percentage between 0 and 100", out)
        return EXIT_USAGE
    from pact_advisor.knowledge import load_guidance

    guidance = load_guidance(guidance_dir(args.dir or args.settings.guidance))
    if not guidance.sources:
        emit("No source documents in sources/: nothing to cover.", out)
        return EXIT_PROBLEM if args.min else 0
    below = False
    for found in coverage(guidance):
        share = 100 * found.share
        covered = len(found.passages) - len(found.uncovered)
        emit(
            f"{found.document.id}: {share:.1f}% covered "
            f"({covered} of {len(found.passages)} passages, {len(found.items)} items)",
            out,
        )
        for passage in found.uncovered:
            emit(f"  {found.document.file}:{passage.line}: {passage.text}", out)
        below = below or (args.min is not None and share < args.min)
    return EXIT_PROBLEM if below else 0


def cmd_curate(args: argparse.Namespace, out: TextIO) -> int:
    from pact_advisor.app import Advisor
    from pact_advisor.gate import run_gate
    from pact_advisor.knowledge.curate import CurationError, add_example, clean_question, item_file

    directory = guidance_dir(args.settings.guidance)
    cache = args.settings.cache_dir
    try:  # a mistyped id or an empty question is told before anything is loaded
        item_file(directory, args.item)
        clean_question(args.question)
    except CurationError as exc:
        emit(f"{PROG}: {exc}", out)
        return EXIT_USAGE
    current = Advisor.load(directory, cache_dir=cache, eager=True)
    try:
        edit = add_example(directory, args.item, args.question)
    except CurationError as exc:
        emit(f"{PROG}: {exc}", out)
        return EXIT_USAGE
    report = run_gate(directory, current=current, cache_dir=cache)
    if not report.passed:
        edit.undo()
        emit(f"Not added: the quality gate failed, and {_files(edit)} are as they were.", out)
        print_gate(report, out)
        return EXIT_PROBLEM
    emit(f"Added to {args.item} ({_files(edit)}); guidance version {report.advisor.version}.", out)
    print_gate(report, out)
    return 0


def _files(edit) -> str:
    return " and ".join(path.name for path in edit.paths)


def print_gate(report, out: TextIO) -> None:
    """The gate's findings: why it failed, and which answers would change."""
    for reason in report.reasons():
        emit(f"  {reason}", out)
    if report.changes:
        emit("Answers that change (before → after):", out)
        for change in report.changes:
            emit(f"  {change}", out)
    if report.passed:
        checked = ", ".join(f"{n} {k}" for k, n in report.checked.items())
        emit(f"Gate passed ({checked} questions checked).", out)


def overdue_warnings(guidance, today: dt.date | None = None) -> list[str]:
    """The review-date warnings ``validate`` prints."""
    from pact_advisor.knowledge.review import describe, due_for_review

    today = today or dt.date.today()
    return [describe(d) for d in due_for_review(guidance.items.values(), today)]


def gate(directory, args: argparse.Namespace, out: TextIO) -> bool:
    """``validate --gate``: run the quality gate on ``directory``; whether it passed."""
    from pact_advisor.gate import run_gate

    report = run_gate(directory, cache_dir=args.settings.cache_dir)
    if not report.passed:
        emit("GATE FAILED:", out)
    print_gate(report, out)
    return report.passed
