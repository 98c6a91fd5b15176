"""What the store acknowledged is on disk: after a reopen, and after the process is killed."""

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

from store_helpers import new_run

from pact_advisor.store import ItemCounts, Store

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_ticks_are_there_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "advisor.db"
    with Store(path) as s:
        run_id = new_run(s).id
        s.set_tick(run_id, 0, ticked=True, user_id=1, user_name="a")
    with Store(path) as s:
        assert set(s.get_run(run_id).ticks) == {0}


def test_votes_are_there_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "advisor.db"
    with Store(path) as s:
        s.record_feedback("q", "item-a", True, user_id=1, guidance_version=None)
    with Store(path) as s:
        assert s.report(0).item_counts == {"item-a": ItemCounts(helpful=1)}


CRASH_WRITER = textwrap.dedent(
    """
    import sys
    from pact_advisor.checklists import Checklist, Section, Step
    from pact_advisor.store import Store

    store = Store(sys.argv[1])
    n = 5000
    steps = tuple(Step(str(i), "c.item", "c") for i in range(n))
    run = store.create_run(
        Checklist("t", "crash", sections=(Section("c", "C", steps),)),
        guild_id=1, channel_id=2, created_by=3,
    )
    print(f"run {run.id}", flush=True)
    for i in range(n):
        store.set_tick(run.id, i, ticked=True, user_id=i, user_name=f"user{i}")
        print(f"ack {i}", flush=True)
    """
)


def _acked_until_killed(path: Path, wanted: int) -> tuple[int | None, list[int]]:
    """Run the writer, read its acknowledgements until ``wanted``, then SIGKILL it."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    proc = subprocess.Popen(
        [sys.executable, "-c", CRASH_WRITER, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    acked: list[int] = []
    run_id = None
    buf = b""
    deadline = time.monotonic() + 60
    try:
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        while len(acked) < wanted:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"writer too slow: {len(acked)} acks in 60 s"
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                proc.wait(5)
                raise AssertionError(f"writer exited early: {proc.stderr.read().decode()}")
            buf += chunk
            *lines, buf = buf.split(b"\n")
            for line in lines:
                word, number = line.decode().split()
                if word == "run":
                    run_id = int(number)
                else:
                    acked.append(int(number))
        os.kill(proc.pid, signal.SIGKILL)  # mid-write, no clean shutdown
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    return run_id, acked


def test_acknowledged_ticks_survive_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "advisor.db"
    run_id, acked = _acked_until_killed(path, 200)
    assert run_id is not None

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with Store(path) as s:
        run = s.get_run(run_id)
        assert run is not None
        for step in acked:
            assert step in run.ticks, f"acknowledged tick {step} was lost"
            assert run.ticks[step].user_name == f"user{step}"
