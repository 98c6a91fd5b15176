"""Retention, checked on the database file itself: once the retention period has passed, the
question text members typed is nowhere in it.

tests/discord/test_admin.py checks that the report stops showing an expired question;
tests/store/test_retention.py checks the purge rules with an injected clock. Here every way
a question gets stored is used, virtual time runs past the retention period (the hourly
purge fires on its own), and the whole file is searched, through SQLite and byte by byte.
"""

from __future__ import annotations

import sqlite3

import pytest

ANSWERED = "how do we keep employers on board in a talent partnership"
NOT_COVERED = "how do I bake bread with diaspora"
IN_DM = "who funds the MPF?"
QUESTIONS = (ANSWERED, NOT_COVERED, IN_DM)
DAY = 86_400


@pytest.fixture
def bot_options():
    return {"settings_changes": {"retention_days": 2}}


async def _store_questions_every_way(env, channel, user, *, checklists: bool) -> None:
    answer = (await user.slash(channel, "ask", question=ANSWERED)).response  # turn memory
    await user.click(answer, label="Not helpful")  # feedback
    await user.slash(channel, "ask", question=NOT_COVERED)  # unanswered log
    dana = env.create_user("dana")
    await dana.send_dm(IN_DM)  # a DM conversation
    if checklists:
        await user.click(answer, label="Checklist from this answer")
        await dana.send_dm("make that a checklist")


def _rows_with_questions(path, skip: tuple[str, ...] = ()) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [
            line[:200]
            for line in conn.iterdump()
            if any(q in line for q in QUESTIONS)
            and not any(line.startswith(f'INSERT INTO "{t}"') for t in skip)
        ]
    finally:
        conn.close()


async def test_expired_question_text_is_gone_from_the_database_file(env, channel, user, db_path):
    await _store_questions_every_way(env, channel, user, checklists=False)
    assert _rows_with_questions(db_path)  # stored while fresh

    await env.advance_time(2 * DAY + 2 * 3_600)  # past 2 days, and the hourly purge has run
    assert _rows_with_questions(db_path) == []
    await env.bot.close()  # checkpoint the WAL into the file
    for file in db_path.parent.glob(db_path.name + "*"):
        raw = file.read_bytes()
        for question in QUESTIONS:
            assert question.encode() not in raw, f"{question!r} still in {file.name}"


async def test_expired_question_text_is_gone_even_from_checklists_made_from_answers(
    env, channel, user, db_path
):
    await _store_questions_every_way(env, channel, user, checklists=True)
    await env.advance_time(2 * DAY + 2 * 3_600)
    assert _rows_with_questions(db_path) == []
