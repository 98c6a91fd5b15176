"""Results to render and checks on what was rendered, shared by the renderer's tests."""

from __future__ import annotations

import re
from pathlib import Path

from pact_advisor.engine import Context, Match, Result
from pact_advisor.knowledge import Guidance
from pact_advisor.render import DiscordMessage, check

MOROCCO = Context(partner="Morocco", sector="agriculture", programme="THAMM")
EVIL = "@everyone <@123> <@&45> <#67> **bold** {{ 7*7 }} {% if true %}x{% endif %} success factors"
HUGE = "Morocco" + " and more" * 1_250  # about 10,000 characters
DEV_SET = Path(__file__).resolve().parents[2] / "eval" / "dev.yaml"
# Double spaces inside a line (indentation at a line start is layout, not a gap).
GAP = re.compile(r"\S {2,}\S")


def answer(
    guidance: Guidance,
    item_id: str,
    question: str = "a question",
    context: Context | None = None,
    **extra,
) -> Result:
    """A result answering with ``item_id`` on top, then three other items of the guidance."""
    others = [i for i in guidance.items if i != item_id][:3]
    matches = tuple(
        Match(
            i,
            guidance.items[i].title,
            guidance.items[i].quote,
            guidance.items[i].source,
            score,
            ("terms: test",),
        )
        for i, score in zip([item_id, *others], (0.6, 0.3, 0.25, 0.05), strict=True)
    )
    fields = dict(
        question=question,
        intent="answer",
        answered=True,
        matches=matches,
        guidance_version=guidance.version,
        context=context or Context(),
        searched=question,
        confidence="high",
    )
    fields.update(extra)
    return Result(**fields)


def not_covered(
    guidance: Guidance, question: str = "a question", suggestions=(), reason: str = "low-score"
) -> Result:
    sugg = tuple(
        Match(
            i, guidance.items[i].title, guidance.items[i].quote, guidance.items[i].source, 0.15, ()
        )
        for i in suggestions
    )
    return Result(
        question=question,
        intent="answer",
        answered=False,
        matches=(),
        guidance_version=guidance.version,
        suggestions=sugg,
        reason=reason,
        searched=question,
    )


def clean(text: str) -> None:
    """No trace of a missing value or of template syntax."""
    assert "None" not in text
    assert "{{" not in text and "}}" not in text and "{%" not in text
    # Block quotes reproduce the source verbatim, typography included.
    prose = "\n".join(line for line in text.splitlines() if not line.startswith(">"))
    assert not GAP.search(prose), GAP.search(prose)
    assert "()" not in text


def all_text(message: DiscordMessage) -> str:
    parts = [message.content]
    for embed in message.embeds:
        parts += [embed.title, embed.description, embed.footer]
        parts += [p for f in embed.fields for p in (f.name, f.value)]
    return "\n".join(parts)


def fits(message: DiscordMessage) -> None:
    assert check(message) == []
