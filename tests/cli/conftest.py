"""Fixtures for the command line: a terminal to run ``pact-advisor`` in, closed after."""

from __future__ import annotations

import pytest
from cli_helpers import Terminal


@pytest.fixture
def terminal(tmp_path):
    """Starts ``pact-advisor ARGV`` in a 100-column pseudo-terminal, with its own chat
    history file and no .env to find."""
    opened: list[Terminal] = []

    def start(*argv: str, columns: int = 100, env: dict | None = None) -> Terminal:
        environment = {"PACT_ADVISOR_HISTORY": str(tmp_path / "history"), **(env or {})}
        term = Terminal(argv, columns=columns, env=environment, cwd=tmp_path)
        opened.append(term)
        return term

    yield start
    for term in opened:
        term.close()
