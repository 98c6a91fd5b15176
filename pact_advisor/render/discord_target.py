"""The Discord target: a view as a :class:`DiscordMessage` from ``<name>.discord.j2``, fitted
into Discord's limits, and the layout policy that goes with it: embed colours, checklist
pages, and how much of a long problem list a message shows.

Plain data, no discord import: the Discord adapter turns the message into discord.py objects.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import jinja2

from pact_advisor import i18n
from pact_advisor.render.embeds import LIMITS, DiscordMessage, EmbedSpec, FieldSpec, fit
from pact_advisor.render.environment import tidy
from pact_advisor.render.filters import discord_escape, truncate_sentence
from pact_advisor.render.views import View

#: Embed colours by kind of message.
COLOURS: Mapping[str, int] = {
    "answer": 0x2B6CB0,
    "programme": 0x6B46C1,
    "ambiguous": 0xD69E2E,
    "not_covered": 0x718096,
    "checklist": 0x2F855A,
    "checklists": 0x2F855A,
    "digest": 0xD69E2E,
    "item": 0x2C7A7B,
    "topics": 0x4A5568,
    "help": 0x3182CE,
    "thanks": 0x3182CE,
    "report": 0x4A5568,
    "reload_failed": 0xC53030,
}

#: Checklist steps per page: three rows of five tick buttons, a fourth for the menu that
#: ticks several at once, the fifth for Prev / Next / Export / Manage (five rows of five).
PAGE_SIZE = 15

#: A failed reload lists at most this many problems, each trimmed to ``PROBLEM_CHARS``,
#: within ``PROBLEMS_BUDGET`` characters; the rest are counted.
MAX_PROBLEMS = 30
PROBLEM_CHARS = 300
PROBLEMS_BUDGET = 3800

_PARTS = ("content", "title", "description", "fields", "footer", "more", "url")


def page_count(steps: int) -> int:
    """How many pages a checklist of ``steps`` steps takes (at least one)."""
    return max(1, math.ceil(steps / PAGE_SIZE))


def clamp_page(page: int, steps: int) -> int:
    """``page`` (0-based) within the pages of a checklist of ``steps`` steps."""
    return min(max(0, page), page_count(steps) - 1)


def page_of(step: int) -> int:
    """The page (0-based) showing step index ``step``."""
    return step // PAGE_SIZE


def page_steps(page: int, steps: int) -> range:
    """The step indexes (0-based) on ``page`` of a checklist of ``steps`` steps."""
    start = clamp_page(page, steps) * PAGE_SIZE
    return range(start, min(start + PAGE_SIZE, steps))


class DiscordTarget:
    """Renders views as Discord messages within Discord's limits."""

    def __init__(self, env: jinja2.Environment):
        self.env = env
        # "(continued)" after a split field's name, in each language.
        self._cont: dict[str, str] = {}

    def render(self, view: View) -> DiscordMessage:
        """Render ``<name>.discord.j2`` into a message and fit it into Discord's limits."""
        template = self.env.get_template(f"{view.name}.discord.j2")
        module = template.make_module(dict(view.variables))
        parts = {key: getattr(module, key, None) for key in _PARTS}
        text = {
            k: tidy(str(parts[k] or "")).strip()
            for k in ("content", "title", "description", "footer", "more")
        }
        fields = tuple(
            FieldSpec(
                tidy(str(f["name"])).strip(),
                tidy(str(f["value"])).strip(),
                bool(f.get("inline", False)),
            )
            for f in (parts["fields"] or ())
        )
        embeds: tuple[EmbedSpec, ...] = ()
        if text["title"] or text["description"] or fields:
            embeds = (
                EmbedSpec(
                    title=text["title"],
                    description=text["description"],
                    fields=fields,
                    footer=text["footer"],
                    url=str(parts["url"]) if parts["url"] else None,
                    colour=COLOURS.get(view.name, COLOURS["answer"]),
                ),
            )
        return fit(
            DiscordMessage(content=text["content"], embeds=embeds),
            more=text["more"],
            cont=self._continued(),
        )

    def _continued(self) -> str:
        language = i18n.current()
        found = self._cont.get(language)
        if found is None:
            macros = self.env.get_template("_macros.discord.j2").module
            found = self._cont[language] = str(macros.cont())  # type: ignore[attr-defined]
        return found

    def checklist(self, view: View, page: int = 0) -> DiscordMessage:
        """One page of a checklist view (see :func:`page_steps`); ``page`` is clamped."""
        variables = dict(view.variables)
        total = variables["total"]
        pages = page_count(total)
        page = clamp_page(page, total)
        start, stop = page * PAGE_SIZE, (page + 1) * PAGE_SIZE
        sections = []
        for section in variables["sections"]:
            steps = [s for s in section["steps"] if start < s["number"] <= stop]
            if steps:
                sections.append({**section, "steps": steps})
        on_page = sum(len(s["steps"]) for s in sections)
        variables.update(
            sections=sections,
            page=page,
            pages=pages,
            # Keep a full page within the 6000-character total.
            line_cap=max(60, min(400, 4200 // max(1, on_page))),
        )
        return self.render(View(view.name, variables))

    def reload_problems(self, problems: Sequence[str], version: str) -> DiscordMessage:
        """A failed reload: every problem that fits (each trimmed), then how many more there
        are; ``version`` is the guidance still served."""
        shown: list[str] = []
        used = 0
        for problem in problems[:MAX_PROBLEMS]:
            text = truncate_sentence(problem, PROBLEM_CHARS)
            size = len(discord_escape(text)) + 3  # "• " and the line break
            if used + size > PROBLEMS_BUDGET:
                break
            shown.append(text)
            used += size
        return self.render(
            View("reload_failed", {"problems": shown, "total": len(problems), "version": version})
        )

    def text(self, name: str, /, **values: Any) -> str:
        """A short text (a reply, a hint, a button label): the macro ``name`` of
        ``messages.discord.j2`` called with ``values``, within Discord's content limit."""
        module = self.env.get_template("messages.discord.j2").module
        macro = getattr(module, name, None)
        if not callable(macro):
            raise LookupError(f"messages.discord.j2 has no macro {name!r}")
        return truncate_sentence(tidy(str(macro(**values))).strip(), LIMITS.content)
