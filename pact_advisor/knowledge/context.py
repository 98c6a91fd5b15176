"""Who and what a piece of advice is for: the partner country, the sector, the programme.

What a user typed for them (on the command line, in a slash command, or as stored with a
conversation turn) is cleaned in one place, :func:`context_values`: whitespace collapsed,
blank values missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pact_advisor.knowledge.models import CONTEXT_SLOTS


@dataclass(frozen=True)
class Context:
    """Who and what a piece of advice is for; any part may be unknown."""

    partner: str | None = None
    sector: str | None = None
    programme: str | None = None

    @classmethod
    def of(cls, values: Any = None, /, **slots: str | None) -> Context:
        """A clean context from what a user gave: a ``Context``, a mapping (a stored turn's
        context, say) or ``None``, and slot keywords, which take precedence when given."""
        if slots:
            values = {**context_values(values), **slots}
        return cls(**context_values(values))

    def merged(self, newer: Context) -> Context:
        return Context(
            partner=newer.partner or self.partner,
            sector=newer.sector or self.sector,
            programme=newer.programme or self.programme,
        )

    def as_dict(self) -> dict[str, str | None]:
        return {"partner": self.partner, "sector": self.sector, "programme": self.programme}

    def __bool__(self) -> bool:
        return any((self.partner, self.sector, self.programme))


def context_values(context: Any) -> dict[str, str | None]:
    """The given slot values of ``context``: a ``Context``, a mapping, or ``None``.

    Whitespace is collapsed and blank values count as missing.
    """
    out: dict[str, str | None] = {}
    for slot in CONTEXT_SLOTS:
        if context is None:
            value = None
        elif isinstance(context, Mapping):
            value = context.get(slot)
        else:
            value = getattr(context, slot, None)
        text = " ".join(str(value).split()) if value is not None else ""
        out[slot] = text or None
    return out
