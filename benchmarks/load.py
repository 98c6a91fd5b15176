"""Load benchmark: thousands of interleaved Discord interactions against the real bot.

    python -m benchmarks.load                      # 2,000 interactions, seed 1
    python -m benchmarks.load --interactions 5000 --fault-rate 0.05

The bot runs in SimCord (a simulated Discord in this process): 50 members tick and untick
steps on 5 checklist messages, turn pages, export, assign owners, set due dates, mark steps
not applicable or reopen them, ask questions and rate answers, in a
seeded random order (the scenario of :mod:`benchmarks.scenario`), 1.8 virtual
seconds apart (2,000 interactions are an hour of a busy team: private answers' buttons
expire, the retention purge runs). Three times are measured per interaction:

* bot handling: from discord.py handing the interaction to the bot's command or button
  callback until that callback returns (its Discord calls answered in-process);
* round trip: from the member's action until Discord holds the bot's response, simulator
  included (an upper bound; no network);
* database: each store call the bot makes, in its worker thread.

Peak RSS is read for the whole process (bot plus simulator) and, in a separate process, for
the bot alone once built. Then the database and every message are checked against a model
worked out from the actions alone.

Writes a Markdown report to ``benchmarks/results/load.md`` (and prints it), rendered by
``templates/load.md.j2``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import simcord

from benchmarks.common import RESULTS, ROOT, percentile, rss_mb
from benchmarks.common import log as _log
from benchmarks.report import render_template
from benchmarks.scenario import Model, build_world, check_final_state, refresh, run_scenario
from pact_advisor.discord_bot import Settings, create_bot
from pact_advisor.discord_bot.core.errors import AdvisorTree, SafeDynamicItem

GUILD_ID = 1_400_000_000_000_000_001
#: Virtual seconds between two interactions: 2,000 of them take an hour.
PACE = 1.8


def log(message: str) -> None:
    _log(message, tag="load")


class _Count(logging.Handler):
    """Counts the bot's log records by level (and keeps them off the terminal)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.counts: dict[str, int] = defaultdict(int)

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[record.levelname] += 1


@contextmanager
def counting_logs() -> Iterator[_Count]:
    """Every log record at INFO and above is counted (by level) instead of shown."""
    counter = _Count()
    root = logging.getLogger()
    root.addHandler(counter)
    root.setLevel(logging.INFO)
    try:
        yield counter
    finally:
        root.removeHandler(counter)


IDLE_RSS = """
import resource, sys
from pact_advisor.discord_bot import Settings, create_bot
bot = create_bot(sys.argv[1], settings=Settings())
try:  # this process's own high-water mark (ru_maxrss would include the parent's, on Linux)
    with open("/proc/self/status") as status:
        print(next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) / 1024)
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024)
"""


def idle_rss_mb(workdir: Path) -> float:
    """Peak RSS of a process that only imports and builds the bot (no simulator)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", IDLE_RSS, str(workdir / "idle.db")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return float(done.stdout.strip())


@dataclass
class Timings:
    """Seconds measured during a run, each list in the order things happened."""

    #: Round trips, by kind of action (from the member's action until Discord holds the reply).
    round_trips: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    #: The bot's own handling: command tree and button callbacks.
    handling: list[float] = field(default_factory=list)
    #: Each store call, in its worker thread.
    db: list[float] = field(default_factory=list)


@contextmanager
def instrumented(bot: Any) -> Iterator[Timings]:
    """Times the bot's database calls and its own handling of each interaction, until exit."""
    timings = Timings()
    # Every store call goes through AsyncStore._call, in a worker thread.
    store = bot.services.store
    original_call = store._call

    async def timed_call(fn, *a, **kw):
        start = time.perf_counter()
        try:
            return await original_call(fn, *a, **kw)
        finally:
            timings.db.append(time.perf_counter() - start)

    def timed(method):
        async def wrapper(self, interaction):
            start = time.perf_counter()
            try:
                return await method(self, interaction)
            finally:
                timings.handling.append(time.perf_counter() - start)

        return wrapper

    # Slash commands and context menus go through the command tree; every button is a
    # SafeDynamicItem.
    own_call = AdvisorTree.__dict__.get("_call")
    original_callback = SafeDynamicItem.callback
    store._call = timed_call  # type: ignore[method-assign]
    AdvisorTree._call = timed(AdvisorTree._call)  # type: ignore[method-assign]
    SafeDynamicItem.callback = timed(original_callback)  # type: ignore[method-assign]
    try:
        yield timings
    finally:
        store._call = original_call  # type: ignore[method-assign]
        if own_call is None:
            del AdvisorTree._call
        else:
            AdvisorTree._call = own_call  # type: ignore[method-assign]
        SafeDynamicItem.callback = original_callback  # type: ignore[method-assign]


async def drive(
    bot: Any, args: argparse.Namespace, db_path: Path, timings: Timings
) -> tuple[Model, float, float]:
    """Run the scenario on ``bot`` in SimCord and check the state it leaves behind.

    Returns the model, the wall seconds of the interactions, and the peak RSS once started.
    """
    async with simcord.run(bot) as env:
        guild = env.create_guild("Pact", id=GUILD_ID)
        world = build_world(env, guild, guild.create_text_channel("general"))
        await env.settle()
        rss_started = rss_mb()
        log(f"bot running; {len(world.members)} members; {args.interactions} interactions")
        started = time.perf_counter()
        model = await run_scenario(
            world,
            args.interactions,
            seed=args.seed,
            fault_rate=args.fault_rate,
            pace=args.pace,
            timer=lambda kind, seconds: timings.round_trips[kind].append(seconds),
            check_every_step=False,
        )
        wall = time.perf_counter() - started
        await refresh(model, world)
        check_final_state(model, db_path)
        unexpected = [  # acknowledged: only the injected 500s may be there
            e
            for e in env.errors
            if not isinstance(getattr(e, "original", e), discord.HTTPException)
        ]
        assert not unexpected, unexpected
    return model, wall, rss_started


async def measure(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Build the bot, drive it through the scenario, and return every figure of the report."""
    rss_imported = rss_mb()
    db_path = workdir / "advisor.db"
    with counting_logs() as counter:
        unlimited = {"ask_rate": 10**9, "checklist_rate": 10**9, "change_rate": 10**9}
        bot = create_bot(db_path, settings=Settings(dev_guild=GUILD_ID, **unlimited))
        with instrumented(bot) as timings:
            try:
                model, wall, rss_started = await drive(bot, args, db_path, timings)
            finally:
                if not bot.is_closed():
                    await bot.close()
    return {
        "interactions": model.interactions,
        "wall_s": wall,
        **latency_figures(timings),
        "virtual_h": args.pace * model.interactions / 3600,
        "logged": dict(counter.counts),
        "rss_imported_mb": rss_imported,
        "rss_started_mb": rss_started,
        "rss_peak_mb": rss_mb(),
        "rss_bot_alone_mb": idle_rss_mb(workdir),
        "db_kb": db_path.stat().st_size / 1024,
        "ticks_stored": sum(len(c.ticks) for c in model.checklists),
        "actions": dict(model.actions),
        "faults": model.faults,
        "votes": sum(model.votes.values()),
        "unanswered": model.unanswered,
    }


def latency_figures(timings: Timings) -> dict[str, Any]:
    """Percentiles (in ms) of the round trips, overall and by action, of handling and of the
    database calls."""
    every = [t for kind in timings.round_trips.values() for t in kind]
    handling, db = timings.handling, timings.db
    return {
        "p50_ms": percentile(every, 50) * 1000,
        "p90_ms": percentile(every, 90) * 1000,
        "p99_ms": percentile(every, 99) * 1000,
        "max_ms": max(every) * 1000,
        "mean_ms": statistics.fmean(every) * 1000,
        "per_kind": {
            kind: (len(values), percentile(values, 50) * 1000, percentile(values, 99) * 1000)
            for kind, values in sorted(timings.round_trips.items())
        },
        "bot_p50_ms": percentile(handling, 50) * 1000,
        "bot_p90_ms": percentile(handling, 90) * 1000,
        "bot_p99_ms": percentile(handling, 99) * 1000,
        "bot_handled": len(handling),
        "db_calls": len(db),
        "db_p50_ms": percentile(db, 50) * 1000,
        "db_p99_ms": percentile(db, 99) * 1000,
    }


def report(r: dict[str, Any], args: argparse.Namespace) -> str:
    """The Markdown report of one load run."""
    return render_template(
        "load.md.j2",
        r=r,
        args=args,
        default_pace=PACE,
        date=f"{datetime.now(UTC):%Y-%m-%d %H:%M}",
        python=platform.python_version(),
        system=f"{platform.system()} {platform.machine()}",
        cpus=os.cpu_count(),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.load", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--interactions", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--fault-rate", type=float, default=0.0, help="share of interactions hit by a Discord 500"
    )
    parser.add_argument(
        "--pace", type=float, default=PACE, help="virtual seconds between interactions"
    )
    parser.add_argument("--out", type=Path, default=RESULTS / "load.md")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="pact-load-") as tmp:
        # The bot's start-up cache goes to the temporary folder (and so is cold, as at a
        # first start) unless the caller chose a folder.
        os.environ.setdefault("PACT_ADVISOR_CACHE", str(Path(tmp) / "cache"))
        result = asyncio.run(measure(args, Path(tmp)))
    text = report(result, args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    log(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
