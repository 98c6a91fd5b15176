"""The cyclic garbage collector is paused while guidance is read and the index fitted, and is
always back as it was afterwards, whatever happened inside."""

from __future__ import annotations

import gc

import pytest

from pact_advisor import collector
from pact_advisor.knowledge import GuidanceError, load_guidance


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_off_inside_and_back_on_after(collector_on):
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():  # nested
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_failure_inside_still_turns_it_back_on(collector_on, tmp_path):
    with pytest.raises(GuidanceError):
        load_guidance(tmp_path / "missing")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off(collector_on):
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()


def test_loading_the_bundled_guidance_leaves_the_collector_on(collector_on):
    load_guidance("guidance")
    assert gc.isenabled()
