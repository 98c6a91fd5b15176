"""The engine's cost per question, in process and through ``pact-advisor ask --json -``.

Several runs of each figure; each is reported as the median of the runs and their min-max:

* ``ask``: ``Engine.ask`` one question at a time over the test split (p50 and p99 of each run);
* ``ask_many``: ``Engine.ask_many`` in batches of ``--batch-size`` over ``--questions`` test
  questions (the split repeated), milliseconds per question;
* ``ask+text``: one question through the engine and the terminal rendering, as
  :func:`benchmarks.workers.time_one_at_a_time` times it (p50 and p99);
* ``stdin``: ``pact-advisor ask --json -`` on ``--questions`` lines and on one line, with this
  interpreter's ``pact-advisor``: ``(T(N) - T(1)) / (N - 1)`` per question.

Run from the repository's root::

    python -m benchmarks.engine_speed --runs 5
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence

from benchmarks.common import ROOT, log, percentile, repeat_to
from benchmarks.workers import time_one_at_a_time


def _spread(values: Sequence[float]) -> str:
    return f"{statistics.median(values):.3f} ({min(values):.3f}-{max(values):.3f})"


def _per_run(samples: list[float], per_run: int, q: float) -> list[float]:
    return [percentile(samples[i : i + per_run], q) for i in range(0, len(samples), per_run)]


def in_process(questions: list[str], runs: int, total: int, batch: int) -> dict[str, list]:
    from benchmarks.systems import PactSystem

    pact = PactSystem()
    engine = pact.engine
    n = len(questions)
    out: dict[str, list] = {}
    samples = time_one_at_a_time(questions, runs, [engine.ask])[0]
    out["ask p50 ms"], out["ask p99 ms"] = _per_run(samples, n, 50), _per_run(samples, n, 99)
    samples = time_one_at_a_time(questions, runs, [engine.ask, pact.render])[0]
    out["ask+text p50 ms"] = _per_run(samples, n, 50)
    out["ask+text p99 ms"] = _per_run(samples, n, 99)
    many = repeat_to(questions, total)
    engine.ask_many(many[:batch])
    out[f"ask_many (batches of {batch}) ms/q"] = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        for i in range(0, len(many), batch):
            engine.ask_many(many[i : i + batch])
        out[f"ask_many (batches of {batch}) ms/q"].append(
            (time.perf_counter() - start) * 1000 / len(many)
        )
    return out


def stdin(questions: list[str], runs: int, total: int) -> dict[str, list]:
    from benchmarks.commands import pact_command, timed_run
    from pact_advisor.resources import CACHE_ENV

    cmd = [*pact_command()[0], "ask", "--json", "-"]
    lines = [" ".join(q.split()) for q in repeat_to(questions, total)]
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as cache:
        env[CACHE_ENV] = cache
        timed_run(cmd, env, stdin=lines[0] + "\n")  # fills the start-up cache
        per_question, ones, alls = [], [], []
        for _ in range(runs):
            one, _ = timed_run(cmd, env, stdin=lines[0] + "\n")
            every, out = timed_run(cmd, env, stdin="\n".join(lines) + "\n")
            assert sum(1 for line in out.splitlines() if json.loads(line)) == len(lines)
            ones.append(one * 1000)
            alls.append(every * 1000)
            per_question.append((every - one) * 1000 / (len(lines) - 1))
    return {
        "stdin T(1) ms": ones,
        f"stdin T({len(lines)}) ms": alls,
        "stdin ms/q": per_question,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--skip-stdin", action="store_true")
    args = parser.parse_args(argv)

    from pact_advisor.evaluation import load_questions

    questions = [q.q for q in load_questions(ROOT / "eval" / "test.yaml")]
    log(f"in process: {args.runs} runs", "engine")
    figures = in_process(questions, args.runs, args.questions, args.batch_size)
    if not args.skip_stdin:
        log(f"ask --json -: {args.runs} runs", "engine")
        figures.update(stdin(questions, args.runs, args.questions))
    print(f"{'figure':40} median (min-max) over {args.runs} runs")
    for name, values in figures.items():
        print(f"{name:40} {_spread(values)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
