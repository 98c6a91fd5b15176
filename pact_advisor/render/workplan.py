"""A stored checklist run as a work plan, as plain data for the templates and the exports:
each step's state (open, done by whom, not applicable and why), owners, due date (overdue or
not) and note; progress; and the audit export as Markdown, CSV or JSON.

Pure: no discord import, no I/O. Times are shown in UTC, ISO 8601 (``2026-01-31T09:30:00Z``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pact_advisor.knowledge import Guidance
    from pact_advisor.store import Event, Run

#: Blocks in a progress bar.
BAR = 10

#: The columns of the CSV export, one row per step (the JSON export has the same keys).
COLUMNS = (
    "number",
    "text",
    "state",
    "by",
    "at",
    "owners",
    "due",
    "overdue",
    "reason",
    "note",
    "item_id",
    "quote",
)

#: How a state is written in the CSV and JSON exports.
STATE_NAMES = {"done": "done", "na": "not_applicable", "open": "open"}


def utc(epoch: float | None) -> str | None:
    """Epoch seconds as UTC ISO 8601 (``2026-01-31T09:30:00Z``)."""
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def today_of(epoch: float) -> str:
    """The UTC day of ``epoch`` (YYYY-MM-DD), against which due dates are overdue."""
    return datetime.fromtimestamp(epoch, UTC).date().isoformat()


def bar_blocks(resolved: int, total: int) -> int:
    """Filled blocks of a ten-block bar: none only when nothing is resolved, all only when
    everything is, so any progress shows (2/29 fills one block)."""
    if total <= 0 or resolved <= 0:
        return 0
    if resolved >= total:
        return BAR
    return min(BAR - 1, max(1, round(BAR * resolved / total)))


def step_states(run: Run, today: str) -> dict[int, dict[str, Any]]:
    """Each step's state for the checklist templates (see :func:`blank_state`)."""
    states = {}
    for step in range(len(run.steps)):
        state = run.state(step)
        tick, skip = run.ticks.get(step), run.skips.get(step)
        due = run.due.get(step)
        done_by = tick or skip
        states[step] = {
            "state": state,
            "ticked_by": tick.user_name if tick else None,
            "by": done_by.user_name if done_by else None,
            "at": utc(tick.ticked_at if tick else skip.skipped_at if skip else None),
            "reason": skip.reason if skip else None,
            "owners": [o.user_name for o in run.owners.get(step, ())],
            "owner_ids": [o.user_id for o in run.owners.get(step, ())],
            "due": due,
            "overdue": due is not None and due < today and state == "open",
            "note": run.notes.get(step),
        }
    return states


def blank_state(ticked_by: str | None = None) -> dict[str, Any]:
    """The state of a step with nothing but (maybe) a tick: a checklist not stored as a run."""
    return {
        "state": "open" if ticked_by is None else "done",
        "ticked_by": ticked_by,
        "by": ticked_by,
        "at": None,
        "reason": None,
        "owners": [],
        "owner_ids": [],
        "due": None,
        "overdue": False,
        "note": None,
    }


def progress(states: Sequence[Mapping[str, Any]], total: int) -> dict[str, int]:
    """``done``, ``na``, ``overdue`` counts and the ``bar`` (filled blocks)."""
    done = sum(1 for s in states if s["state"] == "done")
    na = sum(1 for s in states if s["state"] == "na")
    overdue = sum(1 for s in states if s["overdue"])
    return {"done": done, "na": na, "overdue": overdue, "bar": bar_blocks(done + na, total)}


def audit_rows(run: Run, guidance: Guidance, today: str) -> list[dict[str, Any]]:
    """One row per step: state, who and when, owners, due date, reason, note, and the
    guidance it came from (item id and the source quote, verbatim)."""
    rows = []
    for step, state in step_states(run, today).items():
        item = guidance.items.get(run.steps[step].item_id)
        rows.append(
            {
                "number": step + 1,
                "text": run.steps[step].text,
                "state": STATE_NAMES[state["state"]],
                "by": state["by"],
                "at": state["at"],
                "owners": state["owners"],
                "due": state["due"],
                "overdue": state["overdue"],
                "reason": state["reason"],
                "note": state["note"],
                "item_id": run.steps[step].item_id,
                "quote": item.quote if item is not None else None,
            }
        )
    return rows


def history_rows(events: Sequence[Event]) -> list[dict[str, Any]]:
    """The event log as rows: when (UTC), who, which step (1-based), what, and its detail."""
    return [
        {
            "at": utc(e.at),
            "by": e.user_name,
            "step": e.step + 1,
            "change": e.kind,
            "detail": _detail(e.detail),
        }
        for e in events
    ]


def _detail(detail: Mapping[str, Any]) -> str:
    if "owners" in detail:
        return ", ".join(o["name"] for o in detail["owners"])
    for key in ("due", "reason", "note"):
        if key in detail:
            return detail[key] or ""
    return ""


def run_header(run: Run) -> dict[str, Any]:
    """What the export says about the run itself."""
    return {
        "run": run.id,
        "topic": run.topic,
        "title": run.title,
        "language": run.language,
        "guidance_version": run.guidance_version,
        "created_by": run.created_by_name or str(run.created_by),
        "created_at": utc(run.created_at),
    }


def as_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    """The audit rows as CSV (owners separated by ``; ``)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                **row,
                "owners": "; ".join(row["owners"]),
                "overdue": "yes" if row["overdue"] else "",
            }
        )
    return buffer.getvalue()


def as_json(
    run: Run, rows: Sequence[Mapping[str, Any]], history: Sequence[Mapping[str, Any]] | None
) -> str:
    """The run, its steps (one object each) and, if given, its history, as JSON."""
    data: dict[str, Any] = {**run_header(run), "steps": list(rows)}
    if history is not None:
        data["history"] = list(history)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
