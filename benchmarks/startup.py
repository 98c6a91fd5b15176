"""Start-up and batch cost of the commands people run, timed exit to exit.

    python -m benchmarks.startup [--runs 15] [--lines 2000] [--stdin-runs 5]

* warm ``pact-advisor ask QUESTION`` (start-up cache filled first), interleaved with the two
  yardsticks, each from process start to exit: the import of scikit-learn's TfidfVectorizer,
  and the import of NumPy and scipy.sparse (what an engine that scores with arrays must pay);
* ``pact-advisor topics`` against the import of jinja2, yaml and pydantic;
* the floors: the import of the libraries each command cannot start without (pydantic's
  ``BaseModel`` among them), which bounds each ratio from below whatever the program itself
  does;
* the peak RSS of each (the child's own, from ``wait4``);
* ``pact-advisor ask --json -``: the cost per question of the command itself,
  ``(T(N) - T(1)) / (N - 1)`` for N stdin lines, so the start-up is not spread over the batch,
  in wall time and in CPU time (its workers' included), as it runs by default (one worker per
  core) and with ``--jobs 1``;
* one question at a time in a warm process (answer and its text): p50, p90, p99.

Needs only the project (no ``bench`` extra). Writes ``results/startup.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.commands import (
    ASK_FLOOR,
    LISTING_FLOOR,
    LISTING_IMPORT,
    LISTING_MODELS,
    NUMPY_IMPORT,
    SKLEARN_IMPORT,
    exit_to_exit,
    pact_command,
    run_to_exit,
)
from benchmarks.common import ROOT, repeat_to
from benchmarks.machine import cpu_model, package_versions
from pact_advisor.cli.workers import default_jobs

RESULTS = ROOT / "benchmarks" / "results"
QUESTION = "how do we keep employers on board in a talent partnership?"
#: The targets of the start-up (see the README's performance section).
TARGETS = {
    "sklearn_ratio": 0.6,
    "numpy_ratio": 1.3,
    "rss_mb": 90.0,
    "stdin_ms": 0.3,
    "p99_ms": 2.0,
    "topics_ratio": 1.3,
}


def _questions() -> list[str]:
    import yaml

    cases = yaml.safe_load((ROOT / "eval" / "test.yaml").read_text(encoding="utf-8"))
    return [" ".join(str(c["q"]).split()) for c in cases]


def _summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median": statistics.median(ordered),
        "p90": ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))],
        "min": ordered[0],
    }


def cold(runs: int, env: dict[str, str], pact: list[str]) -> dict[str, Any]:
    commands = {
        "ask": [*pact, "ask", QUESTION],
        "sklearn": [sys.executable, "-c", SKLEARN_IMPORT],
        "numpy": [sys.executable, "-c", NUMPY_IMPORT],
        "topics": [*pact, "topics"],
        "listing": [sys.executable, "-c", LISTING_IMPORT],
        "listing_models": [sys.executable, "-c", LISTING_MODELS],
        "listing_floor": [sys.executable, "-c", LISTING_FLOOR],
        "ask_floor": [sys.executable, "-c", ASK_FLOOR],
        "python": [sys.executable, "-c", "pass"],
    }
    for cmd in commands.values():  # fill the start-up cache, bytecode and page cache
        exit_to_exit(cmd, env)
    seconds: dict[str, list[float]] = {k: [] for k in commands}
    rss: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(runs):  # interleaved, so drift hits all alike
        for name, cmd in commands.items():
            s, _, mb = exit_to_exit(cmd, env)
            seconds[name].append(s)
            rss[name].append(mb)
    med = {k: statistics.median(v) for k, v in seconds.items()}
    return {
        "runs": runs,
        "seconds": {k: _summary(v) for k, v in seconds.items()},
        "rss_mb": {k: statistics.median(v) for k, v in rss.items()},
        "sklearn_ratio": med["ask"] / med["sklearn"],
        "numpy_ratio": med["ask"] / med["numpy"],
        "pairwise_numpy_ratio": statistics.median(
            a / b for a, b in zip(seconds["ask"], seconds["numpy"], strict=True)
        ),
        "topics_ratio": med["topics"] / med["listing"],
        "listing_models_ratio": med["listing_models"] / med["listing"],
        "listing_floor_ratio": med["listing_floor"] / med["listing"],
        "ask_floor_numpy_ratio": med["ask_floor"] / med["numpy"],
    }


def stdin(lines: int, runs: int, env: dict[str, str], pact: list[str]) -> dict[str, Any]:
    """``ask --json -`` as it runs by default (one worker per core) and with ``--jobs 1``,
    interleaved: wall time and CPU time per question, and peak RSS."""
    questions = repeat_to(_questions(), lines)
    one = (questions[0] + "\n").encode()
    many = ("\n".join(questions) + "\n").encode()
    commands = {
        "default": [*pact, "ask", "--json", "-"],
        "one_job": [*pact, "ask", "--json", "--jobs", "1", "-"],
    }
    exit_to_exit(commands["default"], env, one)
    seen: dict[str, dict[str, list[float]]] = {
        name: {"t1": [], "tn": [], "cpu1": [], "cpun": [], "rss": []} for name in commands
    }
    answered = 0
    for _ in range(runs):
        for name, cmd in commands.items():
            got = seen[name]
            single = run_to_exit(cmd, env, one)
            batch = run_to_exit(cmd, env, many)
            got["t1"].append(single.seconds)
            got["cpu1"].append(single.cpu_s)
            got["tn"].append(batch.seconds)
            got["cpun"].append(batch.cpu_s)
            got["rss"].append(batch.rss_mb)
            lines_out = batch.out.decode("utf-8").splitlines()
            answered = sum(1 for line in lines_out if json.loads(line))
    figures: dict[str, Any] = {"lines": lines, "answers": answered, "runs": runs}
    figures["jobs"] = default_jobs()
    for name, got in seen.items():
        wall = [(n - o) / (lines - 1) * 1000 for n, o in zip(got["tn"], got["t1"], strict=True)]
        cpu = [(n - o) / (lines - 1) * 1000 for n, o in zip(got["cpun"], got["cpu1"], strict=True)]
        figures[name] = {
            "t1_s": _summary(got["t1"]),
            "tn_s": _summary(got["tn"]),
            "ms_per_question": _summary(wall),
            "cpu_ms_per_question": _summary(cpu),
            "rss_mb": statistics.median(got["rss"]),
        }
    return figures


LATENCY = """
import json, sys, time
from pact_advisor.app import Advisor
from pact_advisor.resources import guidance_dir
questions = json.loads(sys.stdin.read())
advisor = Advisor.load(guidance_dir(), eager=True)
for q in questions:
    advisor.text(advisor.answer(q))
times = []
for _ in range(int(sys.argv[1])):
    for q in questions:
        start = time.perf_counter()
        advisor.text(advisor.answer(q))
        times.append(time.perf_counter() - start)
print(json.dumps(times))
"""


def latency(passes: int, env: dict[str, str]) -> dict[str, Any]:
    """One question at a time in a warm process: engine and rendering of the answer text."""
    qs = json.dumps(_questions()).encode()
    _, out, _ = exit_to_exit([sys.executable, "-c", LATENCY, str(passes)], env, qs)
    ms = sorted(t * 1000 for t in json.loads(out))
    pick = lambda q: ms[min(len(ms) - 1, round(q * (len(ms) - 1)))]  # noqa: E731
    return {"questions": len(ms), "p50_ms": pick(0.5), "p90_ms": pick(0.9), "p99_ms": pick(0.99)}


def report(figures: dict[str, Any]) -> str:
    c, s, m, lat = figures["cold"], figures["stdin"], figures["machine"], figures["latency"]
    sec = c["seconds"]
    d, o = s["default"], s["one_job"]

    def row(label: str, value: str, target: str, met: bool | None) -> str:
        verdict = "" if met is None else ("met" if met else "missed")
        return f"| {label} | {value} | {target} | {verdict} |"

    lines = [
        "# Start-up and batch, exit to exit",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, load average {m['load'][0]:.2f} at the start; "
        f"Python {m['python']}. "
        f"Medians of {c['runs']} interleaved runs; `ask --json -` over {s['lines']:,} lines, "
        f"{s['runs']} runs.",
        "",
        "| figure | measured | target | |",
        "| --- | --- | --- | --- |",
        row(
            "warm `pact-advisor ask`",
            f"{sec['ask']['median']:.3f} s (p90 {sec['ask']['p90']:.3f})",
            "",
            None,
        ),
        row("import of TfidfVectorizer", f"{sec['sklearn']['median']:.3f} s", "", None),
        row("import of numpy + scipy.sparse", f"{sec['numpy']['median']:.3f} s", "", None),
        row("bare `python -c pass`", f"{sec['python']['median']:.3f} s", "", None),
        row(
            "ask ÷ TfidfVectorizer import",
            f"{c['sklearn_ratio']:.2f}×",
            f"≤ {TARGETS['sklearn_ratio']}×",
            c["sklearn_ratio"] <= TARGETS["sklearn_ratio"],
        ),
        row(
            "ask ÷ numpy + scipy.sparse import",
            f"{c['numpy_ratio']:.2f}× (per-run median {c['pairwise_numpy_ratio']:.2f}×)",
            f"≤ {TARGETS['numpy_ratio']}×",
            c["numpy_ratio"] <= TARGETS["numpy_ratio"],
        ),
        row(
            "floor of `ask`: import of numpy, jinja2, platformdirs and BaseModel",
            f"{sec['ask_floor']['median']:.3f} s = {c['ask_floor_numpy_ratio']:.2f}× "
            "numpy + scipy.sparse",
            "",
            None,
        ),
        row(
            "`pact-advisor topics`",
            f"{sec['topics']['median']:.3f} s = {c['topics_ratio']:.2f}× the import of "
            f"jinja2, yaml and pydantic ({sec['listing']['median']:.3f} s)",
            f"≤ {TARGETS['topics_ratio']}×",
            c["topics_ratio"] <= TARGETS["topics_ratio"],
        ),
        row(
            "import of jinja2, yaml and pydantic with `pydantic.BaseModel` loaded",
            f"{sec['listing_models']['median']:.3f} s = {c['listing_models_ratio']:.2f}× the same",
            "",
            None,
        ),
        row(
            "floor of `topics`: import of jinja2, yaml, platformdirs and BaseModel",
            f"{sec['listing_floor']['median']:.3f} s = {c['listing_floor_ratio']:.2f}× the same",
            "",
            None,
        ),
        row(
            "peak RSS of `ask`",
            f"{c['rss_mb']['ask']:.0f} MB (numpy + scipy.sparse alone {c['rss_mb']['numpy']:.0f} MB)",
            f"≤ {TARGETS['rss_mb']:g} MB",
            c["rss_mb"]["ask"] <= TARGETS["rss_mb"],
        ),
        row(
            f"`ask --json -` per question, (T(N) − T(1)) / (N − 1), {s['jobs']} workers "
            "(the default: one per core)",
            f"{d['ms_per_question']['median']:.3f} ms (CPU {d['cpu_ms_per_question']['median']:.3f} ms)",
            f"≤ {TARGETS['stdin_ms']} ms",
            d["ms_per_question"]["median"] <= TARGETS["stdin_ms"],
        ),
        row(
            "`ask --json --jobs 1 -` per question, one process",
            f"{o['ms_per_question']['median']:.3f} ms (CPU {o['cpu_ms_per_question']['median']:.3f} ms)",
            "",
            None,
        ),
        row(
            "`ask --json -`, one line / all lines",
            f"{d['t1_s']['median']:.3f} s / {d['tn_s']['median']:.2f} s "
            f"(`--jobs 1`: {o['tn_s']['median']:.2f} s)",
            "",
            None,
        ),
        row(
            "peak RSS of `ask --json -`, largest process",
            f"{d['rss_mb']:.0f} MB (`--jobs 1`: {o['rss_mb']:.0f} MB)",
            "",
            None,
        ),
        row(
            f"one question in a warm process, answer and text ({lat['questions']:,} timed)",
            f"p50 {lat['p50_ms']:.2f} ms, p90 {lat['p90_ms']:.2f} ms, p99 {lat['p99_ms']:.2f} ms",
            f"p99 ≤ {TARGETS['p99_ms']} ms",
            lat["p99_ms"] <= TARGETS["p99_ms"],
        ),
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup", description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--stdin-runs", type=int, default=5)
    parser.add_argument("--passes", type=int, default=5, help="passes over the test split")
    parser.add_argument("--out", type=Path, default=RESULTS / "startup.md")
    args = parser.parse_args(argv)
    pact, _ = pact_command()
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "PACT_ADVISOR_CACHE": cache, "PYTHONDONTWRITEBYTECODE": "0"}
        figures = {
            "machine": {
                "cpu": cpu_model(),
                "cores": os.cpu_count(),
                "python": sys.version.split()[0],
                "load": os.getloadavg(),
                "packages": package_versions(),
            },
            "cold": cold(args.runs, env, pact),
            "stdin": stdin(args.lines, args.stdin_runs, env, pact),
            "latency": latency(args.passes, env),
        }
    text = report(figures)
    args.out.write_text(text, encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
