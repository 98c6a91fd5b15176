"""Votes on answers, unanswered questions, and the report an admin reads over both."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from store_helpers import DAY, FakeClock

from pact_advisor.store import ItemCounts, Store


@pytest.fixture
def history(db: Store, clock: FakeClock) -> float:
    """A day of old activity, then a day of new; returns the time between the two."""
    db.record_feedback("old q", "item-a", False, user_id=1, guidance_version="v1")
    db.record_unanswered("old unanswered", ["item-a"], user_id=1)
    clock.advance(DAY)
    db.record_feedback("How do I start?", "item-a", True, user_id=2, guidance_version="v2")
    db.record_feedback("Is this legal?", "item-a", False, user_id=3, guidance_version="v2")
    db.record_feedback("Budget?", "item-b", True, user_id=3, guidance_version="v2")
    db.record_unanswered("What about Mars?", ["item-c", "item-d"], user_id=4)
    return clock.now - DAY / 2


def test_the_report_lists_questions_left_unanswered_since_a_date(db: Store, history) -> None:
    report = db.report(datetime.fromtimestamp(history, tz=UTC))
    assert [q.question for q in report.unanswered] == ["What about Mars?"]
    assert report.unanswered[0].suggestions == ("item-c", "item-d")
    assert report.unanswered[0].user_id == 4


def test_the_report_lists_answers_marked_not_helpful_since_a_date(db: Store, history) -> None:
    report = db.report(datetime.fromtimestamp(history, tz=UTC))
    assert [(f.question, f.item_id, f.helpful) for f in report.not_helpful] == [
        ("Is this legal?", "item-a", False)
    ]
    assert report.not_helpful[0].guidance_version == "v2"


def test_the_report_counts_votes_per_item(db: Store, history) -> None:
    report = db.report(datetime.fromtimestamp(history, tz=UTC))
    assert report.item_counts == {
        "item-a": ItemCounts(helpful=1, not_helpful=1),
        "item-b": ItemCounts(helpful=1, not_helpful=0),
    }
    assert report.item_counts["item-a"].total == 2


def test_the_report_runs_until_now(db: Store, history, clock: FakeClock) -> None:
    report = db.report(history)
    assert (report.since, report.until) == (history, clock.now)


def test_the_report_takes_epoch_seconds(db: Store, history) -> None:
    everything = db.report(0)
    assert len(everything.unanswered) == 2
    assert everything.item_counts["item-a"] == ItemCounts(helpful=1, not_helpful=2)


def test_a_report_from_the_future_is_empty(db: Store, history, clock: FakeClock) -> None:
    report = db.report(clock.now + 1)
    assert report.unanswered == () and report.not_helpful == () and report.item_counts == {}


def test_the_report_refuses_a_date_that_is_not_a_time(db: Store) -> None:
    with pytest.raises(TypeError, match="datetime or epoch seconds"):
        db.report("2026-01-01")  # type: ignore[arg-type]


def test_a_vote_is_kept_without_its_question_once_purged(db: Store) -> None:
    db.record_feedback(None, "item-a", False, user_id=1, guidance_version=None)
    report = db.report(0)
    assert [(f.question, f.item_id) for f in report.not_helpful] == [(None, "item-a")]


def test_each_record_gets_its_own_id(db: Store) -> None:
    first = db.record_feedback("q", "item-a", True, user_id=1, guidance_version=None)
    second = db.record_feedback("q", "item-a", True, user_id=1, guidance_version=None)
    assert first != second
    assert db.record_unanswered("a", [], user_id=1) != db.record_unanswered("b", [], user_id=1)
