"""What the benchmarks share: where things are, the systems compared, and small statistics."""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Sequence
from itertools import cycle, islice
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"

SYSTEMS = ("pact", "bm25", "minilm")
NAMES = {"pact": "Pact Advisor", "bm25": "BM25 (bm25s)", "minilm": "MiniLM embeddings"}


def log(message: str, tag: str = "bench") -> None:
    """One line of progress on stderr (reports go to stdout)."""
    sys.stderr.write(f"[{tag} {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated ``q``-th percentile (0-100, numpy's default), without numpy."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def rss_mb() -> float:
    """Peak resident set size of this process so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def repeat_to(items: Sequence[str], n: int) -> list[str]:
    """``items`` repeated in order until there are ``n``."""
    return list(islice(cycle(items), n))
