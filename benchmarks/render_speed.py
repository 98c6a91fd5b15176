"""What rendering an answer costs, apart from answering it.

    python -m benchmarks.render_speed [--runs 5] [--stdin-lines 5000] [--stdin-runs 3]
                                       [--profile N]

The eval questions (every split, ``eval/*.yaml``) are answered once, without and with a
context (partner Morocco, sector agriculture), in English, French and Spanish; then, in each
of ``--runs`` passes, every answer is rendered as terminal text (``Advisor.text``) and as a
Discord message (``Advisor.message``), each rendering timed on its own. Per pass: the mean,
p50 and p99 per answer (wall clock), and p50 and p99 of this thread's CPU time; over the
passes: the median and the range. Then
``pact-advisor ask --json -`` per question, ``(T(N) - T(1)) / (N - 1)`` over ``N`` lines of
``eval/test.yaml``, ``--stdin-runs`` times (see :mod:`benchmarks.startup`).

``--profile N`` prints a cProfile of rendering the first ``N`` answers (both targets) instead.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from typing import Any

from benchmarks.common import log, percentile
from benchmarks.render_digest import CONTEXTS, questions
from pact_advisor.app import Advisor, Answer
from pact_advisor.resources import guidance_dir

LANGUAGES = ("en", "fr", "es")


def answers(advisor: Advisor) -> list[Answer]:
    """Every eval question answered without and with a context, in every language."""
    out = []
    for context in CONTEXTS:
        results = advisor.engine.ask_many(questions(), context=context)
        for result in results:
            out.extend(advisor.answer_of(result, language=lang) for lang in LANGUAGES)
    return out


def _timed(
    render: Callable[[Answer], Any], shown: Sequence[Answer]
) -> tuple[list[float], list[float]]:
    """Each rendering's wall-clock and CPU time (this thread's), in ms. On a busy machine the
    wall clock's p99 is mostly the scheduler's; the CPU time is the rendering's own."""
    wall, cpu = [], []
    clock, cpu_clock = time.perf_counter, time.thread_time
    for answer in shown:
        start, start_cpu = clock(), cpu_clock()
        render(answer)
        cpu.append((cpu_clock() - start_cpu) * 1000)
        wall.append((clock() - start) * 1000)
    return wall, cpu


def passes(advisor: Advisor, shown: Sequence[Answer], runs: int) -> dict[str, Any]:
    """Per target, each pass's mean, p50 and p99 in ms per answer, and their medians."""
    targets: dict[str, Callable[[Answer], Any]] = {
        "text": advisor.text,
        "message": advisor.message,
    }
    for render in targets.values():  # warm: templates compiled, caches filled
        _timed(render, shown)
    figures: dict[str, Any] = {}
    for name, render in targets.items():
        per_pass = []
        for _ in range(runs):
            wall, cpu = _timed(render, shown)
            per_pass.append(
                {
                    "mean": statistics.fmean(wall),
                    "p50": percentile(wall, 50),
                    "p99": percentile(wall, 99),
                    "cpu_p50": percentile(cpu, 50),
                    "cpu_p99": percentile(cpu, 99),
                }
            )
        figures[name] = {
            stat: {
                "median": statistics.median(p[stat] for p in per_pass),
                "min": min(p[stat] for p in per_pass),
                "max": max(p[stat] for p in per_pass),
            }
            for stat in per_pass[0]
        }
    return figures


def profile(advisor: Advisor, shown: Sequence[Answer], n: int) -> None:
    subset = list(shown[:n])
    for answer in subset:
        advisor.text(answer), advisor.message(answer)
    profiler = cProfile.Profile()
    profiler.enable()
    for answer in subset:
        advisor.text(answer)
        advisor.message(answer)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(40)


def stdin_cost(lines: int, runs: int) -> dict[str, Any]:
    from benchmarks.commands import pact_command
    from benchmarks.startup import stdin

    pact, _ = pact_command()
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "PACT_ADVISOR_CACHE": cache}
        return stdin(lines, runs, env, pact)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.render_speed", description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--stdin-lines", type=int, default=5000)
    parser.add_argument("--stdin-runs", type=int, default=3, help="0 leaves the command out")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args(argv)
    advisor = Advisor.load(guidance_dir(), eager=True)
    shown = answers(advisor)
    if args.profile:
        profile(advisor, shown, args.profile)
        return 0
    log(f"{len(shown)} answers, {args.runs} passes", "render")
    figures = passes(advisor, shown, args.runs)
    print(f"{len(shown)} answers; ms per answer over {args.runs} passes: median (min-max)")
    for target, stats in figures.items():
        for stat, s in stats.items():
            print(f"  {target:8} {stat:8} {s['median']:.4f} ({s['min']:.4f}-{s['max']:.4f})")
    if args.stdin_runs:
        s = stdin_cost(args.stdin_lines, args.stdin_runs)
        per = s["ms_per_question"]
        print(
            f"ask --json - over {s['lines']} lines, {s['runs']} runs: "
            f"{per['median']:.3f} ms per question (min {per['min']:.3f}); "
            f"T(1) {s['t1_s']['median']:.3f} s, T(N) {s['tn_s']['median']:.3f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
