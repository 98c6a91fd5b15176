"""Fill guidance advice and checklist steps with a context (partner, sector, programme).

Advice and steps are Jinja2 templates from the trusted guidance files. They are compiled in a
sandbox all the same, and what a user typed is only ever passed in as a value: a partner named
``{{ 7*7 }}`` prints ``{{ 7*7 }}``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import Any

from jinja2 import StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment

from pact_advisor.knowledge.context import context_values

#: What a missing slot reads as, so that advice stays natural without context.
DEFAULTS: Mapping[str, str] = {
    "partner": "the partner country",
    "sector": "the sectors concerned",
    "programme": "the programme",
}

_AT_SENTENCE_START = re.compile(
    r"(^|[.!?]\s+)(" + "|".join(re.escape(v) for v in DEFAULTS.values()) + r")"
)


def _names(text: str, name: str) -> bool:
    """Whether ``text`` names ``name`` itself, as a word, outside its slots."""
    outside = re.sub(r"\{\{.*?\}\}", " ", text)
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", outside, re.IGNORECASE) is not None


def slot_values(context: Any) -> dict[str, str]:
    """Every slot filled: the user's value, or its natural default."""
    return {slot: value or DEFAULTS[slot] for slot, value in context_values(context).items()}


class SlotFiller:
    """Compiles guidance strings once (sandboxed, strict) and fills them with a context."""

    def __init__(self) -> None:
        self._env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
        self._cache: dict[str, Template] = {}
        self._lock = threading.Lock()

    def _compile(self, text: str) -> Template:
        template = self._cache.get(text)
        if template is None:
            template = self._env.from_string(text)
            with self._lock:
                self._cache[text] = template
        return template

    def fill(self, text: str, context: Any = None) -> str:
        """``text`` with ``{{ partner }}``, ``{{ sector }}`` and ``{{ programme }}`` filled in."""
        if "{" not in text:
            return text
        values = slot_values(context)
        given = context_values(context)["programme"]
        if given and _names(text, given):
            # "Plan how EUDiF will connect with these EUDiF instruments": when the text
            # already names the programme given, its slot reads as the default.
            values["programme"] = DEFAULTS["programme"]
        rendered = self._compile(text).render(values)
        # A default that opens a sentence gets a capital ("The programme …").
        return _AT_SENTENCE_START.sub(
            lambda m: m.group(1) + m.group(2)[0].upper() + m.group(2)[1:], rendered
        )
