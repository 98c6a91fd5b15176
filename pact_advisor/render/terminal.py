"""The terminal and Markdown target: a view as text, from ``<name>.md.j2``.

Checklists have their own templates: ``checklist.txt.j2`` for the terminal (numbered, with
boxes) and ``checklist.md.j2`` for Markdown (a GitHub task list).
"""

from __future__ import annotations

from typing import Literal

import jinja2

from pact_advisor.render.environment import text_target, tidy
from pact_advisor.render.views import View

Target = Literal["terminal", "markdown"]
ChecklistFormat = Literal["text", "md"]

_TARGETS: dict[str, Target] = {
    "terminal": "terminal",
    "text": "terminal",
    "markdown": "markdown",
    "md": "markdown",
}
_CHECKLIST_FORMATS: dict[str, Target] = {
    "text": "terminal",
    "txt": "terminal",
    "terminal": "terminal",
    "md": "markdown",
    "markdown": "markdown",
}


def resolve(target: str) -> Target:
    """``terminal`` or ``markdown`` for any of their names; ``ValueError`` for anything else."""
    try:
        return _TARGETS[target]
    except KeyError:
        raise ValueError(f"unknown target {target!r}: use terminal or markdown") from None


def checklist_target(fmt: str) -> Target:
    """The target a checklist format (``text`` or ``md``) renders for."""
    try:
        return _CHECKLIST_FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown checklist format {fmt!r}: use text or md") from None


class TerminalTarget:
    """Renders views as plain text for a terminal, or as Markdown."""

    def __init__(self, env: jinja2.Environment):
        self.env = env

    def render(self, view: View, target: str = "terminal") -> str:
        resolved = resolve(target)
        if view.name == "checklist":
            name = "checklist.md.j2" if resolved == "markdown" else "checklist.txt.j2"
        else:
            name = f"{view.name}.md.j2"
        template = self.env.get_template(name)
        token = text_target.set(resolved)
        try:
            return tidy(template.render({**view.variables, "target": resolved}))
        finally:
            text_target.reset(token)
