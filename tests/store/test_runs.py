"""Checklist runs: a checklist is stored as it is, and its steps are ticked and unticked."""

from __future__ import annotations

import sqlite3

import pytest
from store_helpers import FakeClock, checklist, new_run

from pact_advisor.checklists import build_checklist
from pact_advisor.engine import Context
from pact_advisor.knowledge import context_values
from pact_advisor.store import Store, UnknownRunError
from pact_advisor.store.codec import dumps

MOROCCO = Context(partner="Morocco", sector="agriculture")


def test_a_run_gives_back_the_checklist_it_was_made_from(db: Store, guidance) -> None:
    original = build_checklist(guidance, "readiness", MOROCCO)
    run = db.create_run(original, guild_id=1, channel_id=2, created_by=3)
    assert run.checklist(guidance) == original
    assert db.get_run(run.id).checklist(guidance) == original


def test_a_stored_run_renders_like_the_original(db: Store, guidance, renderer) -> None:
    original = build_checklist(guidance, "diaspora", MOROCCO)
    run = db.create_run(original, guild_id=1, channel_id=2, created_by=3)
    stored = db.get_run(run.id).checklist(guidance)
    assert renderer.discord_checklist(stored, {1: "Ana"}) == renderer.discord_checklist(
        original, {1: "Ana"}
    )


def test_a_run_keeps_topic_title_context_and_steps(db: Store) -> None:
    run = db.get_run(new_run(db, 2).id)
    assert (run.topic, run.title) == ("labour-mobility", "Launch a pilot")
    assert run.context == Context(partner="Morocco")
    assert [(s.text, s.item_id, s.collection) for s in run.steps] == [
        ("Step 0", "lessons.item-0", "lessons"),
        ("Step 1", "lessons.item-1", "lessons"),
    ]


def test_a_run_records_where_by_whom_and_when_it_was_made(db: Store, clock: FakeClock) -> None:
    run = db.get_run(new_run(db, guild_id=10, channel_id=20, created_by=30).id)
    assert (run.guild_id, run.channel_id, run.created_by) == (10, 20, 30)
    assert run.created_at == clock.now


def test_a_run_made_in_a_dm_has_no_server(db: Store) -> None:
    run = db.get_run(new_run(db, guild_id=None).id)
    assert run.guild_id is None


def test_a_new_run_has_no_ticks(db: Store) -> None:
    run = new_run(db)
    assert run.ticks == {} and run.ticked_count == 0 and not run.complete


def test_an_unknown_run_is_none(db: Store) -> None:
    assert db.get_run(new_run(db).id + 100) is None


def test_a_run_written_by_the_previous_release_reads_back(db: Store, guidance) -> None:
    original = build_checklist(guidance, "diaspora", MOROCCO)
    conn = sqlite3.connect(db.path)  # the columns as the previous release wrote them
    conn.execute(
        "INSERT INTO runs (topic, title, context, steps, guild_id, channel_id, message_id,"
        " created_by, created_at) VALUES (?, ?, ?, ?, 1, 2, 99, 3, 4.0)",
        (
            original.topic,
            original.title,
            dumps(context_values(original.context)),
            dumps([s.as_dict() for s in original.steps]),
        ),
    )
    conn.commit()
    conn.close()
    assert db.get_run(1).checklist(guidance) == original


def test_ticking_a_step_records_who_and_when(db: Store, clock: FakeClock) -> None:
    run = db.set_tick(new_run(db).id, 1, ticked=True, user_id=1, user_name="amina")
    assert set(run.ticks) == {1} and run.is_ticked(1) and not run.is_ticked(0)
    tick = run.ticks[1]
    assert (tick.user_id, tick.user_name, tick.ticked_at) == (1, "amina", clock.now)


def test_a_tick_is_stored(db: Store) -> None:
    run_id = new_run(db).id
    db.set_tick(run_id, 1, ticked=True, user_id=1, user_name="amina")
    assert set(db.get_run(run_id).ticks) == {1}


def test_ticking_a_ticked_step_again_changes_nothing(db: Store, clock: FakeClock) -> None:
    run_id = new_run(db).id
    first = db.set_tick(run_id, 1, ticked=True, user_id=1, user_name="amina").ticks[1]
    clock.advance(60)
    run = db.set_tick(run_id, 1, ticked=True, user_id=1, user_name="amina")
    assert run.ticks[1] == first


def test_unticking_removes_the_tick(db: Store) -> None:
    run_id = new_run(db).id
    db.set_tick(run_id, 1, ticked=True, user_id=1, user_name="amina")
    run = db.set_tick(run_id, 1, ticked=False, user_id=1, user_name="amina")
    assert run.ticks == {}
    assert db.get_run(run_id).ticks == {}


def test_unticking_an_unticked_step_does_nothing(db: Store) -> None:
    run = db.set_tick(new_run(db).id, 1, ticked=False, user_id=1, user_name="amina")
    assert run.ticks == {}


def test_ticking_every_step_completes_the_run(db: Store) -> None:
    run_id = new_run(db, 2).id
    db.set_tick(run_id, 0, ticked=True, user_id=1, user_name="a")
    run = db.set_tick(run_id, 1, ticked=True, user_id=1, user_name="a")
    assert run.complete and run.ticked_count == 2


def test_a_run_without_steps_is_never_complete(db: Store) -> None:
    run = db.create_run(checklist(0), guild_id=1, channel_id=1, created_by=1)
    assert not run.complete


def test_ticking_someone_elses_tick_keeps_its_ticker(db: Store) -> None:
    run_id = new_run(db).id
    db.set_tick(run_id, 0, ticked=True, user_id=1, user_name="amina")
    db.set_tick(run_id, 2, ticked=True, user_id=2, user_name="bruno")
    run = db.set_tick(run_id, 0, ticked=True, user_id=2, user_name="bruno")
    assert run.ticks[0].user_name == "amina"
    assert run.ticks[2].user_name == "bruno"


def test_anyone_may_untick(db: Store) -> None:
    run_id = new_run(db).id
    db.set_tick(run_id, 0, ticked=True, user_id=1, user_name="amina")
    run = db.set_tick(run_id, 0, ticked=False, user_id=2, user_name="bruno")
    assert run.ticks == {}


@pytest.mark.parametrize("step", [-1, 3, 100])
def test_a_step_out_of_range_is_refused(db: Store, step: int) -> None:
    run_id = new_run(db, 3).id
    with pytest.raises(ValueError, match="out of range"):
        db.set_tick(run_id, step, ticked=True, user_id=1, user_name="a")
    assert db.get_run(run_id).ticks == {}


def test_ticking_an_unknown_run_raises_unknown_run_error(db: Store) -> None:
    run_id = new_run(db).id
    with pytest.raises(UnknownRunError) as info:
        db.set_tick(run_id + 1, 0, ticked=True, user_id=1, user_name="a")
    assert isinstance(info.value, ValueError) and isinstance(info.value, LookupError)
    assert info.value.run_id == run_id + 1
