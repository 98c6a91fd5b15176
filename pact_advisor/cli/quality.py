"""``pact-advisor eval``: answer quality on an eval set."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pact_advisor.cli.common import EXIT_PROBLEM, UsageError, emit, is_terminal, load_advisor
from pact_advisor.cli.parser import PROG, add_command
from pact_advisor.cli.progress import progress
from pact_advisor.resources import TEST_SPLITS, eval_dir

if TYPE_CHECKING:
    from pact_advisor.evaluation import Question, Report

#: ``--sweep`` shows the figures at these coverage thresholds.
SWEEP = [round(0.2 + 0.05 * i, 2) for i in range(13)]
#: The held-out test splits: short questions, and messages as written in a channel.
#: The table's columns: heading and the figure of a slice it shows.
COLUMNS = (
    ("in", "in_scope"),
    ("out", "out_of_scope"),
    ("top1", "top1"),
    ("rec@3", "recall3"),
    ("mrr", "mrr"),
    ("falseAb", "false_abstention"),
    ("oosAb", "oos_abstention"),
)


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "eval",
        help="measure answer quality on an eval set",
        description="Run eval sets and print top-1, recall@3, MRR and abstention, by language and style.",
        example_lines=(
            f"{PROG} eval",
            f"{PROG} eval eval/dev.yaml --misses",
            f"{PROG} eval --sweep eval/dev.yaml eval/dev2.yaml",
            f"{PROG} eval --check   # exit 1 if a quality bar is not met (CI)",
        ),
    )
    p.add_argument(
        "files", nargs="*", type=Path, help="eval YAML files (default: the bundled test splits)"
    )
    p.add_argument("--check", action="store_true", help="exit 1 if a quality bar is not met")
    p.add_argument("--misses", action="store_true", help="list every question answered wrongly")
    p.add_argument(
        "--sweep",
        action="store_true",
        help="show figures across coverage thresholds (for calibrating rules.yaml on the dev splits)",
    )
    p.add_argument(
        "--ablation",
        action="store_true",
        help="show figures with each part of the engine switched off in turn",
    )
    p.set_defaults(func=cmd_eval)


def cmd_eval(args: argparse.Namespace, out: TextIO) -> int:
    from pact_advisor.evaluation import ablation, evaluate, format_report, sweep

    files = args.files or [eval_dir() / name for name in TEST_SPLITS]
    splits = {path: _questions(path) for path in files}  # every file checked before any run
    if args.ablation:
        emit(ablation(load_advisor(args).guidance, {str(p): q for p, q in splits.items()}), out)
        return 0
    engine = load_advisor(args, eager=True).engine
    failed = False
    for path, questions in splits.items():
        emit(f"== {path} ({len(questions)} questions, guidance {engine.version})", out)
        if args.sweep:
            emit(sweep(engine, questions, SWEEP), out)
            continue
        with progress(f"Evaluating {path.name}", len(questions)) as advance:
            report = evaluate(engine, questions, done=advance)
        if is_terminal(out):
            print_report(report, out, show_misses=args.misses)
        else:
            emit(format_report(report, show_misses=args.misses), out)
        failed = failed or bool(report.failed_bars())
    return EXIT_PROBLEM if args.check and failed else 0


def print_report(
    report: Report, out: TextIO, *, show_misses: bool = False, width: int | None = None
) -> None:
    """``report`` as a table for a terminal, with the bars and, if asked, the misses."""
    from rich.table import Table

    from pact_advisor.evaluation import bars_line, misses_lines, report_rows
    from pact_advisor.render.console import console

    table = Table(show_edge=False, header_style="bold")
    table.add_column("slice")
    for heading, _ in COLUMNS:
        table.add_column(heading, justify="right")
    for name, scores in report_rows(report):
        cells = [_cell(getattr(scores, field)) for _, field in COLUMNS]
        table.add_row(name, *cells)
    target = console(out, width=width)
    target.print(table)
    target.print()
    failed = bool(report.failed_bars())
    target.print(bars_line(report), style="red" if failed else "green", markup=False)
    if show_misses and report.misses:
        target.print()
        for line in misses_lines(report):
            target.print(line, markup=False, highlight=False)


def _cell(value: int | float | None) -> str:
    if value is None:
        return "-"
    return str(value) if isinstance(value, int) else f"{value:.3f}"


def _questions(path: Path) -> list[Question]:
    from pact_advisor.evaluation import EvalFileError, load_questions

    try:
        return load_questions(path)
    except EvalFileError as exc:
        raise UsageError(
            f"the eval file {path} has problems:\n  " + "\n  ".join(exc.problems)
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read eval file {path}: {exc}") from None
