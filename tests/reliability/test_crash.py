"""Crash safety through the whole bot: a bot process killed with SIGKILL while members tick
and untick loses nothing they saw done (or undone).

tests/store/test_durability.py already kills a process writing ticks through the store
directly and checks integrity_check and every acknowledged tick (tests/store/test_schema.py
covers idempotent migrations and an older database upgraded in place). Here the writes
come from Discord clicks (ticks *and* unticks, several members, through the bot's worker
threads) and an acknowledgement is what the member saw: the checklist message edited to show
the change. And a bot upgrade migrates the team's database in place, with the checklists
already posted still working.
"""

from __future__ import annotations

import os
import select
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from benchmarks.observe import integrity, shown_progress, stored_ticks
from pact_advisor.discord_bot import create_bot
from pact_advisor.store import MIGRATIONS, SCHEMA_VERSION, Store

ROOT = Path(__file__).resolve().parents[2]

#: A bot in SimCord; ten members click steps of a checklist for ever, printing "try" before
#: each click and "ack" once the member sees the message changed.
CLICKER = textwrap.dedent(
    """
    import asyncio, random, sys
    import simcord
    from pact_advisor.discord_bot import Settings, create_bot

    GUILD = 1_400_000_000_000_000_001

    async def main(db):
        bot = create_bot(db, settings=Settings(dev_guild=GUILD))
        async with simcord.run(bot) as env:
            guild = env.create_guild("Pact", id=GUILD)
            channel = guild.create_text_channel("general")
            members = [
                guild.add_member(env.create_user(f"m{i}", global_name=f"Member {i}"))
                for i in range(10)
            ]
            message = (await members[0].slash(channel, "checklist", topic="readiness")).response
            run = next(
                c["custom_id"].split(":")[1]
                for row in message.components for c in row["components"]
                if c["custom_id"].endswith(":export")
            )
            print("run", run, flush=True)
            rng = random.Random(3)
            ticked = set()
            while True:
                step = rng.randrange(15)  # the first page
                who = rng.randrange(10)
                action = "untick" if step in ticked else "tick"
                print("try", step, action, who, flush=True)
                label = f"✓ {step + 1}" if step in ticked else str(step + 1)
                shown = (await members[who].click(message, label=label)).response
                now = [c.get("label") for row in shown.components for c in row["components"]]
                want = str(step + 1) if step in ticked else f"✓ {step + 1}"
                assert want in now, (want, now)
                ticked ^= {step}
                print("ack", step, action, who, flush=True)

    asyncio.run(main(sys.argv[1]))
    """
)


def _read_lines(proc: subprocess.Popen, until: int, deadline: float) -> list[list[str]]:
    """Lines from the child's stdout until ``until`` acks have been read."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    lines: list[list[str]] = []
    buf = b""
    acks = 0
    while acks < until:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"bot too slow: {acks} acks"
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            proc.wait(5)
            raise AssertionError(f"bot exited early: {proc.stderr.read().decode()[-3000:]}")
        buf += chunk
        *done, buf = buf.split(b"\n")
        for raw in done:
            words = raw.decode().split()
            lines.append(words)
            acks += words[0] == "ack"
    return lines


def test_clicks_a_member_saw_survive_sigkill_of_the_bot(tmp_path):
    db = tmp_path / "advisor.db"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    proc = subprocess.Popen(
        [sys.executable, "-c", CLICKER, str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    try:
        lines = _read_lines(proc, until=150, deadline=time.monotonic() + 90)
        os.kill(proc.pid, signal.SIGKILL)  # mid-stream: no shutdown, no checkpoint
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL

    run_id = int(next(words[1] for words in lines if words[0] == "run"))
    acked: dict[int, str] = {}  # step -> ticker, as the members last saw it
    in_flight = None
    for words in lines:
        if words[0] == "try":
            in_flight = words
        elif words[0] == "ack":
            step, action, who = int(words[1]), words[2], f"Member {words[3]}"
            if action == "tick":
                acked[step] = who
            else:
                acked.pop(step, None)
            in_flight = None
    assert sum(words[0] == "ack" and words[2] == "untick" for words in lines) > 20

    assert integrity(db) == "ok"
    stored = stored_ticks(db).get(run_id, {})
    if in_flight is not None:
        # The click being handled at the kill may or may not have been saved: either is fine.
        step = int(in_flight[1])
        stored_step, acked_step = stored.pop(step, None), acked.pop(step, None)
        done = f"Member {in_flight[3]}" if in_flight[2] == "tick" else None
        assert stored_step in (acked_step, done)
    assert stored == acked

    # The database opens again (and starts a bot) as if nothing had happened.
    with Store(db) as store:
        assert store.get_run(run_id) is not None
    bot = create_bot(db)
    bot.services.close()


async def test_a_bot_upgrade_migrates_the_database_in_place_and_old_messages_work(
    env, channel, admin, user, make_bot, db_path
):
    message = (await user.slash(channel, "checklist", topic="diaspora.umbrella-networks")).response
    await admin.click(message, label="1")
    old = env.bot
    await old.close()

    # Make the file what the first release left: migration 1 only, with the team's data.
    first_release(db_path)

    await env.restart_bot(make_bot())  # opens and upgrades the database
    with Store(db_path) as store:
        assert store.schema_versions() == list(range(1, SCHEMA_VERSION + 1))
    shown = (await user.click(message, label="2")).response
    assert shown_progress(shown) == (2, 3)
    assert list(stored_ticks(db_path).values()) == [{0: "Ana", 1: "Bob"}]
    assert integrity(db_path) == "ok"


def first_release(path: Path) -> None:
    """Rewrite the database at ``path`` as the first release's schema (migration 1), keeping
    the rows of its tables (their first-release columns)."""
    old = path.with_name("current.db")
    path.rename(old)
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at REAL NOT NULL)"
    )
    conn.executescript(MIGRATIONS[0])
    conn.execute("INSERT INTO schema_migrations VALUES (1, 0)")
    conn.execute("ATTACH DATABASE ? AS current", (str(old),))
    tables = [r[0] for r in conn.execute("SELECT name FROM main.sqlite_master WHERE type='table'")]
    for table in tables:
        if table == "schema_migrations" or table.startswith("sqlite_"):
            continue
        columns = ", ".join(r[1] for r in conn.execute(f"PRAGMA main.table_info({table})"))
        conn.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM current.{table}")
    conn.commit()
    conn.execute("DETACH DATABASE current")
    conn.close()
