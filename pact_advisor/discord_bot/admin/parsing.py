"""The admin commands' plain logic, no discord import: the report's first day, and reload
problems in words a server admin can act on."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pact_advisor.gate import template_problem
from pact_advisor.knowledge import Problem

__all__ = ["describe_problem", "parse_since", "template_problem"]

DEFAULT_REPORT_DAYS = 30


def parse_since(text: str | None, now: datetime) -> datetime:
    """``YYYY-MM-DD`` as midnight UTC; ``None`` means 30 days before ``now``.

    Raises ``ValueError`` for anything else.
    """
    if text is None or not text.strip():
        return (now - timedelta(days=DEFAULT_REPORT_DAYS)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
    return datetime.strptime(text.strip(), "%Y-%m-%d").replace(tzinfo=UTC)


def describe_problem(problem: Problem, directory: Path) -> str:
    """A problem with its file named relative to the guidance folder."""
    file = Path(problem.file)
    try:
        shown = str(file.resolve().relative_to(directory.resolve()))
    except (ValueError, OSError):
        shown = file.name or problem.file
    message = problem.message
    for prefix in {str(directory) + os.sep, str(directory.resolve()) + os.sep}:
        message = message.replace(prefix, "")
    return str(replace(problem, file=shown, message=message))
