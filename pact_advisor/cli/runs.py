"""``pact-advisor runs list`` and ``pact-advisor runs export``: the checklists stored by the
Discord bot, read straight from its database, so a team can report without opening Discord."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pact_advisor.cli.common import EXIT_PROBLEM, UsageError, emit, load_advisor
from pact_advisor.cli.parser import PROG, add_command

if TYPE_CHECKING:
    from pact_advisor.store import Run, Store

FORMATS = ("md", "csv", "json")


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "runs",
        help="list or export the checklists stored by the bot",
        description="The checklists posted in Discord, as stored in the bot's database: list them with their progress, or export one (its steps' states, owners, due dates, who and when, reasons, notes, and the guidance each step came from).",
        example_lines=(
            f"{PROG} runs list",
            f"{PROG} runs list --db /var/lib/pact-advisor/advisor.db",
            f"{PROG} runs export 12 --format csv > plan.csv",
            f"{PROG} runs export 12 --history --output plan.md",
        ),
    )
    commands = p.add_subparsers(
        dest="runs_command", metavar="ACTION", required=True, help="list or export"
    )
    listing = commands.add_parser("list", help="every stored checklist with its progress")
    _add_db(listing)
    listing.set_defaults(func=cmd_list)
    export = commands.add_parser("export", help="one checklist as Markdown, CSV or JSON")
    export.add_argument("id", type=int, help="the checklist's id, as `runs list` shows it")
    export.add_argument("--format", choices=FORMATS, default="md", help="md (default), csv or json")
    export.add_argument(
        "--history", action="store_true", help="add the history of every change (md, json)"
    )
    export.add_argument("--output", metavar="FILE", help="write to FILE instead of the screen")
    _add_db(export)
    export.set_defaults(func=cmd_export)


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="PATH", help="the database (default: $PACT_ADVISOR_DB, as the bot uses)"
    )


def _open(args: argparse.Namespace) -> Store:
    from pact_advisor.store import Store, StoreError  # only the commands that open it

    path = Path(args.db) if args.db else Path(args.settings.db_path)
    if not path.is_file():
        raise UsageError(f"no database at {path}: pass --db PATH or set PACT_ADVISOR_DB")
    try:
        return Store(path, retention_days=args.settings.retention_days)
    except StoreError as exc:
        raise UsageError(str(exc)) from None


def progress_line(run: Run, today: str) -> str:
    """``12/25 done · 2 not applicable · 3 overdue``."""
    parts = [f"{run.ticked_count}/{len(run.steps)} done"]
    if run.skipped_count:
        parts.append(f"{run.skipped_count} not applicable")
    if overdue := len(run.overdue(today)):
        parts.append(f"{overdue} overdue")
    return " · ".join(parts)


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    from pact_advisor.render.workplan import today_of, utc

    with _open(args) as store:
        runs = store.list_runs()
    if not runs:
        emit("No checklists stored yet.", out)
        return 0
    today = today_of(time.time())
    rows = [(str(r.id), utc(r.created_at) or "", progress_line(r, today), r.title) for r in runs]
    header = ("ID", "Created (UTC)", "Progress", "Title")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
    for row in [header, *rows]:
        emit("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + row[3], out)
    return 0


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    with _open(args) as store:
        run = store.get_run(args.id)
        if run is None:
            raise UsageError(f"no checklist {args.id}: `{PROG} runs list` shows the stored ones")
        events = store.run_events(run.id) if args.history else None
    advisor = load_advisor(args)
    text = advisor.renderer.render_export(run, args.format, now=time.time(), events=events)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            sys.stderr.write(f"{PROG}: could not write {args.output}: {exc.strerror or exc}\n")
            return EXIT_PROBLEM
        return 0
    out.write(text)
    return 0
