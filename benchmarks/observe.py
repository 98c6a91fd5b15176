"""What a SimCord checklist message shows a member, and what the bot's SQLite file holds.

Read straight from the messages' components and embeds and from the database, never by asking
the bot: the load scenario (:mod:`benchmarks.scenario`) and the reliability tests compare
these with what they expect.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

_STEP_LINE = re.compile(r"^(☑|☐|⊘) (\d+)\. .*?(?: — ticked by (.+))?$")
_PROGRESS = re.compile(r"\*\*(\d+)/(\d+) done\*\*")


def components(message: Any) -> list[dict]:
    """Every component (button, select) of ``message``, flattened from its rows."""
    out = []
    for row in message.components or []:
        if isinstance(row, dict):
            out += row.get("components", [])
        else:
            out += [c.to_dict() for c in getattr(row, "children", [])]
    return out


def step_buttons(message: Any) -> dict[int, dict]:
    """The tick buttons on the page shown, by step index (from their ``custom_id``)."""
    out = {}
    for c in components(message):
        parts = (c.get("custom_id") or "").split(":")
        if len(parts) == 4 and parts[0] == "checklist" and parts[2] == "tick":
            out[int(parts[3])] = c
    return out


def run_id_of(message: Any) -> int:
    """The run a checklist message shows, from its Export button's ``custom_id``."""
    for c in components(message):
        parts = (c.get("custom_id") or "").split(":")
        if len(parts) == 3 and parts[0] == "checklist" and parts[2] == "export":
            return int(parts[1])
    raise AssertionError("not a checklist message")


def shown_steps(message: Any) -> dict[int, str | None]:
    """``{step: ticker or None}`` for every step listed in the message's embed fields."""
    out: dict[int, str | None] = {}
    for f in message.embeds[0].fields:
        for line in f.value.splitlines():
            m = _STEP_LINE.match(line.strip())
            if m:
                out[int(m[2]) - 1] = m[3] if m[1] == "☑" else None
    return out


def shown_progress(message: Any) -> tuple[int, int]:
    m = _PROGRESS.search(message.embeds[0].description or "")
    assert m, f"no progress in {message.embeds[0].description!r}"
    return int(m[1]), int(m[2])


def integrity(path: Path) -> str:
    """``PRAGMA integrity_check`` of the database at ``path``, from a connection of its own."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def stored_ticks(path: Path) -> dict[int, dict[int, str]]:
    """Every stored tick, read straight from SQLite: ``{run id: {step: ticker's name}}``."""
    conn = sqlite3.connect(path)
    try:
        out: dict[int, dict[int, str]] = {}
        for run_id, step, name in conn.execute("SELECT run_id, step, user_name FROM ticks"):
            assert step not in out.get(run_id, {}), f"tick {run_id}/{step} stored twice"
            out.setdefault(run_id, {})[step] = name
        return out
    finally:
        conn.close()


def stored_plans(path: Path, run_ids: list[int]) -> dict[int, dict[str, dict]]:
    """Owners, due dates and steps not applicable of each run, read straight from SQLite:
    ``{run id: {"owners": {step: [names]}, "due": {step: date}, "skips": {step: (name,
    reason)}}}``."""
    conn = sqlite3.connect(path)
    try:
        out: dict[int, dict[str, dict]] = {
            r: {"owners": {}, "due": {}, "skips": {}} for r in run_ids
        }
        for run_id, step, name in conn.execute(
            "SELECT run_id, step, user_name FROM step_owners ORDER BY run_id, step, position"
        ):
            out[run_id]["owners"].setdefault(step, []).append(name)
        for run_id, step, due in conn.execute(
            "SELECT run_id, step, due FROM step_plans WHERE due IS NOT NULL"
        ):
            out[run_id]["due"][step] = due
        for run_id, step, name, reason in conn.execute(
            "SELECT run_id, step, user_name, reason FROM step_skips"
        ):
            out[run_id]["skips"][step] = (name, reason)
        return out
    finally:
        conn.close()


def stored_votes(path: Path) -> Counter:
    conn = sqlite3.connect(path)
    try:
        return Counter(
            {
                (item, bool(helpful)): n
                for item, helpful, n in conn.execute(
                    "SELECT item_id, helpful, COUNT(*) FROM feedback GROUP BY item_id, helpful"
                )
            }
        )
    finally:
        conn.close()


def stored_unanswered(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM unanswered").fetchone()[0]
    finally:
        conn.close()
