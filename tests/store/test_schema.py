"""Opening a database: it is created, configured and upgraded in place, once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from store_helpers import FakeClock, build_old_db, new_run

from pact_advisor.engine import Turn
from pact_advisor.store import SCHEMA_VERSION, ItemCounts, Store, StoreError

EVERY_VERSION = list(range(1, SCHEMA_VERSION + 1))


def _names(path: Path, kind: str) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = ?", (kind,))
        }
    finally:
        conn.close()


def test_opening_creates_the_file_and_its_folders_with_every_migration(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "advisor.db"
    with Store(path) as s:
        assert s.schema_versions() == EVERY_VERSION
    assert path.is_file()


def test_the_database_is_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "advisor.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_the_connection_syncs_fully_checks_foreign_keys_and_waits_for_locks(
    tmp_path: Path,
) -> None:
    with Store(tmp_path / "advisor.db") as s:
        conn = s._connection()
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_schema_has_at_least_two_versions() -> None:
    assert SCHEMA_VERSION >= 2


def test_opening_again_keeps_the_data_and_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "advisor.db"
    with Store(path) as s:
        run_id = new_run(s).id
    with Store(path) as s:
        assert s.get_run(run_id) is not None
    with Store(path) as s:
        assert s.schema_versions() == EVERY_VERSION
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT version, COUNT(*) FROM schema_migrations GROUP BY version")
    assert rows.fetchall() == [(v, 1) for v in EVERY_VERSION]
    conn.close()


def test_a_v1_database_upgrades_in_place_keeping_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    build_old_db(path)
    with Store(path) as s:
        assert s.schema_versions() == EVERY_VERSION
        run = s.get_run(1)
        assert run is not None and run.title == "Old run"
        assert [step.text for step in run.steps] == ["a", "b"]
        assert run.ticks[1].user_name == "old-user"
        assert s.report(0).item_counts == {"item-x": ItemCounts(helpful=1, not_helpful=0)}
    assert {"feedback_unpurged", "unanswered_unpurged"} <= _names(path, "index")


def test_an_upgraded_database_takes_new_ticks(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    build_old_db(path)
    with Store(path) as s:
        run = s.set_tick(1, 0, ticked=True, user_id=8, user_name="new-user")
        assert sorted(run.ticks) == [0, 1]


def test_a_v2_database_gains_the_turns_table_and_keeps_its_data(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "old.db"
    build_old_db(path, version=2)
    with Store(path, clock=clock) as s:
        assert s.schema_versions() == EVERY_VERSION
        assert s.get_run(1).title == "Old run"
        assert s.get_turn(99) is None
        s.save_turn(99, Turn("what about Morocco?", ("item-a",)))
    with Store(path, clock=clock) as s:
        assert s.get_turn(99).match_ids == ("item-a",)
        assert s.report(0).item_counts == {"item-x": ItemCounts(helpful=1, not_helpful=0)}


def test_a_failed_migration_is_rolled_back_and_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "advisor.db"
    build_old_db(path, version=2)
    conn = sqlite3.connect(path)  # a hand-made index takes a name migration 3 needs
    conn.execute("CREATE INDEX turns_channel ON runs (channel_id)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match=r"could not open the database at .*advisor\.db"):
        Store(path)
    assert "turns" not in _names(path, "table")  # created by migration 3, then rolled back
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT version FROM schema_migrations")] == [1, 2]
    conn.close()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "advisor.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_migrations VALUES (99, 0)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer than this program supports"):
        Store(path)
