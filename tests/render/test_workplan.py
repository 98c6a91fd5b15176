"""A stored run as a work plan: progress that shows any step done, each step's state on the
checklist message, and the audit export in Markdown, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest

from pact_advisor.checklists import build_checklist
from pact_advisor.render.workplan import bar_blocks, step_states
from pact_advisor.store import Event, Owner, Run, Skip, Tick

JAN_1 = 1_767_225_600.0  # 2026-01-01T00:00:00Z


@pytest.mark.parametrize(
    ("resolved", "total", "blocks"),
    [(0, 29, 0), (1, 29, 1), (2, 29, 1), (15, 29, 5), (28, 29, 9), (29, 29, 10), (0, 0, 0)],
)
def test_the_progress_bar_shows_any_progress_and_is_full_only_when_done(resolved, total, blocks):
    assert bar_blocks(resolved, total) == blocks


def run_of(guidance, topic: str = "readiness", **state) -> Run:
    checklist = build_checklist(guidance, topic)
    return Run(
        7,
        checklist.topic,
        checklist.title,
        checklist.context,
        checklist.steps,
        1,
        2,
        3,
        JAN_1,
        language="en",
        created_by_name="Bob",
        guidance_version="v1",
        **state,
    )


def test_two_steps_done_of_many_fill_a_block(guidance, renderer):
    run = run_of(guidance, ticks={0: Tick(1, "Ana", JAN_1), 3: Tick(1, "Ana", JAN_1)})
    message = renderer.discord_checklist(run.checklist(guidance), states=step_states(run, "x"))
    total = len(run.steps)
    assert f"**2/{total} done** ▰▱▱▱▱▱▱▱▱▱" in message.embeds[0].description


def test_each_state_is_shown_on_the_checklist_message(guidance, renderer):
    run = run_of(
        guidance,
        ticks={0: Tick(1, "Ana", JAN_1)},
        skips={1: Skip(2, "Bob", JAN_1, "Not in scope")},
        owners={2: (Owner(1, "Ana"), Owner(2, "Bob"))},
        due={2: "2025-12-31", 3: "2026-02-01"},
        notes={3: "Ask *the* ministry"},
    )
    message = renderer.discord_checklist(
        run.checklist(guidance), states=step_states(run, "2026-01-01")
    )
    description = message.embeds[0].description
    assert f"**1/{len(run.steps)} done** · 1 not applicable · 1 overdue" in description
    lines = message.embeds[0].fields[0].value.splitlines()
    assert lines[0].startswith("☑ 1. ") and lines[0].endswith("— ticked by Ana")
    assert lines[1].startswith("⊘ 2. ~~") and lines[1].endswith(
        "not applicable (Bob): Not in scope"
    )
    assert lines[3] == "　↳ 👤 Ana, Bob · 📅 2025-12-31 **overdue**"
    assert lines[5] == "　↳ 📅 2026-02-01 · 📝 Ask \\*the\\* ministry"


def test_exports_carry_states_owners_dates_reasons_citations_and_history(guidance, renderer):
    run = run_of(
        guidance,
        topic="diaspora.umbrella-networks",
        ticks={2: Tick(1, "Ana", JAN_1 + 90)},
        skips={0: Skip(2, "Bob", JAN_1 + 60, "Done by the ministry")},
        owners={1: (Owner(1, "Ana"),)},
        due={1: "2025-12-31"},
    )
    events = [Event(1, 7, 1, "assign", 1, "Ana", JAN_1, {"owners": [{"id": 1, "name": "Ana"}]})]
    quote = guidance.items["diaspora.umbrella-networks"].quote

    rows = list(csv.DictReader(io.StringIO(renderer.render_export(run, "csv", now=JAN_1))))
    assert [r["state"] for r in rows] == ["not_applicable", "open", "done"]
    assert rows[0]["reason"] == "Done by the ministry" and rows[0]["at"] == "2026-01-01T00:01:00Z"
    assert rows[1]["owners"] == "Ana" and rows[1]["overdue"] == "yes"
    assert {r["quote"] for r in rows} == {quote}

    data = json.loads(renderer.render_export(run, "json", now=JAN_1, events=events))
    assert data["created_at"] == "2026-01-01T00:00:00Z" and data["guidance_version"] == "v1"
    assert data["steps"][2]["by"] == "Ana" and data["steps"][1]["overdue"] is True
    assert data["history"] == [
        {"at": "2026-01-01T00:00:00Z", "by": "Ana", "step": 2, "change": "assign", "detail": "Ana"}
    ]

    markdown = renderer.render_export(run, "md", now=JAN_1, events=events)
    assert "- [ ] ~~Map existing umbrella" in markdown
    assert "not applicable (Bob): Done by the ministry" in markdown
    assert "  - Owners: Ana\n  - Due: 2025-12-31 (overdue)" in markdown
    assert "## History\n\n- 2026-01-01T00:00:00Z · Ana · step 2 · assign: Ana" in markdown
    with pytest.raises(ValueError, match="use md, csv or json"):
        renderer.render_export(run, "xlsx", now=JAN_1)
