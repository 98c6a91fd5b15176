"""Conversation turns: the question behind an answer message, for follow-ups."""

from __future__ import annotations

from store_helpers import FakeClock

from pact_advisor.engine import Context, Turn
from pact_advisor.store import Store

MESSAGE = 1_456_074_443_980_800_001
EMPLOYERS = Turn(
    "how do we keep employers on board?",
    ("talent.public-private", "talent.overview"),
    Context(partner="Morocco"),
)


def test_a_saved_turn_gives_back_the_turn(db: Store) -> None:
    db.save_turn(MESSAGE, EMPLOYERS)
    assert db.get_turn(MESSAGE).turn == EMPLOYERS


def test_a_saved_turn_records_its_guidance_version_and_time(db: Store, clock: FakeClock) -> None:
    db.save_turn(MESSAGE, EMPLOYERS, guidance_version="g1")
    record = db.get_turn(MESSAGE)
    assert record.message_id == MESSAGE
    assert record.guidance_version == "g1" and record.channel_id is None
    assert record.created_at == clock.now


def test_an_unknown_message_has_no_turn(db: Store) -> None:
    db.save_turn(MESSAGE, EMPLOYERS)
    assert db.get_turn(2) is None


def test_saving_a_turn_again_replaces_it(db: Store) -> None:
    db.save_turn(1, Turn("first", ("a",)))
    db.save_turn(1, Turn("second", ("b",)))
    assert db.get_turn(1).turn == Turn("second", ("b",))


def test_the_last_turn_is_the_latest_answer_in_a_channel(db: Store) -> None:
    db.save_turn(10, Turn("older", ("a",)), channel_id=7)
    db.save_turn(12, Turn("latest", ("b",)), channel_id=7)
    db.save_turn(11, Turn("elsewhere", ("c",)), channel_id=8)
    db.save_turn(13, Turn("no channel", ("d",)))
    assert db.last_turn(7).question == "latest"
    assert db.last_turn(8).question == "elsewhere"
    assert db.last_turn(9) is None


def test_recent_turns_are_newest_first_and_skip_purged_questions(
    db: Store, clock: FakeClock
) -> None:
    for number, question in enumerate(("first", "second", "third"), start=1):
        db.save_turn(number, Turn(question, ("a",)), guidance_version="g1")
        clock.now += 10
    assert [r.question for r in db.recent_turns(2)] == ["third", "second"]
    db.purge_questions()
    assert db.recent_turns() == []
