"""The README's sample sessions are what the build prints, exactly.

To regenerate them after a change of output: ``python tests/cli/test_readme.py``.
"""

from __future__ import annotations

import io
import re
import shlex
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
#: A ```console block: a ``$ pact-advisor ...`` line, then what it prints.
SESSION = re.compile(r"```console\n\$ (?P<command>pact-advisor [^\n]*)\n(?P<output>.*?)```", re.S)


def sessions(text: str) -> list[re.Match[str]]:
    return list(SESSION.finditer(text))


def printed(command: str) -> str:
    from pact_advisor.cli import main

    out = io.StringIO()
    code = main(shlex.split(command)[1:], stdin=io.StringIO(), stdout=out)
    assert code == 0, command
    return out.getvalue()


def test_the_readme_has_sample_sessions():
    commands = [m["command"].split()[1] for m in sessions(README.read_text(encoding="utf-8"))]
    assert {"ask", "checklist", "eval"} <= set(commands)


@pytest.mark.parametrize(
    "command", [m["command"] for m in sessions(README.read_text(encoding="utf-8"))]
)
def test_each_sample_session_is_what_the_build_prints(command, monkeypatch):
    monkeypatch.chdir(ROOT)  # the samples name files relative to the repository
    shown = next(
        m["output"] for m in sessions(README.read_text(encoding="utf-8")) if m["command"] == command
    )
    assert printed(command) == shown, "regenerate with: python tests/cli/test_readme.py"


def regenerate() -> None:
    """Write what the build prints into every sample session of the README."""
    text = README.read_text(encoding="utf-8")

    def fresh(match: re.Match[str]) -> str:
        return f"```console\n$ {match['command']}\n{printed(match['command'])}```"

    README.write_text(SESSION.sub(fresh, text), encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    import os

    os.chdir(ROOT)
    regenerate()
