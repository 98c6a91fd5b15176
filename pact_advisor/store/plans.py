"""Changes to a checklist run as a work plan: tick, untick, owners, due date, not applicable,
reopen and note, each recorded as an event in the transaction that changes the state.

A change that changes nothing (ticking a ticked step, setting the owners it has) is not
recorded, so replaying the event log gives exactly the state stored.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pact_advisor.store import codec
from pact_advisor.store.errors import UnknownRunError
from pact_advisor.store.records import Event

#: The kinds of change there are.
KINDS = ("tick", "untick", "assign", "due", "skip", "reopen", "note")
#: At most this many owners per step (Discord's user select shows up to 25; a step with more
#: owners than this has none in practice).
MAX_OWNERS = 10
#: Characters of a reason or a note.
TEXT_MAX = 500


class StepOutOfRange(ValueError):
    """A change names a step the run does not have."""


class RunElsewhere(ValueError):
    """A change was asked from a place (server, channel, message) the run is not in."""


@dataclass(frozen=True)
class Place:
    """Where a change comes from: the run must have been made in ``guild_id`` and
    ``channel_id``, and, when both are known, be shown by message ``message_id``."""

    guild_id: int | None
    channel_id: int | None
    message_id: int | None = None


@dataclass(frozen=True)
class Change:
    """One change to one step. ``owners`` are (user id, display name) pairs for ``assign``;
    ``due`` is a YYYY-MM-DD date or ``None`` (cleared) for ``due``; ``text`` is the reason
    of ``skip`` or the note of ``note`` (``None`` clears a note)."""

    kind: str
    step: int
    owners: tuple[tuple[int, str], ...] = ()
    due: str | None = None
    text: str | None = None


def parse_due(text: str | None) -> str | None:
    """A due date as stored (YYYY-MM-DD), ``None`` for an empty one; ``ValueError`` else."""
    text = (text or "").strip()
    if not text:
        return None
    if len(text) != 10:
        raise ValueError(f"{text!r} is not a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(f"{text!r} is not a date written YYYY-MM-DD") from None


def _check(change: Change, count: int) -> None:
    if change.kind not in KINDS:
        raise ValueError(f"unknown change {change.kind!r}")
    step = change.step
    if isinstance(step, bool) or not isinstance(step, int):
        raise ValueError(f"step must be an int, not {type(step).__name__}")
    if not 0 <= step < count:
        raise StepOutOfRange(f"step {step} is out of range (the run has {count} steps)")
    if change.kind == "skip" and not (change.text or "").strip():
        raise ValueError("a step marked not applicable needs a reason")
    if len(change.text or "") > TEXT_MAX:
        raise ValueError(f"a reason or note is at most {TEXT_MAX} characters")
    if len(change.owners) > MAX_OWNERS:
        raise ValueError(f"a step has at most {MAX_OWNERS} owners")
    if change.kind == "due" and change.due is not None and parse_due(change.due) != change.due:
        raise ValueError(f"{change.due!r} is not a date written YYYY-MM-DD")


def step_count(conn: sqlite3.Connection, run_id: int, place: Place | None = None) -> int:
    """How many steps the run has; raises :class:`UnknownRunError`, or :class:`RunElsewhere`
    when ``place`` is given and the run is not there."""
    row = conn.execute(
        "SELECT steps, guild_id, channel_id, message_id FROM runs WHERE id = ?", (run_id,)
    ).fetchone()
    if row is None:
        raise UnknownRunError(run_id)
    if place is not None:
        shown_by = row[3] is None or place.message_id is None or row[3] == place.message_id
        if (row[1], row[2]) != (place.guild_id, place.channel_id) or not shown_by:
            raise RunElsewhere(f"run {run_id} is not shown here")
    return len(json.loads(row[0]))


def apply(
    conn: sqlite3.Connection,
    run_id: int,
    changes: Sequence[Change],
    *,
    user_id: int,
    user_name: str,
    now: float,
    place: Place | None = None,
) -> int:
    """Apply ``changes`` in order (all or none: the caller's transaction); returns how many
    changed something (each of those is one event).

    Raises:
        UnknownRunError: no such run.
        RunElsewhere: ``place`` is given and the run is not there.
        ValueError: a change is not valid (:class:`StepOutOfRange`, a reason missing, a bad
            date).
    """
    count = step_count(conn, run_id, place)
    for change in changes:
        _check(change, count)
    applied = 0
    for change in changes:
        detail = _APPLY[change.kind](conn, run_id, change, user_id, user_name, now)
        if detail is not None:
            conn.execute(
                "INSERT INTO run_events (run_id, step, kind, user_id, user_name, at, detail)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (run_id, change.step, change.kind, user_id, user_name, now, codec.dumps(detail)),
            )
            applied += 1
    return applied


def _one(conn: sqlite3.Connection, sql: str, *args: Any) -> Any:
    row = conn.execute(sql, args).fetchone()
    return row if row is None else row[0]


def _ticked(conn: sqlite3.Connection, run_id: int, step: int) -> bool:
    return _one(conn, "SELECT 1 FROM ticks WHERE run_id = ? AND step = ?", run_id, step) is not None


def _skip_reason(conn: sqlite3.Connection, run_id: int, step: int) -> str | None:
    return _one(conn, "SELECT reason FROM step_skips WHERE run_id = ? AND step = ?", run_id, step)


def _tick(conn, run_id, change, user_id, user_name, now) -> dict | None:
    if _ticked(conn, run_id, change.step):
        return None  # the first ticker keeps the tick
    conn.execute("DELETE FROM step_skips WHERE run_id = ? AND step = ?", (run_id, change.step))
    conn.execute(
        "INSERT INTO ticks (run_id, step, user_id, user_name, ticked_at) VALUES (?, ?, ?, ?, ?)",
        (run_id, change.step, user_id, user_name, now),
    )
    return {}


def _untick(conn, run_id, change, user_id, user_name, now) -> dict | None:
    if not _ticked(conn, run_id, change.step):
        return None
    conn.execute("DELETE FROM ticks WHERE run_id = ? AND step = ?", (run_id, change.step))
    return {}


def _assign(conn, run_id, change, user_id, user_name, now) -> dict | None:
    owners = list(dict(change.owners).items())  # one entry per member, first name kept
    current = [
        tuple(r)
        for r in conn.execute(
            "SELECT user_id, user_name FROM step_owners WHERE run_id = ? AND step = ?"
            " ORDER BY position",
            (run_id, change.step),
        )
    ]
    if current == owners:
        return None
    conn.execute("DELETE FROM step_owners WHERE run_id = ? AND step = ?", (run_id, change.step))
    conn.executemany(
        "INSERT INTO step_owners (run_id, step, user_id, user_name, position)"
        " VALUES (?, ?, ?, ?, ?)",
        [(run_id, change.step, uid, name, i) for i, (uid, name) in enumerate(owners)],
    )
    return {"owners": [{"id": uid, "name": name} for uid, name in owners]}


def _plan(conn: sqlite3.Connection, run_id: int, step: int, column: str, value: Any) -> bool:
    """Set ``due`` or ``note`` of a step; False when it already had that value."""
    row = conn.execute(
        "SELECT due, note FROM step_plans WHERE run_id = ? AND step = ?", (run_id, step)
    ).fetchone()
    due, note = row if row else (None, None)
    if (due if column == "due" else note) == value:
        return False
    due, note = (value, note) if column == "due" else (due, value)
    if due is None and note is None:
        conn.execute("DELETE FROM step_plans WHERE run_id = ? AND step = ?", (run_id, step))
    else:
        conn.execute(
            "INSERT INTO step_plans (run_id, step, due, note) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (run_id, step) DO UPDATE SET due = excluded.due, note = excluded.note",
            (run_id, step, due, note),
        )
    return True


def _due(conn, run_id, change, user_id, user_name, now) -> dict | None:
    return {"due": change.due} if _plan(conn, run_id, change.step, "due", change.due) else None


def _note(conn, run_id, change, user_id, user_name, now) -> dict | None:
    note = (change.text or "").strip() or None
    return {"note": note} if _plan(conn, run_id, change.step, "note", note) else None


def _skip(conn, run_id, change, user_id, user_name, now) -> dict | None:
    reason = (change.text or "").strip()
    if _skip_reason(conn, run_id, change.step) == reason:
        return None
    conn.execute("DELETE FROM ticks WHERE run_id = ? AND step = ?", (run_id, change.step))
    conn.execute(
        "INSERT OR REPLACE INTO step_skips (run_id, step, user_id, user_name, skipped_at, reason)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (run_id, change.step, user_id, user_name, now, reason),
    )
    return {"reason": reason}


def _reopen(conn, run_id, change, user_id, user_name, now) -> dict | None:
    if not _ticked(conn, run_id, change.step) and _skip_reason(conn, run_id, change.step) is None:
        return None
    conn.execute("DELETE FROM ticks WHERE run_id = ? AND step = ?", (run_id, change.step))
    conn.execute("DELETE FROM step_skips WHERE run_id = ? AND step = ?", (run_id, change.step))
    return {}


_APPLY = {
    "tick": _tick,
    "untick": _untick,
    "assign": _assign,
    "due": _due,
    "skip": _skip,
    "reopen": _reopen,
    "note": _note,
}


def events(conn: sqlite3.Connection, run_id: int) -> list[Event]:
    """The run's events, oldest first."""
    return [
        Event(i, r, s, k, uid, name, at, json.loads(detail))
        for i, r, s, k, uid, name, at, detail in conn.execute(
            "SELECT id, run_id, step, kind, user_id, user_name, at, detail FROM run_events"
            " WHERE run_id = ? ORDER BY id",
            (run_id,),
        )
    ]
