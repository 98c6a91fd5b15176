#!/usr/bin/env python3
"""Load benchmark: thousands of interleaved Discord interactions against the real bot.

    python benchmarks/load.py                      # 2,000 interactions, seed 1
    python benchmarks/load.py --interactions 5000 --fault-rate 0.05

The bot runs in SimCord (a simulated Discord in this process): 50 members tick and untick
steps on 5 checklist messages, turn pages, export, ask questions and rate answers, in a
seeded random order (the scenario of ``tests/reliability/load_scenario.py``), 1.8 virtual
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

Writes a Markdown report to ``benchmarks/results/load.md`` (and prints it).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
GUILD_ID = 1_400_000_000_000_000_001
#: Virtual seconds between two interactions: 2,000 of them take an hour.
PACE = 1.8

for path in (ROOT, ROOT / "tests" / "reliability"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


def rss_mb() -> float:
    """Peak resident set size of this process so far (ru_maxrss is in KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) with linear interpolation."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


class _Count(logging.Handler):
    """Counts the bot's log records by level (and keeps them off the terminal)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.counts: dict[str, int] = defaultdict(int)

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[record.levelname] += 1


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


def log(message: str) -> None:
    sys.stderr.write(f"[load {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


async def measure(args: argparse.Namespace, workdir: Path) -> dict:
    import discord
    import simcord
    from load_scenario import build_world, check_final_state, refresh, run_scenario

    from pact_advisor.discord_bot import Settings, create_bot
    from pact_advisor.discord_bot.errors import AdvisorTree, SafeDynamicItem

    rss_imported = rss_mb()
    counter = _Count()
    logging.getLogger().addHandler(counter)
    logging.getLogger().setLevel(logging.INFO)
    settings = Settings(dev_guild=GUILD_ID, ask_rate=10**9)
    db_path = workdir / "advisor.db"
    bot = create_bot(db_path, settings=settings)

    # Time the bot's database calls (they run in a worker thread, off the event loop).
    db_times: list[float] = []
    store = bot.services.store
    original_call = store._call

    async def timed_call(fn, *a, **kw):
        start = time.perf_counter()
        try:
            return await original_call(fn, *a, **kw)
        finally:
            db_times.append(time.perf_counter() - start)

    store._call = timed_call  # type: ignore[method-assign]

    # Time the bot's own handling: slash commands and context menus (the command tree), and
    # buttons (every component is a SafeDynamicItem).
    handling: list[float] = []

    def timed(method):
        async def wrapper(self, interaction):
            start = time.perf_counter()
            try:
                return await method(self, interaction)
            finally:
                handling.append(time.perf_counter() - start)

        return wrapper

    own_call = AdvisorTree.__dict__.get("_call")
    AdvisorTree._call = timed(AdvisorTree._call)  # type: ignore[method-assign]
    original_callback = SafeDynamicItem.callback
    SafeDynamicItem.callback = timed(original_callback)  # type: ignore[method-assign]

    times: dict[str, list[float]] = defaultdict(list)
    try:
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
                timer=lambda kind, seconds: times[kind].append(seconds),
                check_every_step=False,
            )
            wall = time.perf_counter() - started
            await refresh(model, world)
            check_final_state(model, db_path)
            errors = env.errors  # acknowledged: only the injected 500s may be there
            unexpected = [
                e
                for e in errors
                if not isinstance(getattr(e, "original", e), discord.HTTPException)
            ]
            assert not unexpected, unexpected
    finally:
        if not bot.is_closed():
            await bot.close()
        if own_call is None:
            del AdvisorTree._call
        else:
            AdvisorTree._call = own_call  # type: ignore[method-assign]
        SafeDynamicItem.callback = original_callback  # type: ignore[method-assign]
        logging.getLogger().removeHandler(counter)

    every = [t for kind in times.values() for t in kind]
    return {
        "interactions": model.interactions,
        "wall_s": wall,
        "p50_ms": percentile(every, 50) * 1000,
        "p90_ms": percentile(every, 90) * 1000,
        "p99_ms": percentile(every, 99) * 1000,
        "max_ms": max(every) * 1000,
        "mean_ms": statistics.fmean(every) * 1000,
        "per_kind": {
            kind: (
                len(values),
                percentile(values, 50) * 1000,
                percentile(values, 99) * 1000,
            )
            for kind, values in sorted(times.items())
        },
        "bot_p50_ms": percentile(handling, 50) * 1000,
        "bot_p90_ms": percentile(handling, 90) * 1000,
        "bot_p99_ms": percentile(handling, 99) * 1000,
        "bot_handled": len(handling),
        "virtual_h": args.pace * model.interactions / 3600,
        "logged": dict(counter.counts),
        "db_calls": len(db_times),
        "db_p50_ms": percentile(db_times, 50) * 1000,
        "db_p99_ms": percentile(db_times, 99) * 1000,
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


def report(r: dict, args: argparse.Namespace) -> str:
    a = r["actions"]
    logged = ", ".join(f"{n} {level}" for level, n in sorted(r["logged"].items())) or "none"
    lines = [
        "# Load benchmark",
        "",
        f"`python benchmarks/load.py --interactions {args.interactions} --seed {args.seed}"
        + (f" --fault-rate {args.fault_rate}" if args.fault_rate else "")
        + (f" --pace {args.pace}" if args.pace != PACE else "")
        + "`, "
        + f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        + f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU(s).",
        "",
        "The real bot in SimCord (simulated Discord, same process): 50 members, 5 checklist "
        f"messages (three of two pages), interleaved in a seeded order over {r['virtual_h']:.1f} "
        "virtual hours. *Bot handling* runs from discord.py handing the interaction to the "
        "bot's command or button callback until it returns (its Discord calls answered "
        "in-process, no network); *round trip* runs from the member's action until Discord "
        "holds the response, simulator included.",
        "",
        "| Measure | Value |",
        "|---|---|",
        f"| Interactions | {r['interactions']:,} in {r['wall_s']:.1f} s |",
        f"| Bot handling p50 / p90 / p99 | {r['bot_p50_ms']:.1f} / {r['bot_p90_ms']:.1f} / "
        f"{r['bot_p99_ms']:.1f} ms ({r['bot_handled']:,} callbacks) |",
        f"| Round trip p50 / p90 / p99 / max | {r['p50_ms']:.1f} / {r['p90_ms']:.1f} / "
        f"{r['p99_ms']:.1f} / {r['max_ms']:.1f} ms |",
        f"| Database call p50 / p99 | {r['db_p50_ms']:.2f} / {r['db_p99_ms']:.2f} ms "
        f"({r['db_calls']:,} calls) |",
        f"| Peak RSS, bot alone once built | {r['rss_bot_alone_mb']:.0f} MB |",
        f"| Peak RSS, bot + simulator | {r['rss_peak_mb']:.0f} MB (after imports "
        f"{r['rss_imported_mb']:.0f} MB, bot started {r['rss_started_mb']:.0f} MB; the "
        "simulator keeps every message and request) |",
        f"| Database file | {r['db_kb']:.0f} KB |",
        f"| Injected Discord 500s | {r['faults']} |",
        f"| Bot log records | {logged} |",
        "| Final state vs model | SQLite ticks, votes, unanswered log and all 5 messages "
        "equal the model; integrity_check ok |",
        "",
        "Round trip per action:",
        "",
        "| Action | Count | p50 ms | p99 ms |",
        "|---|---|---|---|",
    ]
    for kind, (n, p50, p99) in r["per_kind"].items():
        lines.append(f"| {kind} | {n:,} | {p50:.1f} | {p99:.1f} |")
    lines += [
        "",
        f"Ticks {a.get('tick', 0):,}, unticks {a.get('untick', 0):,}, retries after a "
        f"failure {a.get('retry', 0):,}, page turns {a.get('page', 0):,}, exports "
        f"{a.get('export', 0):,}, questions {a.get('ask', 0):,}, votes {a.get('vote', 0):,}; "
        f"{r['ticks_stored']} ticks stored at the end, {r['votes']} votes, "
        f"{r['unanswered']} unanswered questions logged.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
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
