"""``pact-advisor eval``: answer quality on an eval set."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from pact_advisor.cli.common import EXIT_PROBLEM, UsageError, emit, load_advisor
from pact_advisor.resources import eval_dir

#: ``--sweep`` shows the figures at these answer thresholds.
SWEEP = [round(0.08 + 0.01 * i, 2) for i in range(17)]


def register(sub: argparse._SubParsersAction) -> None:
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


def cmd_eval(args: argparse.Namespace, out: TextIO) -> int:
    from pact_advisor.evaluation import evaluate, format_report, load_questions, sweep

    files = args.files or [eval_dir() / "test.yaml"]
    engine = load_advisor(args, eager=True).engine
    failed = False
    for path in files:
        try:
            questions = load_questions(path)
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot read eval file {path}: {exc}") from None
        emit(f"== {path} ({len(questions)} questions, guidance {engine.version})", out)
        if args.sweep:
            emit(sweep(engine, questions, SWEEP), out)
            continue
        report = evaluate(engine, questions)
        emit(format_report(report, show_misses=args.misses), out)
        failed = failed or bool(report.failed_bars())
    return EXIT_PROBLEM if args.check and failed else 0
