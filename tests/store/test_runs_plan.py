"""Runs as work plans: owners, due dates, not applicable, notes, the event log that always
agrees with the state, and the migration that keeps earlier ticks."""

from __future__ import annotations

import random

import pytest
from store_helpers import build_old_db, new_run

from pact_advisor.store import SCHEMA_VERSION, Change, Store, UnknownRunError, parse_due

ANA, BOB = (1, "Ana"), (2, "Bob")


def change(db: Store, run_id: int, *changes: Change, who=ANA):
    return db.change_run(run_id, list(changes), user_id=who[0], user_name=who[1])


def test_owners_due_dates_notes_and_not_applicable_are_stored(db):
    run = new_run(db, 4)
    change(db, run.id, Change("assign", 0, owners=(ANA, BOB)), Change("due", 0, due="2026-01-31"))
    change(db, run.id, Change("skip", 1, text="  No diaspora in this pilot "), who=BOB)
    stored = change(db, run.id, Change("note", 2, text="Ask the ministry"), Change("tick", 3))

    assert [o.user_name for o in stored.owners[0]] == ["Ana", "Bob"]
    assert stored.due == {0: "2026-01-31"}
    assert stored.skips[1].reason == "No diaspora in this pilot"
    assert stored.skips[1].user_name == "Bob"
    assert stored.notes == {2: "Ask the ministry"}
    assert [stored.state(s) for s in range(4)] == ["open", "na", "open", "done"]
    assert stored.overdue("2026-02-01") == [0] and stored.overdue("2026-01-31") == []
    assert stored.is_open

    # Ticking a step that does not apply makes it done; reopening makes it open again.
    stored = change(db, run.id, Change("tick", 1))
    assert stored.state(1) == "done" and 1 not in stored.skips
    stored = change(db, run.id, Change("reopen", 1), Change("due", 0), Change("note", 2))
    assert stored.state(1) == "open" and stored.due == {} and stored.notes == {}


@pytest.mark.parametrize(
    "bad",
    [
        Change("skip", 0, text="  "),
        Change("due", 0, due="31/01/2026"),
        Change("tick", 9),
        Change("assign", 0, owners=tuple((i, f"M{i}") for i in range(11))),
        Change("note", 0, text="x" * 501),
        Change("erase", 0),
    ],
)
def test_an_invalid_change_changes_nothing(db, bad):
    run = new_run(db, 3)
    with pytest.raises(ValueError):
        change(db, run.id, Change("tick", 1), bad)
    assert db.get_run(run.id).ticks == {} and db.run_events(run.id) == []


def test_a_change_to_an_unknown_run_is_refused(db):
    with pytest.raises(UnknownRunError):
        change(db, 999, Change("tick", 0))


@pytest.mark.parametrize(
    ("text", "stored"), [("2026-02-28", "2026-02-28"), (" ", None), ("", None), (None, None)]
)
def test_due_dates_are_read_as_written(text, stored):
    assert parse_due(text) == stored


@pytest.mark.parametrize("text", ["2026-02-30", "2026-2-3", "tomorrow", "20260101"])
def test_bad_due_dates_are_refused(text):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_due(text)


def replay(events, steps: int) -> dict:
    """The state of a run worked out from its events alone."""
    state = {"done": {}, "na": {}, "owners": {}, "due": {}, "notes": {}}
    for e in events:
        if e.kind == "tick":
            state["na"].pop(e.step, None)
            state["done"][e.step] = e.user_name
        elif e.kind == "untick":
            del state["done"][e.step]
        elif e.kind in ("skip", "reopen"):
            state["done"].pop(e.step, None)
            state["na"].pop(e.step, None)
            if e.kind == "skip":
                state["na"][e.step] = (e.user_name, e.detail["reason"])
        elif e.kind == "assign":
            state["owners"][e.step] = [o["name"] for o in e.detail["owners"]]
        elif e.kind in ("due", "note"):
            key = "due" if e.kind == "due" else "notes"
            state[key][e.step] = e.detail[e.kind]
    for key in ("owners", "due", "notes"):
        state[key] = {s: v for s, v in state[key].items() if v}
    return state


def shown(run) -> dict:
    return {
        "done": {s: t.user_name for s, t in run.ticks.items()},
        "na": {s: (k.user_name, k.reason) for s, k in run.skips.items()},
        "owners": {s: [o.user_name for o in os] for s, os in run.owners.items()},
        "due": dict(run.due),
        "notes": dict(run.notes),
    }


def test_state_rebuilt_from_the_event_log_equals_the_stored_state(db):
    rng = random.Random(11)
    runs = [new_run(db, n) for n in (3, 5, 8)]
    people = [ANA, BOB, (3, "Carla")]
    for _ in range(300):
        run = rng.choice(runs)
        step = rng.randrange(len(run.steps))
        kind = rng.choice(["tick", "untick", "assign", "due", "skip", "reopen", "note"])
        owners = tuple(rng.sample(people, rng.randint(0, 3)))
        due = rng.choice([None, "2026-03-01", "2026-04-15"])
        text = rng.choice(["Not in scope", "Done elsewhere", None]) if kind != "skip" else "N/A"
        change(db, run.id, Change(kind, step, owners, due, text), who=rng.choice(people))
    for run in runs:
        stored = db.get_run(run.id)
        assert replay(db.run_events(run.id), len(run.steps)) == shown(stored)


def test_a_change_that_changes_nothing_is_not_recorded(db):
    run = new_run(db, 2)
    change(db, run.id, Change("tick", 0))
    change(db, run.id, Change("tick", 0), who=BOB)  # the first ticker keeps it
    change(db, run.id, Change("assign", 1, owners=(ANA,)), Change("assign", 1, owners=(ANA,)))
    events = db.run_events(run.id)
    assert [(e.kind, e.user_name) for e in events] == [("tick", "Ana"), ("assign", "Ana")]
    assert db.get_run(run.id).ticks[0].user_name == "Ana"


def test_the_migration_keeps_earlier_ticks_and_starts_their_log(tmp_path):
    path = tmp_path / "old.db"
    build_old_db(path, version=4)
    with Store(path) as store:
        assert store.schema_versions() == list(range(1, SCHEMA_VERSION + 1))
        run = store.get_run(1)
        assert run.ticks[1].user_name == "old-user" and run.ticks[1].ticked_at == 2.0
        assert run.created_by == 7 and run.created_by_name is None and run.skips == {}
        events = store.run_events(1)
        assert [(e.step, e.kind, e.user_name, e.at) for e in events] == [
            (1, "tick", "old-user", 2.0)
        ]
        assert replay(events, 2) == shown(run)
        # and the old run takes the new kinds of change
        after = store.change_run(1, [Change("skip", 0, text="n/a")], user_id=8, user_name="Ana")
        assert after.state(0) == "na" and not after.is_open


def test_runs_are_listed_by_server_or_channel_with_their_message(db):
    first = new_run(db, 2, guild_id=10, channel_id=20)
    second = new_run(db, 2, guild_id=10, channel_id=21)
    new_run(db, 2, guild_id=11, channel_id=30)
    db.set_run_message(first.id, 555)

    assert [r.id for r in db.list_runs(guild_id=10)] == [second.id, first.id]
    assert [r.id for r in db.list_runs(channel_id=20)] == [first.id]
    assert db.get_run(first.id).message_id == 555
    assert len(db.list_runs()) == 3


def test_digest_schedule_is_kept_and_claimed_once_a_day(db):
    db.set_digest(10, 20, "09:00", by=1)
    db.set_digest(10, 21, "08:30", by=1)  # replaces the first
    assert [(d.guild_id, d.channel_id, d.at_time) for d in db.digests()] == [(10, 21, "08:30")]
    assert db.mark_digest_sent(10, "2026-01-05")
    assert not db.mark_digest_sent(10, "2026-01-05")
    assert db.mark_digest_sent(10, "2026-01-06")
    assert db.clear_digest(10) and not db.clear_digest(10) and db.digests() == []


def test_a_change_from_elsewhere_is_refused_in_its_transaction(db):
    from pact_advisor.store import Place, RunElsewhere, StepOutOfRange

    run = new_run(db, 2, guild_id=10, channel_id=20)
    db.set_run_message(run.id, 99)
    here = Place(10, 20, 99)
    for place in (Place(11, 20, 99), Place(10, 21, 99), Place(10, 20, 98)):
        with pytest.raises(RunElsewhere):
            db.change_run(run.id, [Change("tick", 0)], user_id=1, user_name="Ana", place=place)
    with pytest.raises(StepOutOfRange):
        db.change_run(run.id, [Change("tick", 5)], user_id=1, user_name="Ana", place=here)
    assert db.run_events(run.id) == []
    # A private panel in the same channel names no message.
    done = db.change_run(
        run.id, [Change("tick", 0)], user_id=1, user_name="Ana", place=Place(10, 20)
    )
    assert done.state(0) == "done"
