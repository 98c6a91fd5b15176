"""``pact-advisor runs list`` and ``runs export``: the bot's stored checklists, reported from
the terminal."""

from __future__ import annotations

import csv
import io
import json

from cli_helpers import run

from pact_advisor.app import Advisor
from pact_advisor.store import Change, Store

NOW = 1_767_225_600.0  # 2026-01-01T00:00:00Z


def stored(path) -> int:
    advisor = Advisor.load(cache_dir=None)
    checklist = advisor.checklist("diaspora.umbrella-networks")
    with Store(path, clock=lambda: NOW) as store:
        made = store.create_run(
            checklist,
            guild_id=1,
            channel_id=2,
            created_by=3,
            created_by_name="Bob",
            guidance_version=advisor.version,
        )
        changes = [
            Change("tick", 0),
            Change("skip", 1, text="Not in this pilot"),
            Change("assign", 2, owners=((4, "Ana"),)),
            Change("due", 2, due="2025-12-31"),
        ]
        store.change_run(made.id, changes, user_id=4, user_name="Ana")
        store.create_run(checklist, guild_id=1, channel_id=2, created_by=3)
        return made.id


def test_runs_list_shows_each_checklist_with_its_progress(tmp_path):
    db = tmp_path / "advisor.db"
    first = stored(db)
    code, out = run("runs", "list", "--db", str(db))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "Created", "(UTC)", "Progress", "Title"]
    assert lines[2].startswith(f"{first}   2026-01-01T00:00:00Z  1/3 done · 1 not applicable")
    assert "· 1 overdue" in lines[2] and lines[2].endswith("platforms and networks")
    assert "0/3 done" in lines[1]


def test_runs_export_writes_the_audit_in_each_format(tmp_path):
    db = tmp_path / "advisor.db"
    first = stored(db)
    code, markdown = run("runs", "export", str(first), "--db", str(db), "--history")
    assert code == 0
    assert "- [x] Map existing umbrella" in markdown and "— ticked by Ana" in markdown
    assert "- State: not applicable, by Ana at 2026-01-01T00:00:00Z" in markdown
    assert "- Reason: Not in this pilot" in markdown
    assert "## History" in markdown and "· Ana · step 3 · assign: Ana" in markdown

    code, text = run("runs", "export", str(first), "--db", str(db), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["state"] for r in rows] == ["done", "not_applicable", "open"]
    assert rows[2]["owners"] == "Ana" and rows[2]["overdue"] == "yes"

    target = tmp_path / "plan.json"
    code, _ = run(
        "runs", "export", str(first), "--db", str(db), "--format", "json", "--output", str(target)
    )
    data = json.loads(target.read_text(encoding="utf-8"))
    assert code == 0 and data["created_by"] == "Bob" and data["steps"][0]["by"] == "Ana"
    assert "history" not in data


def test_runs_say_clearly_what_is_missing(tmp_path, capsys):
    code, _ = run("runs", "list", "--db", str(tmp_path / "none.db"))
    assert code == 2 and "no database at" in capsys.readouterr().err
    db = tmp_path / "advisor.db"
    stored(db)
    code, _ = run("runs", "export", "99", "--db", str(db))
    assert code == 2 and "no checklist 99" in capsys.readouterr().err
