"""Benchmark Pact Advisor against a BM25 and a sentence-embedding baseline.

One command, from the repository's root, reproduces every figure::

    python -m benchmarks.run --runs 5

It prints a Markdown report to stdout (progress goes to stderr) and writes it to
``benchmarks/results/latest.md``, with the raw figures in ``benchmarks/results/latest.json``.
``--report-only`` re-renders the report from those figures without measuring; ``--quick``
is a smoke run with a few repetitions, written to the temporary folder.

This module parses the options and runs the stages in order. Each system is measured in its
own subprocess (:mod:`benchmarks.workers`); whole commands are timed from outside
(:mod:`benchmarks.commands`); :mod:`benchmarks.machine` describes the machine and watches its
load; :mod:`benchmarks.report` renders the report. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import commands, machine, report
from benchmarks.common import RESULTS, ROOT, SYSTEMS, log
from benchmarks.workers import COLD_QUESTION, run_worker

#: Repetitions of a full run, and of a ``--quick`` smoke run.
FULL = {"runs": 5, "cold_runs": 11, "batch": 5000, "stdin_lines": 5000, "stdin_runs": 3}
QUICK = {"runs": 1, "cold_runs": 1, "batch": 200, "stdin_lines": 100, "stdin_runs": 1}
QUIET_WAIT = 180.0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0]
    )
    add = parser.add_argument
    add("--runs", type=int, help="passes for latency, batch and the long question (default 5)")
    add("--cold-runs", type=int, help="runs of each cold-start command (default 11)")
    add("--batch", type=int, help="questions in the batch figure (default 5000)")
    add("--stdin-lines", type=int, help="lines for `ask --json -` (default 5000)")
    add("--stdin-runs", type=int, help="runs of `ask --json -` (default 3)")
    add(
        "--blas",
        choices=("auto", "keep", "unset"),
        default="auto",
        help="OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE: unset them if that makes numpy faster (auto)",
    )
    add("--skip-baseline-cold", action="store_true", help="skip the baselines' cold starts")
    add("--eval-dir", default=str(ROOT / "eval"), help="folder with dev.yaml and test.yaml")
    add(
        "--quiet-wait",
        type=float,
        help="seconds to wait, before each stage, for other processes to go quiet (default 180)",
    )
    add("--question", default=COLD_QUESTION, help=argparse.SUPPRESS)
    add("--out", help="Markdown report path, the JSON beside it (default results/latest.md)")
    add(
        "--quick",
        action="store_true",
        help="smoke run: 1 run of each figure, batch 200, no waiting for a quiet machine, no "
        "baseline cold starts; the report goes to the temporary folder unless --out is given",
    )
    add(
        "--report-only",
        action="store_true",
        help="measure nothing: render the report again from the JSON beside --out",
    )
    return parser


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The options, with the defaults of a full run or of ``--quick`` filled in."""
    args = build_parser().parse_args(argv)
    for key, value in (QUICK if args.quick else FULL).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.quiet_wait is None:
        args.quiet_wait = 0.0 if args.quick else QUIET_WAIT
    if args.quick:
        args.skip_baseline_cold = True
    if args.out is None:
        folder = Path(tempfile.gettempdir()) / "pact-advisor-bench-quick" if args.quick else RESULTS
        args.out = str(folder / "latest.md")
    return args


def measure_systems(
    args: argparse.Namespace, env: dict[str, str], load: machine.LoadLog
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Each system's quality, latency and batch figures, then its peak RSS (own processes)."""
    results, rss = {}, {}
    for system in SYSTEMS:
        log(f"{system}: measuring (own process)")
        with load.stage(f"{system}: quality, latency, batch"):
            results[system] = run_worker("measure", system, args, env)
    for system in SYSTEMS:
        log(f"{system}: peak RSS (own process)")
        with load.stage(f"{system}: peak RSS"):
            rss[system] = run_worker("rss", system, args, env)
    return results, rss


def measure_start_up(
    args: argparse.Namespace, env: dict[str, str], load: machine.LoadLog, pact_cmd: list[str]
) -> dict[str, Any]:
    """Cold starts, their phases, the import profile and Pact Advisor's cProfile."""
    log(f"cold start ({args.cold_runs} runs each)")
    with load.stage("cold starts"):
        cold = commands.cold_start(args, env, pact_cmd)
    log("cold start phases and import profile")
    with load.stage("cold start phases, import and cProfile"):
        phase_runs = [
            run_worker("phases", "pact", args, env)["phases"] for _ in range(args.cold_runs)
        ]
        imports = commands.import_profile(env, pact_cmd, args.question)
        profile = run_worker("profile", "pact", args, env)
    phases = [
        {"phase": p["phase"], "ms": statistics.median(run[i]["ms"] for run in phase_runs)}
        for i, p in enumerate(phase_runs[0])
    ]
    return {
        "cold_start": cold,
        "phases": phases,
        "phases_runs": args.cold_runs,
        "import_profile": imports,
        "profile": profile,
    }


def measure(args: argparse.Namespace, command: str) -> dict[str, Any]:
    """Every figure of the report, stage after stage."""
    from pact_advisor.evaluation import load_questions
    from pact_advisor.knowledge import load_guidance
    from pact_advisor.resources import guidance_dir

    started = time.perf_counter()
    load = machine.LoadLog(args.quiet_wait)
    with load.stage("BLAS probe"):
        env, blas = machine.choose_env(args)
    log(f"BLAS: {blas['decision']}")
    info = machine.machine_info(blas)
    pact_cmd, pact_label = commands.pact_command()
    test = load_questions(Path(args.eval_dir) / "test.yaml")
    results, rss = measure_systems(args, env, load)
    start_up = measure_start_up(args, env, load, pact_cmd)
    log(f"ask --json - with {args.stdin_lines} lines")
    with load.stage("ask --json - on stdin"):
        stdin = commands.stdin_run(args, env, pact_cmd, [q.q for q in test])
    return {
        "command": command,
        "machine": info,
        "pact_command": pact_label,
        "guidance_version": load_guidance(guidance_dir()).version,
        "test_size": len(test),
        "test_in_scope": sum(1 for q in test if q.expect),
        "test_out_of_scope": sum(1 for q in test if not q.expect),
        "results": results,
        "rss": rss,
        **start_up,
        "stdin": stdin,
        "load": load.stages,
        "quiet_wait": args.quiet_wait,
        "wall_s": time.perf_counter() - started,
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    out = Path(args.out)
    figures = out.with_suffix(".json")
    if args.report_only:
        data = json.loads(figures.read_text(encoding="utf-8"))
    else:
        words = sys.argv[1:] if argv is None else argv
        data = measure(args, "python -m benchmarks.run " + " ".join(words))
        out.parent.mkdir(parents=True, exist_ok=True)
        figures.write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")
    text = report.render(data)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    if args.report_only:
        log(f"rendered {out} from {figures}")
    else:
        log(f"done in {data['wall_s']:.0f} s; wrote {out} and {figures}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
