"""Measurements made inside a process of their own, one system at a time.

The runner starts each as ``python -m benchmarks.workers KIND SYSTEM --out FILE ...`` (see
:func:`run_worker`), so that the imports, threads and peak memory of one system never leak
into another's figures. A worker writes its figures to ``--out`` as JSON.

* ``measure``: quality on the test split, latency one question at a time, batch throughput
  (and, for Pact Advisor, the 100,000-character question);
* ``rss``: peak RSS after imports, after building, after answering the test split;
* ``cold``: a baseline's cold path (import, build, one answer), timed from outside;
* ``phases``: where Pact Advisor's cold start goes, phase by phase;
* ``profile``: cProfile of Pact Advisor, one question at a time and one batch.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, SYSTEMS, log, percentile, repeat_to, rss_mb

COLD_QUESTION = "what are the success factors?"


def _load_splits(eval_dir: Path) -> tuple[list[Any], list[Any]]:
    from pact_advisor.evaluation import load_questions

    return load_questions(eval_dir / "dev.yaml"), load_questions(eval_dir / "test.yaml")


def _guidance() -> Any:
    from pact_advisor.knowledge import load_guidance
    from pact_advisor.resources import guidance_dir

    return load_guidance(guidance_dir())


def _quality(report: Any) -> dict[str, Any]:
    from pact_advisor.evaluation import format_report

    return {
        "overall": asdict(report.overall),
        "fr_es": asdict(report.fr_es),
        "text": format_report(report, show_misses=False),
    }


def long_question(questions: Sequence[str], n: int = 100_000) -> str:
    """``n`` characters of pasted text: the in-scope test questions, joined and repeated."""
    text = " ".join(questions)
    return (text * (n // len(text) + 1))[:n]


# == timing inside the process ===============================================================


def time_one_at_a_time(
    questions: Sequence[str], runs: int, steps: Sequence[Callable[[Any], Any]]
) -> list[list[float]]:
    """Milliseconds of each step (and their total, first) per question, over ``runs`` passes.

    ``steps`` are chained: the first gets the question, each next one the previous result.
    One untimed pass comes first, to warm caches and compile templates.
    """
    for q in questions:
        value: Any = q
        for step in steps:
            value = step(value)
    pc = time.perf_counter_ns
    samples: list[list[float]] = [[] for _ in range(len(steps) + 1)]
    for _ in range(runs):
        gc.collect()
        for q in questions:
            value = q
            start = last = pc()
            for i, step in enumerate(steps, start=1):
                value = step(value)
                now = pc()
                samples[i].append((now - last) / 1e6)
                last = now
            samples[0].append((last - start) / 1e6)
    return samples


def summary(samples: Sequence[float], per_run: int) -> dict[str, Any]:
    """Percentiles over all samples, plus each run's p99 (runs are ``per_run`` samples long)."""
    runs = [samples[i : i + per_run] for i in range(0, len(samples), per_run)]
    return {
        "p50_ms": percentile(samples, 50),
        "p90_ms": percentile(samples, 90),
        "p99_ms": percentile(samples, 99),
        "max_ms": max(samples),
        "mean_ms": statistics.fmean(samples),
        "n": len(samples),
        "run_p99_ms": [percentile(r, 99) for r in runs],
    }


def time_batch(
    questions: Sequence[str], runs: int, steps: Sequence[Callable[[Any], Any]]
) -> dict[str, Any]:
    """Seconds for the whole batch through each step (total first), median over ``runs``."""
    totals: list[list[float]] = [[] for _ in range(len(steps) + 1)]
    for _ in range(runs):
        gc.collect()
        value: Any = questions
        start = last = time.perf_counter()
        for i, step in enumerate(steps, start=1):
            value = step(value)
            now = time.perf_counter()
            totals[i].append(now - last)
            last = now
        totals[0].append(last - start)
    n = len(questions)
    out = []
    for seconds in totals:
        median = statistics.median(seconds)
        out.append(
            {
                "seconds": median,
                "ms_per_question": median * 1000 / n,
                "questions_per_second": n / median,
                "all_seconds": seconds,
            }
        )
    return {"questions": n, "total": out[0], "steps": out[1:]}


# == the workers =============================================================================


def worker_measure(system: str, args: argparse.Namespace) -> dict[str, Any]:
    """Quality, one-at-a-time latency, batch throughput (and, for Pact, the long question)."""
    dev, test = _load_splits(Path(args.eval_dir))
    out: dict[str, Any] = {"system": system}
    if system == "pact":
        out.update(_measure_pact(args, dev, test))
    else:
        out.update(_measure_baseline(system, args, dev, test))
    return out


def _measure_pact(args: argparse.Namespace, dev: list[Any], test: list[Any]) -> dict[str, Any]:
    start = time.perf_counter()  # the build time includes importing the system
    from benchmarks.systems import PactSystem

    pact = PactSystem()
    out: dict[str, Any] = {"build_s": time.perf_counter() - start}
    from pact_advisor.evaluation import evaluate

    out["quality"] = {"engine": _quality(evaluate(pact.engine, test))}
    out["dev_quality"] = _quality(evaluate(pact.engine, dev))["overall"]
    test_qs = [q.q for q in test]
    batch_qs = repeat_to(test_qs, args.batch)
    log(f"pact: quality done; latency ({args.runs} x {len(test_qs)} questions)")
    engine, render = pact.engine, pact.render
    samples = time_one_at_a_time(test_qs, args.runs, [engine.ask, render])
    n = len(test_qs)
    out["latency"] = {
        "total": summary(samples[0], n),
        "engine": summary(samples[1], n),
        "render": summary(samples[2], n),
    }
    log(f"pact: batch ({args.runs} x {len(batch_qs)} questions)")
    out["batch"] = time_batch(
        batch_qs, args.runs, [engine.ask_many, lambda rs: [render(r) for r in rs]]
    )
    text = long_question([q.q for q in test if q.expect])
    out["long_question"] = _time_long_question(engine, render, text, args.runs)
    return out


def _time_long_question(engine: Any, render: Any, text: str, runs: int) -> dict[str, Any]:
    """Engine and rendering on one pasted ``text``: ``runs`` timed runs after an untimed one."""
    times = []
    for _ in range(runs + 1):
        t0 = time.perf_counter()
        result = engine.ask(text)
        rendered = render(result)
        times.append((time.perf_counter() - t0) * 1000)
    return {
        "chars": len(text),
        "median_ms": statistics.median(times[1:]),
        "max_ms": max(times[1:]),
        "first_ms": times[0],
        "answered": result.answered,
        "output_chars": len(rendered),
    }


def _measure_baseline(
    system: str, args: argparse.Namespace, dev: list[Any], test: list[Any]
) -> dict[str, Any]:
    start = time.perf_counter()  # the build time includes importing the system
    from benchmarks.systems import BASELINES, Thresholded, calibrate

    ranker = BASELINES[system](_guidance())
    out: dict[str, Any] = {"build_s": time.perf_counter() - start}
    log(f"{system}: calibrating on dev")
    calibration = calibrate(ranker, dev)
    out["calibration"] = calibration
    from pact_advisor.evaluation import evaluate

    cache: dict[str, Any] = {}
    out["quality"] = {
        point: _quality(evaluate(Thresholded(ranker, calibration[point]["threshold"], cache), test))
        for point in ("balanced", "oos-bar")
    }
    threshold = calibration["balanced"]["threshold"]
    test_qs = [q.q for q in test]
    batch_qs = repeat_to(test_qs, args.batch)
    log(f"{system}: latency ({args.runs} x {len(test_qs)} questions)")
    samples = time_one_at_a_time(test_qs, args.runs, [lambda q: ranker.answer_many([q], threshold)])
    out["latency"] = {"total": summary(samples[0], len(test_qs))}
    log(f"{system}: batch ({args.runs} x {len(batch_qs)} questions)")
    out["batch"] = time_batch(batch_qs, args.runs, [lambda qs: ranker.answer_many(qs, threshold)])
    return out


def worker_rss(system: str, args: argparse.Namespace) -> dict[str, Any]:
    """Peak RSS after imports, after building, and after answering the test split."""
    out = {"system": system, "start_mb": rss_mb()}
    import pact_advisor.knowledge

    if system == "pact":
        import pact_advisor.engine
        import pact_advisor.render  # noqa: F401
    elif system == "bm25":
        import bm25s  # noqa: F401
    else:
        os.environ.update(
            HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HF_HUB_DISABLE_PROGRESS_BARS="1"
        )
        import sentence_transformers  # noqa: F401
        import torch  # noqa: F401
    out["after_import_mb"] = rss_mb()
    _, test = _load_splits(Path(args.eval_dir))
    test_qs = [q.q for q in test]
    if system == "pact":
        from benchmarks.systems import PactSystem

        pact = PactSystem()
        out["after_build_mb"] = rss_mb()
        texts = pact.answer_many(test_qs)
        out["answered"] = len(texts)
    else:
        from benchmarks.systems import BASELINES

        ranker = BASELINES[system](_guidance())
        out["after_build_mb"] = rss_mb()
        out["answered"] = len(ranker.answer_many(test_qs, 0.0))
    out["peak_mb"] = rss_mb()
    return out


def worker_cold(system: str, args: argparse.Namespace) -> dict[str, Any]:
    """A baseline's cold path: import, build, answer one question (timed from outside)."""
    from benchmarks.systems import BASELINES

    ranker = BASELINES[system](_guidance())
    answer = ranker.answer_many([args.question], float("-inf"))[0]
    print(f"{answer.matches[0].id}")
    return {"system": system, "top": answer.matches[0].id}


def worker_phases(system: str, args: argparse.Namespace) -> dict[str, Any]:
    """Where Pact Advisor's cold start goes, phase by phase, in a fresh process."""
    pc = time.perf_counter
    marks = [("start", pc())]
    import pact_advisor.cli  # noqa: F401

    marks.append(("import pact_advisor.cli (pydantic, yaml)", pc()))
    from pact_advisor.engine import Engine

    marks.append(("import pact_advisor.engine (sklearn, numpy, scipy)", pc()))
    from pact_advisor.render import Renderer

    marks.append(("import pact_advisor.render (jinja2)", pc()))
    from pact_advisor.knowledge import load_guidance
    from pact_advisor.resources import guidance_dir

    guidance = load_guidance(guidance_dir())
    marks.append(("load_guidance (YAML + validation) [uncached path]", pc()))
    engine = Engine(guidance)
    marks.append(("Engine(guidance) (TF-IDF fit) [uncached path]", pc()))
    try:
        from pact_advisor.engine.cache import default_cache_dir, load_engine
    except ImportError:  # a tree without the fitted-index cache
        pass
    else:
        cache_dir = default_cache_dir()
        if cache_dir is not None:
            marks.append(("import pact_advisor.engine.cache", pc()))
            engine = load_engine(guidance_dir(), cache_dir)
            marks.append(("load_engine from the warm cache [what the CLI does]", pc()))
    renderer = Renderer(guidance)
    marks.append(("Renderer(guidance)", pc()))
    result = engine.ask(args.question)
    marks.append(("first engine.ask", pc()))
    from pact_advisor.app import Advisor

    advisor = Advisor(guidance, renderer, engine)
    advisor.text(advisor.answer_of(result), target="terminal")
    marks.append(("first answer rendered (template compile)", pc()))
    return {
        "phases": [
            {"phase": name, "ms": (t - marks[i][1]) * 1000} for i, (name, t) in enumerate(marks[1:])
        ]
    }


def worker_profile(system: str, args: argparse.Namespace) -> dict[str, Any]:
    """cProfile of Pact Advisor: the test split one question at a time, and one batch."""
    import cProfile
    import io
    import pstats

    from benchmarks.systems import PactSystem

    _, test = _load_splits(Path(args.eval_dir))
    test_qs = [q.q for q in test]
    pact = PactSystem()
    pact.answer_many(test_qs)  # warm

    def top(profile: cProfile.Profile, n: int = 14) -> str:
        buffer = io.StringIO()
        pstats.Stats(profile, stream=buffer).strip_dirs().sort_stats("tottime").print_stats(n)
        text = buffer.getvalue()
        return text[text.find("   ncalls") :].rstrip()

    one = cProfile.Profile()
    one.enable()
    for q in test_qs:
        pact.answer_one(q)
    one.disable()
    batch = cProfile.Profile()
    batch_qs = repeat_to(test_qs, args.batch)
    batch.enable()
    pact.answer_many(batch_qs)
    batch.disable()
    return {"one_at_a_time": top(one), "batch": top(batch), "batch_size": len(batch_qs)}


WORKERS: dict[str, Callable[[str, argparse.Namespace], dict[str, Any]]] = {
    "profile": worker_profile,
    "measure": worker_measure,
    "rss": worker_rss,
    "cold": worker_cold,
    "phases": worker_phases,
}


# == starting one, and being one =============================================================


def worker_command(
    kind: str,
    system: str,
    *,
    out: str | None = None,
    eval_dir: str,
    question: str,
    runs: int = 1,
    batch: int = 1,
) -> list[str]:
    """The command line of one worker; run it with the repository's root as working folder."""
    cmd = [sys.executable, "-m", "benchmarks.workers", kind, system]
    if out is not None:
        cmd += ["--out", out]
    return [
        *cmd,
        *("--runs", str(runs), "--batch", str(batch)),
        *("--eval-dir", str(eval_dir), "--question", question),
    ]


def run_worker(
    kind: str, system: str, args: argparse.Namespace, env: dict[str, str]
) -> dict[str, Any]:
    """Run one worker in a fresh process with ``env`` and return the figures it wrote."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        cmd = worker_command(
            kind,
            system,
            out=str(out),
            eval_dir=args.eval_dir,
            question=args.question,
            runs=args.runs,
            batch=args.batch,
        )
        proc = subprocess.run(
            cmd, env=env, stdout=subprocess.PIPE, text=True, check=False, cwd=ROOT
        )
        if proc.returncode != 0:
            raise SystemExit(f"worker {kind} {system} failed with exit status {proc.returncode}")
        return json.loads(out.read_text(encoding="utf-8"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="One benchmark worker (started by the runner).")
    parser.add_argument("kind", choices=sorted(WORKERS))
    parser.add_argument("system", choices=SYSTEMS)
    parser.add_argument("--out", help="where to write the figures (JSON); none if omitted")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--eval-dir", default=str(ROOT / "eval"))
    parser.add_argument("--question", default=COLD_QUESTION)
    args = parser.parse_args(argv)
    result = WORKERS[args.kind](args.system, args)
    if args.out:
        Path(args.out).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
