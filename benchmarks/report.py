"""The benchmark's Markdown report, rendered by a Jinja2 template from the runner's figures.

:func:`render` turns the data that ``python -m benchmarks.run`` writes to ``latest.json``
into ``latest.md`` through ``templates/report.md.j2``; so ``--report-only`` can re-render a
report from stored figures without measuring anything. The template lays the figures out;
this module holds what takes a judgement (the targets, and whether the engine is ahead of
the baselines) and the number formats the template uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import jinja2

from benchmarks.common import HERE, NAMES, SYSTEMS
from benchmarks.machine import BUSY_CORES

TEMPLATES = HERE / "templates"

#: Pact Advisor's targets.
TARGETS = {"p99_ms": 2.0, "batch_ms": 0.3, "cold_ratio": 1.2, "rss_mb": 150.0}

#: The quality figures compared: (label, key in the evaluation's report, higher is better).
QUALITY_KEYS = [
    ("top-1", "top1", True),
    ("recall@3", "recall3", True),
    ("MRR", "mrr", True),
    ("false abst.", "false_abstention", False),
    ("oos abst.", "oos_abstention", True),
]


def quality_verdict(results: dict[str, Any]) -> tuple[bool, list[str]]:
    """Whether the engine is ahead of both baselines at both operating points, and where not."""
    pact = results["pact"]["quality"]["engine"]
    notes = []
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
                notes.append(f"behind {NAMES[system]} ({point}) on " + "; ".join(worse))
    return not notes, notes


# == the template's filters ==================================================================


def fmt(value: Any, spec: str = "") -> str:
    """``format(value, spec)``: ``{{ x | fmt(".3f") }}``, ``{{ n | fmt(",") }}``."""
    return format(value, spec)


def dec(value: float | None, digits: int = 3) -> str:
    """A figure with ``digits`` decimals, or "-" when there is none."""
    return "-" if value is None else f"{value:.{digits}f}"


def verdict(met: bool) -> str:
    return "met" if met else "**MISSED**"


def spread(values: Sequence[float], scale: float = 1.0) -> str:
    """The smallest and largest of ``values`` (times ``scale``), as "min–max"."""
    return f"{min(values) * scale:.3f}–{max(values) * scale:.3f}"


@cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the benchmark reports: plain text, strict about names."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(fmt=fmt, dec=dec, verdict=verdict, spread=spread)
    # Markdown's hard line break (two trailing spaces), spelled out so no editor strips it.
    env.globals["br"] = "  "
    return env


def render_template(name: str, **context: Any) -> str:
    """Render ``templates/<name>`` with ``context``."""
    return environment().get_template(name).render(**context)


def render(data: dict[str, Any]) -> str:
    """The Markdown report of one benchmark run, from the data the runner stores as JSON."""
    ahead, notes = quality_verdict(data["results"])
    return render_template(
        "report.md.j2",
        **data,
        names=NAMES,
        system_ids=SYSTEMS,
        targets=TARGETS,
        quality_keys=[key for _, key, _ in QUALITY_KEYS],
        busy_cores=BUSY_CORES,
        ahead=ahead,
        notes=notes,
    )
