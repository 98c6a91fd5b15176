"""Fixtures for the store tests: a settable clock and a store on a fresh file."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_helpers import FakeClock

from pact_advisor.store import Store


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db(tmp_path: Path, clock: FakeClock):
    with Store(tmp_path / "advisor.db", clock=clock) as store:
        yield store
