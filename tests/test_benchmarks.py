"""The benchmark reports render from stored figures, without running a benchmark."""

from __future__ import annotations

import argparse
import json

from benchmarks import load
from benchmarks.common import RESULTS
from benchmarks.report import render


def test_stored_figures_render_as_the_stored_report():
    data = json.loads((RESULTS / "latest.json").read_text(encoding="utf-8"))
    rendered = render(data).splitlines()
    stored = (RESULTS / "latest.md").read_text(encoding="utf-8").splitlines()

    assert len(rendered) == len(stored)
    differing = [(new, old) for new, old in zip(rendered, stored, strict=True) if new != old]
    # A report measured before the package was renamed names it ``bot``; nothing else differs.
    assert all(new.replace("pact_advisor", "bot") == old for new, old in differing), differing


def test_load_report_lays_out_every_figure():
    figures = {
        "interactions": 2000,
        "wall_s": 12.3,
        "p50_ms": 1.2,
        "p90_ms": 2.5,
        "p99_ms": 9.9,
        "max_ms": 40.0,
        "per_kind": {"ask": (300, 3.3, 8.8), "tick": (1200, 1.1, 2.2)},
        "bot_p50_ms": 0.9,
        "bot_p90_ms": 1.9,
        "bot_p99_ms": 4.4,
        "bot_handled": 2100,
        "virtual_h": 1.0,
        "logged": {"WARNING": 3, "INFO": 12},
        "db_calls": 5000,
        "db_p50_ms": 0.12,
        "db_p99_ms": 0.9,
        "rss_imported_mb": 90.2,
        "rss_started_mb": 120.7,
        "rss_peak_mb": 180.4,
        "rss_bot_alone_mb": 110.1,
        "db_kb": 240.0,
        "ticks_stored": 77,
        "actions": {"tick": 1000, "untick": 200, "ask": 300, "vote": 100},
        "faults": 12,
        "votes": 95,
        "unanswered": 40,
    }
    args = argparse.Namespace(interactions=2000, seed=1, fault_rate=0.05, pace=load.PACE)

    text = load.report(figures, args)

    assert text.startswith(
        "# Load benchmark\n\n`python -m benchmarks.load --interactions 2000 --seed 1"
        " --fault-rate 0.05`, "
    )
    assert "| Interactions | 2,000 in 12.3 s |" in text
    assert "| Bot log records | 12 INFO, 3 WARNING |" in text
    assert "| tick | 1,200 | 1.1 | 2.2 |" in text
    assert "Ticks 1,000, unticks 200, retries after a failure 0, page turns 0" in text
