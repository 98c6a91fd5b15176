"""``pact-advisor eval``: answer quality on an eval set."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from pact_advisor.cli.common import EXIT_PROBLEM, UsageError, emit, load_advisor
from pact_advisor.resources import eval_dir

#: ``--sweep`` shows the figures at these coverage thresholds.
SWEEP = [round(0.2 + 0.05 * i, 2) for i in range(13)]
#: The held-out test splits: short questions, and messages as written in a channel.
TEST_SPLITS = ("test.yaml", "test-chat.yaml")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "eval",
        help="measure answer quality on an eval set",
        description="Run eval sets and print top-1, recall@3, MRR and abstention, by language and style.",
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
    from pact_advisor.evaluation import ablation, evaluate, format_report, load_questions, sweep

    files = args.files or [eval_dir() / name for name in TEST_SPLITS]
    if args.ablation:
        splits = {str(path): _questions(load_questions, path) for path in files}
        emit(ablation(load_advisor(args).guidance, splits), out)
        return 0
    engine = load_advisor(args, eager=True).engine
    failed = False
    for path in files:
        questions = _questions(load_questions, path)
        emit(f"== {path} ({len(questions)} questions, guidance {engine.version})", out)
        if args.sweep:
            emit(sweep(engine, questions, SWEEP), out)
            continue
        report = evaluate(engine, questions)
        emit(format_report(report, show_misses=args.misses), out)
        failed = failed or bool(report.failed_bars())
    return EXIT_PROBLEM if args.check and failed else 0


def _questions(load, path: Path) -> list:
    try:
        return load(path)
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read eval file {path}: {exc}") from None
