"""Whole commands timed from outside: ``pact-advisor`` and the baselines as subprocesses.

* :func:`cold_start`: ``pact-advisor ask`` from process start to the printed answer, against
  the sklearn import, with and without the fitted-index cache (and the baselines' cold paths);
* :func:`import_profile`: ``python -X importtime`` of ``pact-advisor ask``, by package;
* :func:`stdin_run`: ``pact-advisor ask --json -`` on thousands of stdin lines.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from benchmarks.common import ROOT, repeat_to
from benchmarks.workers import worker_command

SKLEARN_IMPORT = "from sklearn.feature_extraction.text import TfidfVectorizer"
#: The floor of an engine that scores with arrays: NumPy and scipy's sparse matrices.
NUMPY_IMPORT = "import numpy, scipy.sparse"
#: The yardstick of commands that do not retrieve (``topics``): the libraries they use.
LISTING_IMPORT = "import jinja2, yaml, pydantic"
#: The same with pydantic's model base loaded: ``import pydantic`` alone loads almost nothing
#: (pydantic 2 imports its parts on first use), and the guidance schema is pydantic models.
LISTING_MODELS = "import jinja2, yaml, pydantic; pydantic.BaseModel"
#: What no command can start without: the model base of the schema and the settings, the
#: user folders (platformdirs) and jinja2. ``topics`` reads YAML besides; a warm ``ask`` reads
#: NumPy arrays instead.
LISTING_FLOOR = "import jinja2, yaml, pydantic, platformdirs; pydantic.BaseModel"
ASK_FLOOR = "import numpy, jinja2, pydantic, platformdirs; pydantic.BaseModel"

#: Modules whose cumulative import time the report names.
SELECTED_IMPORTS = (
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
)


def timed_run(
    cmd: Sequence[str], env: dict[str, str], stdin: str | None = None
) -> tuple[float, str]:
    """Wall seconds of ``cmd`` (run from the temporary folder) and its standard output."""
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


class Exit(NamedTuple):
    """What one run of a command cost, from process start to exit."""

    seconds: float
    out: bytes
    #: Peak RSS in MB: the largest of the process and of the workers it waited for.
    rss_mb: float
    #: CPU seconds, user and system, of the process and of the workers it waited for.
    cpu_s: float


def run_to_exit(cmd: Sequence[str], env: dict[str, str], stdin: bytes | None = None) -> Exit:
    """Wall seconds from process start to exit, standard output, peak RSS and CPU time.

    Every ratio compares commands timed this same way; the usage is the child's own
    (``wait4``), with its workers', not the largest of all children so far.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            env=env,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            cwd=tempfile.gettempdir(),
        )
        if stdin is not None:
            assert proc.stdin is not None
            proc.stdin.write(stdin)
            proc.stdin.close()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            message = err.read().decode(errors="replace")[-2000:]
            raise SystemExit(f"{' '.join(cmd[:3])} ... failed ({proc.returncode}): {message}")
        out.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        return Exit(seconds, out.read(), usage.ru_maxrss / 1024, cpu)


def exit_to_exit(
    cmd: Sequence[str], env: dict[str, str], stdin: bytes | None = None
) -> tuple[float, bytes, float]:
    """Seconds from process start to exit, standard output, and peak RSS in MB (see
    :func:`run_to_exit`)."""
    seconds, out, rss_mb, _ = run_to_exit(cmd, env, stdin)
    return seconds, out, rss_mb


def timed_answer(
    cmd: Sequence[str], env: dict[str, str], cwd: Path | None = None
) -> tuple[float, float, str]:
    """Seconds from process start to the last byte of its answer on stdout, and to its exit.

    Standard output is a pipe, so the answer arrives when Python flushes it at exit, before
    the interpreter tears its modules down. ``cwd`` defaults to the temporary folder.
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, env=env, stdout=subprocess.PIPE, stderr=err, cwd=cwd or tempfile.gettempdir()
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


def cold_start(
    args: argparse.Namespace, env: dict[str, str], pact_cmd: list[str]
) -> dict[str, Any]:
    """``pact-advisor ask`` against the sklearn import, interleaved, ``--cold-runs`` times."""
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
    pairs = zip(times["ask_exit"], times["sklearn"], strict=True)
    out: dict[str, Any] = {
        "runs": args.cold_runs,
        "median_s": medians,
        "all_s": times,
        # Both sides exit to exit: the yardstick's clock stops at its exit too.
        "ratio": medians["ask_exit"] / medians["sklearn"],
        "ratio_exit": medians["ask_exit"] / medians["sklearn"],
        "ratio_printed": medians["ask"] / medians["sklearn"],
        "ratio_pairwise_median": statistics.median(a / b for a, b in pairs),
        "ratio_no_cache": medians["ask_no_cache_exit"] / medians["sklearn"],
        "answer_chars": len(answer),
        "answer_first_line": answer.strip().splitlines()[0] if answer.strip() else "",
    }
    if not args.skip_baseline_cold:
        out["baselines"] = {s: baseline_cold_start(s, args, env) for s in ("bm25", "minilm")}
    return out


def baseline_cold_start(
    system: str, args: argparse.Namespace, env: dict[str, str]
) -> dict[str, Any]:
    """A baseline's cold path (import, build, one answer) in a fresh worker, after a warm-up."""
    cmd = worker_command("cold", system, eval_dir=args.eval_dir, question=args.question)
    timed_answer(cmd, env, cwd=ROOT)
    runs = [timed_answer(cmd, env, cwd=ROOT)[0] for _ in range(args.cold_runs)]
    return {"median_s": statistics.median(runs), "all_s": runs}


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
        if stripped in SELECTED_IMPORTS:
            cumulative[stripped] = max(cumulative.get(stripped, 0.0), cum_ms)
    top = sorted(by_package.items(), key=lambda kv: -kv[1])[:12]
    return {"total_ms": total, "self_ms_by_package": dict(top), "cumulative_ms": cumulative}


def stdin_run(
    args: argparse.Namespace, env: dict[str, str], pact_cmd: list[str], test_qs: list[str]
) -> dict[str, Any]:
    """``pact-advisor ask --json -`` on ``--stdin-lines`` lines: one process, one fit."""
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
