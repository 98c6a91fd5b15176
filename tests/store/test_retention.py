"""Question text is personal data: blanked after the retention period, or at once on request;
votes, suggestions and counts stay."""

from __future__ import annotations

from pathlib import Path

from store_helpers import DAY, FakeClock, dump

from pact_advisor.engine import Context, Turn
from pact_advisor.store import ItemCounts, Store


def _stored_every_way(db: Store) -> None:
    db.record_feedback("my private question", "item-a", False, user_id=1, guidance_version="v1")
    db.record_feedback("another", "item-a", True, user_id=1, guidance_version="v1")
    db.record_unanswered("secret unanswered", ["item-b"], user_id=2)
    db.save_turn(1, Turn("my turn question", ("item-a",), Context(partner="Morocco")))


def test_purging_blanks_every_question_and_says_how_many(db: Store) -> None:
    _stored_every_way(db)
    assert db.purge_questions() == 4
    assert db.purge_questions() == 0


def test_purging_keeps_votes_and_suggestions(db: Store) -> None:
    _stored_every_way(db)
    db.purge_questions()
    report = db.report(0)
    assert [(q.question, q.suggestions) for q in report.unanswered] == [(None, ("item-b",))]
    assert [f.question for f in report.not_helpful] == [None]
    assert report.item_counts == {"item-a": ItemCounts(helpful=1, not_helpful=1)}


def test_purged_question_text_is_gone_from_the_database(db: Store) -> None:
    _stored_every_way(db)
    db.purge_questions()
    rows = dump(db.path)
    for text in ("private question", "secret unanswered", "my turn question"):
        assert text not in rows


def test_a_purged_turn_keeps_its_matches_but_gives_nothing_to_continue_from(db: Store) -> None:
    _stored_every_way(db)
    db.purge_questions()
    record = db.get_turn(1)
    assert record.question is None and record.turn is None
    assert record.match_ids == ("item-a",) and record.context == Context(partner="Morocco")


def test_only_question_text_older_than_the_retention_period_expires(tmp_path: Path) -> None:
    clock = FakeClock()
    with Store(tmp_path / "advisor.db", clock=clock, retention_days=90) as s:
        s.record_feedback("day 0", "item-a", True, user_id=1, guidance_version="v1")
        clock.advance(50 * DAY)
        s.record_unanswered("day 50", [], user_id=1)
        assert s.purge_expired() == 0
        clock.advance(41 * DAY)  # day 91: only the first is older than 90 days
        assert s.purge_expired() == 1
        report = s.report(0)
        assert list(report.item_counts) == ["item-a"]
        assert [q.question for q in report.unanswered] == ["day 50"]


def test_expired_turns_are_blanked_too(tmp_path: Path) -> None:
    clock = FakeClock()
    with Store(tmp_path / "advisor.db", clock=clock, retention_days=2) as s:
        s.save_turn(1, Turn("day 0", ("item-a",)))
        clock.advance(DAY)
        s.save_turn(2, Turn("day 1", ("item-b",)))
        clock.advance(1.5 * DAY)  # day 2.5: only the first is older than 2 days
        assert s.purge_expired() == 1
        assert [s.get_turn(i).question for i in (1, 2)] == [None, "day 1"]


def test_purging_expired_text_twice_blanks_nothing_the_second_time(tmp_path: Path) -> None:
    clock = FakeClock()
    with Store(tmp_path / "advisor.db", clock=clock, retention_days=1) as s:
        s.record_unanswered("first", [], user_id=1)
        clock.advance(2 * DAY)
        assert s.purge_expired() == 1
        assert s.purge_expired() == 0


def test_opening_the_store_blanks_expired_text(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / "advisor.db"
    with Store(path, clock=clock, retention_days=90) as s:
        s.record_unanswered("day 0", [], user_id=1)
    clock.advance(91 * DAY)
    with Store(path, clock=clock, retention_days=90) as s:
        assert [q.question for q in s.report(0).unanswered] == [None]
        assert s.purge_expired() == 0


def test_without_a_retention_period_questions_are_kept(tmp_path: Path) -> None:
    clock = FakeClock()
    with Store(tmp_path / "advisor.db", clock=clock, retention_days=None) as s:
        s.record_unanswered("keep me", [], user_id=1)
        clock.advance(10_000 * DAY)
        assert s.purge_expired() == 0
        assert [q.question for q in s.report(0).unanswered] == ["keep me"]


def _raw_bytes(db_path: Path) -> dict[str, bytes]:
    """The database and its -wal and -shm files, byte for byte, as they are on disk now."""
    found = {}
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{db_path}{suffix}")
        found[path.name] = path.read_bytes() if path.exists() else b""
    return found


LONG_SECRET = "long-secret-" + "x" * 6000  # spills onto overflow pages


def _store_secrets(s: Store) -> None:
    s.record_feedback("purple elephant question", "item-a", False, user_id=1, guidance_version="v")
    s.record_unanswered("zebra crossing secret", ["item-b"], user_id=2)
    s.record_unanswered(LONG_SECRET, [], user_id=2)
    s.save_turn(1, Turn("giraffe turn question", ("item-a",), Context(partner="Morocco")))


def test_purged_text_is_gone_from_the_raw_files_while_the_store_is_open(tmp_path: Path) -> None:
    path = tmp_path / "advisor.db"
    with Store(path, retention_days=None) as s:
        _store_secrets(s)
        s.purge_questions()
        files = _raw_bytes(path)  # the store is still open: nothing flushed by closing
        for name, data in files.items():
            for text in ("purple elephant", "zebra crossing", "giraffe turn", "long-secret-"):
                assert text.encode() not in data, f"{text!r} still in {name}"


def test_expired_text_is_gone_from_the_raw_files_while_the_store_is_open(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / "advisor.db"
    with Store(path, clock=clock, retention_days=30) as s:
        _store_secrets(s)
        clock.advance(31 * DAY)
        assert s.purge_expired() == 4
        for name, data in _raw_bytes(path).items():
            for text in ("purple elephant", "zebra crossing", "giraffe turn", "long-secret-"):
                assert text.encode() not in data, f"{text!r} still in {name}"


def test_the_store_turns_on_secure_delete(db: Store) -> None:
    assert db._connection().execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_a_votes_own_words_expire_with_question_text(tmp_path: Path) -> None:
    now = [1_000_000.0]
    store = Store(tmp_path / "a.db", clock=lambda: now[0], retention_days=30)
    store.set_vote(
        7,
        "diaspora.overview",
        False,
        user_id=1,
        question=None,
        guidance_version="v",
        reason="missing",
        note="nothing on costs",
    )
    now[0] += 31 * 86_400
    store.purge_expired()
    (record,) = store.report(0).not_helpful
    assert record.note is None and record.reason == "missing"  # the reason is kept
    store.close()
