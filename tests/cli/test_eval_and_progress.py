"""``eval`` and ``ask --json -``: progress on standard error when it is a terminal, figures
as a table, and clear errors for a broken eval file."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import time

from cli_helpers import ANSI, SCRIPT, run

from pact_advisor.cli.quality import print_report
from pact_advisor.evaluation import evaluate, load_questions
from pact_advisor.resources import eval_dir


def _with_stderr_a_terminal(argv: list[str], stdin: bytes) -> tuple[int, bytes, str]:
    """Runs ``pact-advisor argv`` with standard error on a pseudo-terminal."""
    parent, child = pty.openpty()
    process = subprocess.Popen(
        [SCRIPT, *argv], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=child
    )
    os.close(child)
    out, _ = process.communicate(stdin, timeout=300)
    shown = b""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            chunk = os.read(parent, 65536)
        except OSError:  # the terminal closed: everything was read
            break
        if not chunk:
            break
        shown += chunk
    os.close(parent)
    return process.returncode, out, ANSI.sub("", shown.decode("utf-8", "replace"))


def test_ask_from_stdin_shows_progress_on_a_terminal_and_keeps_stdout_clean():
    lines = b"what are the success factors\ncomment impliquer la diaspora\n" * 400
    code, out, err = _with_stderr_a_terminal(["ask", "--json", "-"], lines)
    assert code == 0
    assert len(out.splitlines()) == 800 and b"\x1b" not in out
    assert "Answering" in err and "800 questions" in err


def test_ask_from_stdin_shows_no_progress_when_stderr_is_piped():
    done = subprocess.run(
        [SCRIPT, "ask", "--json", "-"],
        input="what are the success factors\n" * 300,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0 and done.stderr == ""


def test_eval_shows_progress_on_a_terminal():
    code, _, err = _with_stderr_a_terminal(["eval", str(eval_dir() / "dev.yaml")], b"")
    assert code == 0
    assert "Evaluating dev.yaml" in err and "273/273" in err


def test_eval_figures_in_a_terminal_are_a_table(terminal):
    shown = terminal("eval", str(eval_dir() / "dev.yaml"), columns=100)
    assert shown.wait_for_exit(timeout=300) == 0
    rows = {line.split()[0]: line.split("│") for line in shown.lines() if "│" in line}
    assert {"all", "fr+es", "lang=fr", "style=typo"} <= set(rows)
    assert "┃" in next(line for line in shown.lines() if "slice" in line)
    _, piped = run("eval", str(eval_dir() / "dev.yaml"))
    same = next(line for line in piped.splitlines() if line.startswith("all "))
    assert [cell.strip() for cell in rows["all"]][1:4] == same.split()[1:4]


def test_the_table_lists_every_slice_at_a_fixed_width(engine):
    report = evaluate(engine, load_questions(eval_dir() / "dev.yaml"))
    out = io.StringIO()
    print_report(report, out, width=80)
    lines = ANSI.sub("", out.getvalue()).splitlines()
    assert max(len(line) for line in lines) <= 80
    assert sum("│" in line for line in lines) == 4 + len(report.by_lang) + len(report.by_style)
    assert lines[-1].startswith("bars: ")


def test_a_yaml_error_in_an_eval_file_names_its_line(tmp_path, capsys):
    broken = tmp_path / "broken.yaml"
    broken.write_text("- q: fine\n  expect: null\n- q: [unclosed\n  expect: null\n")
    code, _ = run("eval", str(broken))
    err = capsys.readouterr().err
    assert code == 2
    assert f"{broken}:" in err and "YAML error" in err
    assert "internal error" not in err and "report it" not in err


def test_a_missing_field_in_an_eval_file_names_its_line(tmp_path, capsys):
    broken = tmp_path / "broken.yaml"
    broken.write_text("- q: fine\n  expect: null\n- q: no expectation\n  lang: en\n")
    code, _ = run("eval", str(broken))
    assert code == 2
    assert f"{broken}:3: [1].expect: required field is missing" in capsys.readouterr().err
