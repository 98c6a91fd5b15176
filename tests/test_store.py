"""Tests for pact_advisor.store: schema migrations, checklist ticks, feedback, privacy, errors."""

from __future__ import annotations

import os
import select
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pact_advisor import store as store_mod
from pact_advisor.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    ItemCounts,
    Store,
    StoreError,
    UnknownRunError,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
DAY = 86_400.0


class FakeClock:
    """A settable clock (epoch seconds)."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def steps(n: int) -> list[dict]:
    return [
        {"text": f"Step {i}", "item_id": f"item-{i}", "collection": "lessons"} for i in range(n)
    ]


def new_run(store: Store, n: int = 3, **kw) -> int:
    return store.create_run(
        kw.pop("topic", "labour-mobility"),
        kw.pop("title", "Launch a pilot"),
        kw.pop("context", {"country": "Morocco"}),
        steps(n),
        guild_id=kw.pop("guild_id", 10),
        channel_id=kw.pop("channel_id", 20),
        created_by=kw.pop("created_by", 30),
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db(tmp_path: Path, clock: FakeClock):
    with Store(tmp_path / "advisor.db", clock=clock) as s:
        yield s


def build_old_db(path: Path, version: int = 1) -> None:
    """A database as an earlier release left it: migrations up to ``version`` applied."""
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at REAL NOT NULL);"
        + "".join(MIGRATIONS[:version])
    )
    conn.executemany(
        "INSERT INTO schema_migrations VALUES (?, 1.0)", [(v,) for v in range(1, version + 1)]
    )
    conn.execute(
        "INSERT INTO runs (topic, title, context, steps, guild_id, channel_id, created_by,"
        " created_at) VALUES ('t', 'Old run', '{}', ?, NULL, 5, 7, 1.0)",
        (
            '[{"text": "a", "item_id": null, "collection": null}, '
            '{"text": "b", "item_id": null, "collection": null}]',
        ),
    )
    conn.execute("INSERT INTO ticks VALUES (1, 1, 7, 'old-user', 2.0)")
    conn.execute(
        "INSERT INTO feedback (question, item_id, helpful, user_id, guidance_version,"
        " created_at) VALUES ('old question?', 'item-x', 1, 7, 'g1', 3.0)"
    )
    conn.commit()
    conn.close()


# --------------------------------------------------------------------------
# opening and migrations
# --------------------------------------------------------------------------


def test_open_creates_db_with_wal_and_all_migrations(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "advisor.db"
    with Store(path) as s:
        assert s.schema_versions() == list(range(1, SCHEMA_VERSION + 1))
        assert s._connection().execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert s._connection().execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s._connection().execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert path.is_file()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_schema_has_at_least_two_versions() -> None:
    assert SCHEMA_VERSION >= 2


def test_opening_twice_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "advisor.db"
    with Store(path) as s:
        run_id = new_run(s)
    with Store(path) as s:
        assert s.get_run(run_id) is not None
    with Store(path) as s:
        assert s.schema_versions() == list(range(1, SCHEMA_VERSION + 1))
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT version, COUNT(*) FROM schema_migrations GROUP BY version"
    ).fetchall()
    conn.close()
    assert rows == [(v, 1) for v in range(1, SCHEMA_VERSION + 1)]


def test_v1_database_upgrades_in_place_keeping_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    build_old_db(path)
    with Store(path) as s:
        assert s.schema_versions() == list(range(1, SCHEMA_VERSION + 1))
        run = s.get_run(1)
        assert run is not None and run.title == "Old run"
        assert run.ticks[1].user_name == "old-user"
        assert s.report(0).item_counts == {"item-x": ItemCounts(helpful=1, not_helpful=0)}
        # the store keeps working on the upgraded file
        run = s.set_tick(1, 0, ticked=True, user_id=8, user_name="new-user")
        assert sorted(run.ticks) == [0, 1]
    conn = sqlite3.connect(path)
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    conn.close()
    assert {"feedback_unpurged", "unanswered_unpurged", "runs_message_id"} <= indexes


def test_v2_database_gains_the_turns_table_and_keeps_its_data(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "old.db"
    build_old_db(path, version=2)
    with Store(path, clock=clock) as s:
        assert s.schema_versions() == list(range(1, SCHEMA_VERSION + 1))
        assert s.get_run(1).title == "Old run"
        assert s.get_turn(99) is None
        s.save_turn(99, "what about Morocco?", ["item-a"], {"partner": "Morocco"})
        assert s.get_turn(99).question == "what about Morocco?"
    with Store(path, clock=clock) as s:  # reopening applies nothing twice
        assert s.get_turn(99).match_ids == ["item-a"]
        assert s.report(0).item_counts == {"item-x": ItemCounts(helpful=1, not_helpful=0)}


def test_failed_migration_is_rolled_back_and_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "advisor.db"
    Store(path).close()
    broken = (*MIGRATIONS, "CREATE TABLE extra (x INTEGER); INSERT INTO nope VALUES (1);")
    monkeypatch.setattr(store_mod, "MIGRATIONS", broken)
    monkeypatch.setattr(store_mod, "SCHEMA_VERSION", len(broken))
    with pytest.raises(StoreError, match=r"could not open the database at .*advisor\.db"):
        Store(path)
    monkeypatch.undo()
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    versions = [r[0] for r in conn.execute("SELECT version FROM schema_migrations")]
    conn.close()
    assert "extra" not in tables
    assert versions == list(range(1, SCHEMA_VERSION + 1))


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "advisor.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_migrations VALUES (99, 0)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer than this program supports"):
        Store(path)


def test_open_garbage_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("this is not a database " * 100)
    with pytest.raises(StoreError) as info:
        Store(path)
    assert str(path) in str(info.value)
    assert "not a database" in str(info.value)


def test_open_directory_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        Store(tmp_path)
    assert str(tmp_path) in str(info.value)


def test_closed_store_raises_store_error(tmp_path: Path) -> None:
    s = Store(tmp_path / "advisor.db")
    s.close()
    s.close()  # twice is fine
    with pytest.raises(StoreError, match="closed"):
        s.get_run(1)


# --------------------------------------------------------------------------
# checklist runs and ticks
# --------------------------------------------------------------------------


def test_create_and_get_run(db: Store, clock: FakeClock) -> None:
    run_id = new_run(db, 2, context={"country": "Tunisia", "sector": "health"})
    run = db.get_run(run_id)
    assert run is not None
    assert run.topic == "labour-mobility" and run.title == "Launch a pilot"
    assert run.context == {"country": "Tunisia", "sector": "health"}
    assert run.steps == [
        {"text": "Step 0", "item_id": "item-0", "collection": "lessons"},
        {"text": "Step 1", "item_id": "item-1", "collection": "lessons"},
    ]
    assert (run.guild_id, run.channel_id, run.created_by) == (10, 20, 30)
    assert run.created_at == clock.now
    assert run.ticks == {} and not run.complete
    assert db.get_run(run_id + 100) is None


def test_steps_are_a_snapshot(db: Store) -> None:
    source = steps(2)
    run_id = db.create_run("t", "T", {}, source, guild_id=None, channel_id=None, created_by=1)
    source[0]["text"] = "changed later"
    assert db.get_run(run_id).steps[0]["text"] == "Step 0"


def test_create_run_rejects_bad_input(db: Store) -> None:
    with pytest.raises(ValueError):
        db.create_run("t", "T", {}, [{"no_text": 1}], guild_id=1, channel_id=1, created_by=1)
    with pytest.raises(ValueError):
        db.create_run("t", "T", {"x": object()}, steps(1), guild_id=1, channel_id=1, created_by=1)


def test_tick_untick_and_idempotence(db: Store, clock: FakeClock) -> None:
    run_id = new_run(db, 3)
    run = db.set_tick(run_id, 1, ticked=True, user_id=1, user_name="amina")
    assert set(run.ticks) == {1}
    first = run.ticks[1]
    assert (first.user_id, first.user_name, first.ticked_at) == (1, "amina", clock.now)

    clock.advance(60)
    run = db.set_tick(run_id, 1, ticked=True, user_id=1, user_name="amina")
    assert run.ticks[1] == first  # ticking again changes nothing

    run = db.set_tick(run_id, 1, ticked=False, user_id=1, user_name="amina")
    assert run.ticks == {}
    run = db.set_tick(run_id, 1, ticked=False, user_id=1, user_name="amina")
    assert run.ticks == {}
    assert db.get_run(run_id).ticks == {}


def test_completing_all_steps(db: Store) -> None:
    run_id = new_run(db, 2)
    db.set_tick(run_id, 0, ticked=True, user_id=1, user_name="a")
    run = db.set_tick(run_id, 1, ticked=True, user_id=1, user_name="a")
    assert run.complete and run.ticked_count == 2


def test_two_users_keep_their_own_ticks(db: Store) -> None:
    run_id = new_run(db, 3)
    db.set_tick(run_id, 0, ticked=True, user_id=1, user_name="amina")
    db.set_tick(run_id, 2, ticked=True, user_id=2, user_name="bruno")
    # bruno ticking amina's step keeps amina as the ticker
    run = db.set_tick(run_id, 0, ticked=True, user_id=2, user_name="bruno")
    assert run.ticks[0].user_name == "amina"
    assert run.ticks[2].user_name == "bruno"
    # anyone may untick
    run = db.set_tick(run_id, 0, ticked=False, user_id=2, user_name="bruno")
    assert set(run.ticks) == {2}


def test_tick_validates_step_and_run(db: Store) -> None:
    run_id = new_run(db, 3)
    for bad in (-1, 3, 100):
        with pytest.raises(ValueError, match="out of range"):
            db.set_tick(run_id, bad, ticked=True, user_id=1, user_name="a")
    with pytest.raises(UnknownRunError):
        db.set_tick(run_id + 1, 0, ticked=True, user_id=1, user_name="a")
    with pytest.raises(ValueError):  # UnknownRunError is a ValueError too
        db.set_tick(run_id + 1, 0, ticked=True, user_id=1, user_name="a")
    assert db.get_run(run_id).ticks == {}


# --------------------------------------------------------------------------
# feedback, unanswered questions, report
# --------------------------------------------------------------------------


def test_report_since_date(db: Store, clock: FakeClock) -> None:
    t0 = clock.now
    db.record_feedback("old q", "item-a", False, user_id=1, guidance_version="v1")
    db.record_unanswered("old unanswered", ["item-a"], user_id=1)
    clock.advance(DAY)
    db.record_feedback("How do I start?", "item-a", True, user_id=2, guidance_version="v2")
    db.record_feedback("Is this legal?", "item-a", False, user_id=3, guidance_version="v2")
    db.record_feedback("Budget?", "item-b", True, user_id=3, guidance_version="v2")
    db.record_unanswered("What about Mars?", ["item-c", "item-d"], user_id=4)

    report = db.report(datetime.fromtimestamp(t0 + DAY / 2, tz=UTC))
    assert [q.question for q in report.unanswered] == ["What about Mars?"]
    assert report.unanswered[0].suggestions == ["item-c", "item-d"]
    assert report.unanswered[0].user_id == 4
    assert [(f.question, f.item_id, f.helpful) for f in report.not_helpful] == [
        ("Is this legal?", "item-a", False)
    ]
    assert report.not_helpful[0].guidance_version == "v2"
    assert report.item_counts == {
        "item-a": ItemCounts(helpful=1, not_helpful=1),
        "item-b": ItemCounts(helpful=1, not_helpful=0),
    }
    assert report.until == clock.now

    everything = db.report(t0)  # epoch seconds work too
    assert len(everything.unanswered) == 2
    assert everything.item_counts["item-a"] == ItemCounts(helpful=1, not_helpful=2)
    assert db.report(clock.now + 1).item_counts == {}


def test_purge_questions_blanks_text_but_keeps_counts(db: Store) -> None:
    db.record_feedback("my private question", "item-a", False, user_id=1, guidance_version="v1")
    db.record_feedback("another", "item-a", True, user_id=1, guidance_version="v1")
    db.record_unanswered("secret unanswered", ["item-b"], user_id=2)
    assert db.purge_questions() == 3
    assert db.purge_questions() == 0
    report = db.report(0)
    assert [q.question for q in report.unanswered] == [None]
    assert report.unanswered[0].suggestions == ["item-b"]
    assert [f.question for f in report.not_helpful] == [None]
    assert report.item_counts == {"item-a": ItemCounts(helpful=1, not_helpful=1)}
    conn = sqlite3.connect(db.path)
    dump = "\n".join(conn.iterdump())
    conn.close()
    assert "private question" not in dump and "secret unanswered" not in dump


def test_purge_questions_blanks_the_question_of_turns(db: Store) -> None:
    db.save_turn(1, "my private question", ["item-a"], {"partner": "Morocco"}, channel_id=5)
    db.record_feedback("my private question", "item-a", False, user_id=1, guidance_version="v1")
    assert db.purge_questions() == 2
    turn = db.get_turn(1)
    assert turn.question is None
    assert turn.match_ids == ["item-a"] and turn.context == {"partner": "Morocco"}
    conn = sqlite3.connect(db.path)
    dump = "\n".join(conn.iterdump())
    conn.close()
    assert "private question" not in dump


def test_retention_purge_blanks_old_turns(tmp_path: Path) -> None:
    clock = FakeClock()
    with Store(tmp_path / "advisor.db", clock=clock, retention_days=2) as s:
        s.save_turn(1, "day 0", ["item-a"], {})
        clock.advance(DAY)
        s.save_turn(2, "day 1", ["item-b"], {})
        clock.advance(1.5 * DAY)  # day 2.5: only the first is older than 2 days
        assert s.purge_expired() == 1
        assert [s.get_turn(i).question for i in (1, 2)] == [None, "day 1"]


def test_retention_purge_with_injected_clock(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / "advisor.db"
    with Store(path, clock=clock, retention_days=90) as s:
        s.record_feedback("day 0", "item-a", True, user_id=1, guidance_version="v1")
        clock.advance(50 * DAY)
        s.record_unanswered("day 50", [], user_id=1)
        assert s.purge_expired() == 0
        clock.advance(41 * DAY)  # day 91: only the first is older than 90 days
        assert s.purge_expired() == 1
        assert s.purge_expired() == 0
        report = s.report(0)
        assert [f for f in report.item_counts] == ["item-a"]
        assert [q.question for q in report.unanswered] == ["day 50"]

    clock.advance(50 * DAY)  # day 141: opening purges the rest automatically
    with Store(path, clock=clock, retention_days=90) as s:
        assert [q.question for q in s.report(0).unanswered] == [None]
        assert s.purge_expired() == 0


def test_no_retention_keeps_questions(tmp_path: Path) -> None:
    clock = FakeClock()
    with Store(tmp_path / "advisor.db", clock=clock, retention_days=None) as s:
        s.record_unanswered("keep me", [], user_id=1)
        clock.advance(10_000 * DAY)
        assert s.purge_expired() == 0
        assert [q.question for q in s.report(0).unanswered] == ["keep me"]


# --------------------------------------------------------------------------
# conversation turns
# --------------------------------------------------------------------------


def test_save_and_get_a_turn(db: Store, clock: FakeClock) -> None:
    db.save_turn(
        1_456_074_443_980_800_001,
        "how do we keep employers on board?",
        ["talent.public-private", "talent.overview"],
        {"partner": "Morocco", "sector": None, "programme": None},
        guidance_version="g1",
    )
    turn = db.get_turn(1_456_074_443_980_800_001)
    assert turn.question == "how do we keep employers on board?"
    assert turn.match_ids == ["talent.public-private", "talent.overview"]
    assert turn.context == {"partner": "Morocco", "sector": None, "programme": None}
    assert turn.guidance_version == "g1" and turn.channel_id is None
    assert turn.created_at == clock.now
    assert db.get_turn(2) is None


def test_saving_a_turn_again_replaces_it(db: Store) -> None:
    db.save_turn(1, "first", ["a"], {})
    db.save_turn(1, "second", ["b"], {})
    assert db.get_turn(1).question == "second"


def test_last_turn_is_the_latest_answer_in_a_channel(db: Store) -> None:
    db.save_turn(10, "older", ["a"], {}, channel_id=7)
    db.save_turn(12, "latest", ["b"], {}, channel_id=7)
    db.save_turn(11, "elsewhere", ["c"], {}, channel_id=8)
    db.save_turn(13, "no channel", ["d"], {})
    assert db.last_turn(7).question == "latest"
    assert db.last_turn(8).question == "elsewhere"
    assert db.last_turn(9) is None


def test_save_turn_rejects_a_context_that_is_not_json(db: Store) -> None:
    with pytest.raises(ValueError, match="context"):
        db.save_turn(1, "q", [], {"partner": object()})
    assert db.get_turn(1) is None


# --------------------------------------------------------------------------
# durability and errors
# --------------------------------------------------------------------------


def test_writes_are_visible_after_reopen(tmp_path: Path) -> None:
    path = tmp_path / "advisor.db"
    with Store(path) as s:
        run_id = new_run(s)
        s.set_tick(run_id, 0, ticked=True, user_id=1, user_name="a")
        s.record_feedback("q", "item-a", True, user_id=1, guidance_version=None)
    with Store(path) as s:
        assert set(s.get_run(run_id).ticks) == {0}
        assert s.report(0).item_counts == {"item-a": ItemCounts(helpful=1)}


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can write read-only files"
)
def test_read_only_file_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "advisor.db"
    with Store(path) as s:
        run_id = new_run(s)
    path.chmod(0o444)
    try:
        with Store(path) as s:
            assert s.get_run(run_id) is not None
            with pytest.raises(StoreError, match="could not save: the database is read-only"):
                s.set_tick(run_id, 0, ticked=True, user_id=1, user_name="a")
    finally:
        path.chmod(0o644)


def test_locked_database_write_raises_store_error(tmp_path: Path) -> None:
    path = tmp_path / "advisor.db"
    with Store(path, busy_timeout=0.2) as s:
        run_id = new_run(s)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(StoreError, match="could not save: the database is locked"):
                s.set_tick(run_id, 0, ticked=True, user_id=1, user_name="a")
            assert s.get_run(run_id).ticks == {}  # readers are not blocked in WAL mode
        finally:
            other.execute("ROLLBACK")
            other.close()
        run = s.set_tick(run_id, 0, ticked=True, user_id=1, user_name="a")
        assert set(run.ticks) == {0}


CRASH_WRITER = textwrap.dedent(
    """
    import sys
    from pact_advisor.store import Store

    store = Store(sys.argv[1])
    n = 5000
    run_id = store.create_run(
        "t", "crash", {}, [{"text": str(i)} for i in range(n)],
        guild_id=1, channel_id=2, created_by=3,
    )
    print(f"run {run_id}", flush=True)
    for i in range(n):
        store.set_tick(run_id, i, ticked=True, user_id=i, user_name=f"user{i}")
        print(f"ack {i}", flush=True)
    """
)


def test_acknowledged_ticks_survive_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "advisor.db"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    proc = subprocess.Popen(
        [sys.executable, "-c", CRASH_WRITER, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    acked: list[int] = []
    run_id = None
    buf = b""
    deadline = time.monotonic() + 60
    try:
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        while len(acked) < 200:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"writer too slow: {len(acked)} acks in 60 s"
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                proc.wait(5)
                raise AssertionError(f"writer exited early: {proc.stderr.read().decode()}")
            buf += chunk
            *lines, buf = buf.split(b"\n")
            for line in lines:
                word, number = line.decode().split()
                if word == "run":
                    run_id = int(number)
                else:
                    acked.append(int(number))
        os.kill(proc.pid, signal.SIGKILL)  # mid-write, no clean shutdown
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert run_id is not None

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with Store(path) as s:
        run = s.get_run(run_id)
        assert run is not None
        for step in acked:
            assert step in run.ticks, f"acknowledged tick {step} was lost"
            assert run.ticks[step].user_name == f"user{step}"
