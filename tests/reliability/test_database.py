"""The database file: damaged or foreign at start, damaged or full while the bot runs, and
shared by two processes by mistake. At start: a clear message and an exit, and the file is
left byte for byte as it was. While running: a tick, a vote or a checklist that cannot be
saved is never shown as saved, the member is told, and the bot keeps serving and recovers.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import discord
import pytest
import simcord
from sim_helpers import labels
from tests_discord_fixtures import settings_for_tests

from benchmarks.observe import integrity, shown_progress, stored_ticks
from pact_advisor.checklists import Checklist, Section, Step
from pact_advisor.cli import main
from pact_advisor.discord_bot import create_bot
from pact_advisor.discord_bot import run as runmod
from pact_advisor.discord_bot.admin.damage import GRACE
from pact_advisor.store import SCHEMA_VERSION, Store, StoreError, UnusableDatabase
from pact_advisor.store.lock import ProcessLock

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.database-secret-token-value"
UMBRELLA = "diaspora.umbrella-networks"
EMPLOYERS = "how do we keep employers on board in a talent partnership"
STEPS = Checklist(
    "t", "T", sections=(Section("c", "C", tuple(Step(f"s{i}", f"c.{i}", "c") for i in range(40))),)
)


def _ours(path: Path, runs: int = 30) -> Path:
    with Store(path) as store:
        for _ in range(runs):
            store.create_run(STEPS, guild_id=1, channel_id=1, created_by=1)
    return path


def _random(path: Path) -> None:
    path.write_bytes(os.urandom(16384))


def _truncated(path: Path) -> None:
    data = _ours(path.with_name("whole.db")).read_bytes()
    path.write_bytes(data[: len(data) // 2 // 4096 * 4096])


def _header_only(path: Path) -> None:
    path.write_bytes(_ours(path.with_name("whole.db")).read_bytes()[:100])


def _other_application(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    conn.commit()
    conn.close()


def _newer(path: Path) -> None:
    _ours(path)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_migrations VALUES (?, 0)", (SCHEMA_VERSION + 1,))
    conn.commit()
    conn.close()


DAMAGED = {
    "random bytes": (_random, "the file is not a database; nothing was changed in it"),
    "truncated": (_truncated, "the database file is damaged; nothing was changed in it"),
    "header only": (_header_only, "the database file is damaged; nothing was changed in it"),
    "another application": (_other_application, "it holds the tables moz_places of another"),
    "newer schema": (_newer, f"its schema version {SCHEMA_VERSION + 1} is newer than this"),
    "a directory": (lambda path: path.mkdir(), "it is a folder, not a file"),
}


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    return {p.name: (p.read_bytes() if p.is_file() else None) for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("kind", DAMAGED)
def test_a_damaged_or_foreign_database_stops_the_start_and_is_left_untouched(bot_env, capsys, kind):
    make, why = DAMAGED[kind]
    make(bot_env)
    before = _snapshot(bot_env.parent)

    assert main(["bot"]) == 1  # the terminal's command
    assert runmod.run_bot() == 1  # the entry point behind it
    with pytest.raises(UnusableDatabase, match=why):  # and the bot factory
        create_bot(bot_env, settings=settings_for_tests())

    err = capsys.readouterr().err
    first, second = err.strip().split("\n")
    assert first == second
    assert first.startswith(f"Cannot start: could not open the database at {bot_env}: ")
    assert why in first and "PACT_ADVISOR_DB" in first, first
    assert "Discord rejected" not in err and "Traceback" not in err and TOKEN not in err
    after = _snapshot(bot_env.parent)
    lock = bot_env.name + ".lock"  # the start's own lock file, next to the database
    assert {k: v for k, v in after.items() if k != lock} == before


def test_a_damaged_database_through_the_real_command_exits_cleanly(tmp_path):
    db = tmp_path / "advisor.db"
    _random(db)
    before = db.read_bytes()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DISCORD_", "PACT_ADVISOR_")) or k == "PACT_ADVISOR_CACHE"
    }
    env.update(PYTHONPATH=str(ROOT), DISCORD_TOKEN=TOKEN, PACT_ADVISOR_DB=str(db))
    done = subprocess.run(
        [sys.executable, "-m", "pact_advisor", "bot"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "Cannot start: could not open the database at" in done.stderr
    assert "the file is not a database" in done.stderr and "Traceback" not in done.stderr
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["advisor.db", "advisor.db.lock"]


# --------------------------------------------------------------------------------------------
# Damage found while the bot runs
# --------------------------------------------------------------------------------------------


def _damage_table(env, db_path: Path, *tables: str) -> None:
    """Overwrite the pages of each of ``tables`` on disk with garbage, and make the bot's
    connection forget the copies it holds in memory (as after a restart, or under memory
    pressure)."""
    conn = env.bot.services.store.sync._connection()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    marks = ", ".join("?" * len(tables))
    sql = f"SELECT rootpage FROM sqlite_master WHERE tbl_name IN ({marks}) AND rootpage > 0"
    with open(db_path, "r+b") as handle:
        for (root,) in conn.execute(sql, tables).fetchall():  # the tables and their indexes
            handle.seek((root - 1) * size)
            handle.write(b"\xa5" * size)
    conn.execute("PRAGMA shrink_memory")


NOT_SAVED_DAMAGED = "That was not saved: could not save: the database file is damaged"
NOTICE_TITLE = "**Pact Advisor: its database file is damaged**"


def _from_bot(env, channel) -> list:
    """The bot's messages in ``channel`` that everyone who can read it sees (no ephemerals)."""
    return [
        m for m in channel.history() if m.author.id == env.bot.user.id and not m.flags.ephemeral
    ]


def _notices(env, channel) -> list:
    return [m for m in _from_bot(env, channel) if m.content.startswith(NOTICE_TITLE)]


async def test_damaged_pages_at_run_time_are_reported_once_and_the_bot_keeps_serving(
    env, guild, channel, user, admin, db_path, caplog
):
    message = (await user.slash(channel, "checklist", topic=UMBRELLA)).response
    await admin.click(message, label="1")
    answer = (await user.slash(channel, "ask", question=EMPLOYERS)).response
    posted = [m.id for m in _from_bot(env, channel)]
    _damage_table(env, db_path, "ticks", "feedback")

    with caplog.at_level(logging.WARNING, logger="pact_advisor"):
        first = await user.click(message, label="2")
        told = guild.owner.dm_channel.history()
        second = await admin.click(message, label="3")
        vote = await admin.click(answer, label="Helpful")
        asked = await user.slash(channel, "ask", question=EMPLOYERS)

    for refused in (first, second, vote):
        assert refused.ephemeral
        assert refused.response.content.startswith("That was not saved: could not ")
        assert "the database file is damaged" in refused.response.content
    assert labels(message)[:3] == ["✓ 1", "2", "3"]  # nothing shown as saved
    critical = [r for r in caplog.records if r.levelno == logging.CRITICAL]
    assert len(critical) == 1, [r.getMessage() for r in critical]
    assert f"the database at {db_path} is damaged" in critical[0].getMessage()
    assert ".recover" in critical[0].getMessage()

    # The server owner is told once, by DM, after the member's reply; the second member's
    # failure and the vote add nothing.
    assert len(told) == 1 and told[0].author.id == env.bot.user.id
    notice = told[0].content
    assert guild.owner.dm_channel.history() == told
    assert first.response.id < told[0].id
    assert notice.startswith(NOTICE_TITLE)
    assert "While serving **Pact**, Pact Advisor found damaged pages" in notice
    assert "questions are answered as usual (answers need no database)" in notice
    assert "checklist ticks, votes, checklists and exports are not being saved" in notice
    assert "1. Stop the bot." in notice and "Keep a copy of the database file" in notice
    assert 'Restore a backup, or recover what can be read: `sqlite3 FILE ".recover"' in notice
    assert str(db_path) not in notice and str(db_path.parent) not in notice
    # Nothing about it in the server's channel, where members read.
    assert [m.id for m in _from_bot(env, channel)] == [*posted, asked.response.id]
    assert not [m for m in _from_bot(env, channel) if "damaged" in m.content]
    # Still serving: answers need no database, and the bot is up.
    assert asked.response.embeds[0].title == "Bridge the public and private sectors"
    assert not env.bot.is_closed()
    assert env.errors == []


async def test_damage_found_without_an_error_reply_is_reported_after_the_answer(
    env, guild, channel, user, db_path
):
    await user.slash(channel, "ask", question=EMPLOYERS)
    _damage_table(env, db_path, "turns")

    asked = await user.slash(channel, "ask", question=EMPLOYERS)

    # Answered, and told privately that the question was not saved; the owner is told after.
    assert asked.response.embeds[0].title == "Bridge the public and private sectors"
    assert asked.followups[-1].content.startswith("That was not saved: could not save: the ")
    assert asked.followups[-1].flags.ephemeral
    await env.advance_time(GRACE)
    (notice,) = guild.owner.dm_channel.history()
    assert notice.content.startswith(NOTICE_TITLE)
    assert asked.followups[-1].id < notice.id
    await user.slash(channel, "ask", question=EMPLOYERS)
    await env.advance_time(GRACE)
    assert [m.id for m in guild.owner.dm_channel.history()] == [notice.id]


def test_the_store_hands_damage_on_once_and_a_failing_listener_changes_nothing(tmp_path, caplog):
    store = Store(tmp_path / "advisor.db")
    run = store.create_run(STEPS, guild_id=1, channel_id=1, created_by=1)
    calls = []

    def listener() -> None:
        calls.append(threading.current_thread().name)
        raise RuntimeError("the listener is broken")

    store.on_damage = listener
    conn = store._connection()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ticks'").fetchone()
    (size,) = conn.execute("PRAGMA page_size").fetchone()
    with open(tmp_path / "advisor.db", "r+b") as handle:
        handle.seek((root - 1) * size)
        handle.write(b"\xa5" * size)
    conn.execute("PRAGMA shrink_memory")

    for step in (0, 1, 2):
        with pytest.raises(StoreError, match="could not save: the database file is damaged"):
            store.set_tick(run.id, step, ticked=True, user_id=1, user_name="Ana")
    assert calls == [threading.current_thread().name]  # once, from the thread that found it
    assert store.damage_reported
    assert "the database damage listener failed" in caplog.text
    store.close()


def _moderators_channel(env, guild, *, members_can_read: bool = False):
    """A channel set as the server's community updates channel (Discord's channel for
    moderators), as a server admin would set it; the bot may post in it."""
    everyone = discord.PermissionOverwrite(view_channel=members_can_read)
    bot = discord.PermissionOverwrite(view_channel=True, send_messages=True)
    mods = guild.create_text_channel(
        "moderators", overwrites={guild.default_role: everyone, guild.roles["TestBot"]: bot}
    )
    env.backend.edit_guild(guild.id, {"public_updates_channel_id": mods.id})
    return mods


def _close_dms(env, person) -> None:
    """The person accepts no DMs from the bot: Discord refuses each one (403, 50007)."""
    env.inject_error(
        "POST",
        f"/channels/{person.dm_channel.id}/messages",
        status=403,
        code=50007,
        message="Cannot send messages to this user",
        times=None,
    )


async def test_with_the_owners_dms_closed_the_moderators_channel_is_told_once(
    env, guild, channel, user, admin, db_path
):
    mods = _moderators_channel(env, guild)
    _close_dms(env, guild.owner)
    await env.settle()
    message = (await user.slash(channel, "checklist", topic=UMBRELLA)).response
    _damage_table(env, db_path, "ticks")

    first = await user.click(message, label="1")
    second = await admin.click(message, label="2")

    for refused in (first, second):
        assert refused.ephemeral and refused.response.content.startswith(NOT_SAVED_DAMAGED)
    (notice,) = _notices(env, mods)
    assert "FILE" in notice.content and str(db_path) not in notice.content
    assert _from_bot(env, mods) == [notice]
    assert guild.owner.dm_channel.history() == []
    assert [m.id for m in _from_bot(env, channel)] == [message.id]  # nothing in public
    assert env.errors == []


async def test_nobody_is_told_in_a_channel_members_can_read(
    env, guild, channel, user, db_path, caplog
):
    mods = _moderators_channel(env, guild, members_can_read=True)
    _close_dms(env, guild.owner)
    await env.settle()
    message = (await user.slash(channel, "checklist", topic=UMBRELLA)).response
    _damage_table(env, db_path, "ticks")

    with caplog.at_level(logging.WARNING, logger="pact_advisor"):
        refused = await user.click(message, label="1")
        await env.settle()

    assert refused.response.content.startswith(NOT_SAVED_DAMAGED)
    assert _from_bot(env, mods) == []
    assert [m.id for m in _from_bot(env, channel)] == [message.id]
    assert guild.owner.dm_channel.history() == []
    assert f"could not DM the owner of server {guild.id}" in caplog.text
    assert f"nobody in server {guild.id} could be told that the database is damaged" in caplog.text
    assert env.errors == []


async def test_every_server_is_told_once_also_one_the_bot_joins_later(
    env, guild, channel, user, db_path
):
    other = env.create_guild("Partners")
    message = (await user.slash(channel, "checklist", topic=UMBRELLA)).response
    _damage_table(env, db_path, "ticks")

    await user.click(message, label="1")
    await user.click(message, label="2")
    joined = env.create_guild("Later")
    await env.settle()

    for server in (guild, other, joined):
        (notice,) = server.owner.dm_channel.history()
        assert notice.content.startswith(NOTICE_TITLE)
        assert f"While serving **{server.name}**" in notice.content


async def test_the_report_starts_with_the_damage_while_the_database_is_damaged(
    env, channel, user, admin, db_path
):
    before = (await admin.slash(channel, "advisor report")).response
    assert "damaged" not in (before.content or "")
    message = (await user.slash(channel, "checklist", topic=UMBRELLA)).response
    _damage_table(env, db_path, "ticks")
    await user.click(message, label="1")

    report = (await admin.slash(channel, "advisor report")).response
    assert report.flags.ephemeral
    assert report.content.startswith("⚠️ **The database file is damaged.** Answers still work;")
    assert '`sqlite3 FILE ".recover"`' in report.content and str(db_path) not in report.content
    assert report.embeds[0].title.startswith("Pact Advisor report since")

    # The report's own tables damaged too: the warning still comes first.
    _damage_table(env, db_path, "feedback", "unanswered")
    failed = (await admin.slash(channel, "advisor report")).response
    assert failed.content.startswith("⚠️ **The database file is damaged.**")
    assert "could not read the database: the database file is damaged" in failed.content


# --------------------------------------------------------------------------------------------
# The disk filling up
# --------------------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB filesystem of its own (a tmpfs; needs the right to mount one)."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small filesystem here (needs root)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path) -> Path:
    """Take every free byte of ``folder``'s filesystem; removing the file gives them back."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:  # no space left: the filesystem is full
        pass
    finally:
        os.close(fd)
    return filler


NOT_SAVED_FULL = "That was not saved: could not save: the disk is full"


@pytest.mark.simcord(settle_timeout=30)
async def test_a_disk_that_fills_up_never_shows_a_tick_vote_or_checklist_as_saved(
    env, channel, user, admin, small_disk
):
    db = small_disk / "advisor.db"
    old = env.bot
    await env.restart_bot(create_bot(db, settings=settings_for_tests()))
    await old.close()
    try:
        message = (await user.slash(channel, "checklist", topic=UMBRELLA)).response
        await admin.click(message, label="1")
        answer = (await user.slash(channel, "ask", question=EMPLOYERS)).response
        posted = len(channel.history())

        filler = _fill(small_disk)
        tick = await user.click(message, label="2")
        vote = await user.click(answer, label="Helpful")
        new = await user.slash(channel, "checklist", topic="three-i")
        asked = await user.slash(channel, "ask", question=EMPLOYERS)

        for refused in (tick, vote, new):
            assert refused.ephemeral
            assert refused.response.content.startswith(NOT_SAVED_FULL), refused.response.content
        simcord.assert_error(env, StoreError, contains="disk is full")
        assert shown_progress(message) == (1, 3) and labels(message)[:3] == ["✓ 1", "2", "3"]
        assert len(channel.history()) == posted + 1  # the answer; no checklist was posted
        # Answered, and told privately that the question was not saved (a reply to the
        # answer will not continue from it).
        assert asked.response.embeds[0].title == "Bridge the public and private sectors"
        assert asked.followups[-1].content.startswith(NOT_SAVED_FULL)
        assert asked.followups[-1].flags.ephemeral

        # Space returns: the same clicks work, nothing else needed.
        filler.unlink()
        assert shown_progress((await user.click(message, label="2")).response) == (2, 3)
        assert "Thanks" in (await user.click(answer, label="Helpful")).response.content
        assert list(stored_ticks(db).values()) == [{0: "Ana", 1: "Bob"}]
        assert integrity(db) == "ok"
    finally:
        await env.bot.close()


# --------------------------------------------------------------------------------------------
# Two processes on one database
# --------------------------------------------------------------------------------------------

HOLDER = """
import sys
from pact_advisor.store.lock import ProcessLock
held = ProcessLock(sys.argv[1]).acquire()  # kept: a lock let go of is released
print("locked", flush=True)
sys.stdin.read()
"""


def _holder(db: Path) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None and child.stdout.readline() == "locked\n"
    return child


@pytest.mark.parametrize("ending", ["exits", "is killed"])
def test_a_second_bot_process_says_another_one_is_running(bot_env, capsys, ending):
    child = _holder(bot_env)
    try:
        assert runmod.run_bot() == 1
        err = capsys.readouterr().err
        assert err == (
            f"Cannot start: another Pact Advisor process (process id {child.pid}) is already "
            f"using the database at {bot_env}. Stop it first, or set PACT_ADVISOR_DB to "
            "another file.\n"
        )
    finally:
        if ending == "exits":
            child.communicate("")
        else:
            child.kill()
            child.wait()
    # The other process is gone (even killed, it leaves no stale lock): this one starts, as
    # far as the refused login.
    assert runmod.run_bot() == 1
    assert "Discord rejected the bot token" in capsys.readouterr().err


def test_the_lock_is_per_database_file(tmp_path):
    with (
        ProcessLock(tmp_path / "a.db"),
        ProcessLock(tmp_path / "b.db"),
        pytest.raises(StoreError, match="another Pact Advisor process"),
    ):
        ProcessLock(tmp_path / "a.db").acquire()


def test_two_stores_ticking_one_run_at_once_lose_no_tick(tmp_path):
    path = tmp_path / "shared.db"
    first, second = Store(path, busy_timeout=10), Store(path, busy_timeout=10)
    run = first.create_run(STEPS, guild_id=1, channel_id=1, created_by=1)
    start = threading.Barrier(2)

    def tick(store: Store, name: str, steps: range) -> None:
        start.wait()
        for step in steps:
            store.set_tick(run.id, step, ticked=True, user_id=1, user_name=name)

    threads = [
        threading.Thread(target=tick, args=(first, "one", range(0, 40, 2))),
        threading.Thread(target=tick, args=(second, "two", range(1, 40, 2))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ticks = {step: t.user_name for step, t in second.get_run(run.id).ticks.items()}
    assert ticks == {step: ("one" if step % 2 == 0 else "two") for step in range(40)}
    first.close()
    second.close()
    assert integrity(path) == "ok"


def test_a_store_refuses_a_folder_without_creating_anything(tmp_path):
    folder = tmp_path / "advisor.db"
    folder.mkdir()
    with pytest.raises(UnusableDatabase, match="it is a folder, not a file"):
        Store(folder)
    assert list(folder.iterdir()) == []
