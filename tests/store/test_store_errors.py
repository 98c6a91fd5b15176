"""What a person is told when the database cannot be opened or written."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_helpers import new_run

from pact_advisor.store import LOCKED, READ_ONLY, Store, StoreError, write_problem

file_permissions_apply = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can write read-only files"
)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A database holding one run (id 1) of three steps."""
    path = tmp_path / "advisor.db"
    with Store(path) as s:
        new_run(s)
    return path


@pytest.fixture
def locked(path: Path) -> Iterator[Path]:
    """Another program holds the database's write lock."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    yield path
    other.execute("ROLLBACK")
    other.close()


def test_a_file_that_is_not_a_database_is_named_and_explained(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("this is not a database " * 100)
    with pytest.raises(StoreError) as info:
        Store(path)
    assert str(path) in str(info.value)
    assert "not a database" in str(info.value)


def test_a_folder_given_as_the_database_is_named(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        Store(tmp_path)
    assert str(tmp_path) in str(info.value)


def test_a_closed_store_says_so(tmp_path: Path) -> None:
    s = Store(tmp_path / "advisor.db")
    s.close()
    s.close()  # twice is fine
    assert s.closed
    with pytest.raises(StoreError, match="closed"):
        s.get_run(1)


def test_a_retention_period_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="retention_days"):
        Store(tmp_path / "advisor.db", retention_days=0)


def test_a_write_to_a_locked_database_says_it_is_locked(locked: Path) -> None:
    with Store(locked, busy_timeout=0.2) as s, pytest.raises(StoreError) as info:
        s.set_tick(1, 0, ticked=True, user_id=1, user_name="a")
    assert str(info.value) == f"could not save: the database {LOCKED}; try again"


def test_reading_works_while_another_program_holds_the_lock(locked: Path) -> None:
    with Store(locked, busy_timeout=0.2) as s:
        assert s.get_run(1).ticks == {}  # readers are not blocked in WAL mode


def test_a_write_refused_while_locked_works_once_the_lock_is_gone(path: Path) -> None:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    with Store(path, busy_timeout=0.2) as s:
        with pytest.raises(StoreError):
            s.set_tick(1, 0, ticked=True, user_id=1, user_name="a")
        other.execute("ROLLBACK")
        other.close()
        assert set(s.set_tick(1, 0, ticked=True, user_id=1, user_name="a").ticks) == {0}


@file_permissions_apply
def test_a_read_only_file_opens_for_reading_and_refuses_writes(path: Path) -> None:
    path.chmod(0o444)
    try:
        with Store(path) as s:
            assert s.get_run(1) is not None
            with pytest.raises(StoreError, match=f"could not save: the database {READ_ONLY}"):
                s.set_tick(1, 0, ticked=True, user_id=1, user_name="a")
    finally:
        path.chmod(0o644)


def test_the_write_check_passes_a_writable_database(path: Path) -> None:
    assert write_problem(path, timeout=0.2) is None


def test_the_write_check_changes_nothing(path: Path) -> None:
    before = path.read_bytes()
    write_problem(path, timeout=0.2)
    assert path.read_bytes() == before


def test_the_write_check_finds_a_lock_held_by_another_program(locked: Path) -> None:
    assert write_problem(locked, timeout=0.1) == LOCKED


@file_permissions_apply
def test_the_write_check_finds_a_read_only_file(path: Path) -> None:
    path.chmod(0o444)
    try:
        assert write_problem(path, timeout=0.2) == READ_ONLY
    finally:
        path.chmod(0o644)


def test_an_in_memory_database_is_always_writable() -> None:
    assert write_problem(":memory:", timeout=0.1) is None
