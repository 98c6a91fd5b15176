"""Every quote checked against the document its item cites, on every load.

A quote is verbatim apart from whitespace and typographic quotes, and each passage of a
`` … ``-joined quote is checked on its own. A passage that is not found is a problem naming
the file, the line, the item and the document, with the closest passage of the document, so
the curator sees the drift at a glance.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pact_advisor.knowledge.errors import Problem
from pact_advisor.knowledge.models import Item
from pact_advisor.knowledge.sources import Document, normalise
from pact_advisor.knowledge.yaml_lines import Path_, line_for

#: How much of the closest passage a problem shows.
SHOWN = 240

#: Where each item sits: its file as shown, the line of each key, its path in the file.
Where = Mapping[str, tuple[str, Mapping[Path_, int], Path_]]


def _passage_line(file: str, start: int | None, passage: str) -> int | None:
    """The line a quote passage starts on (its first words), else the quote's own line."""
    if start is None:
        return None
    try:
        lines = Path(file).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return start
    words = normalise(passage).split()[:4]
    probe = " ".join(words)
    for number in range(start, min(len(lines), start + 40) + 1):
        if probe and probe in normalise(lines[number - 1]):
            return number
    return start


def _shown(text: str) -> str:
    return text if len(text) <= SHOWN else text[: SHOWN - 1].rstrip() + "…"


def check_quotes(
    items: Mapping[str, Item],
    where: Where,
    documents: Mapping[str, Document | None],
    problems: list[Problem],
    warnings: list[Problem],
    folder: str,
) -> None:
    """Note a problem for every quote passage not found in its item's document."""
    if not documents and not any(item.source.document for item in items.values()):
        warnings.append(
            Problem(folder, None, "sources", "no source documents: quotes are not checked")
        )
        return
    for item_id, item in items.items():
        file, lines, base = where[item_id]
        cited = item.source.document
        if cited is None:
            line = line_for(lines, (*base, "source"))
            known = ", ".join(sorted(documents))
            problems.append(
                Problem(file, line, item_id, f"source.document: required (one of: {known})")
            )
            continue
        if cited in documents and documents[cited] is None:
            continue  # the document itself could not be loaded, and is reported
        document = documents.get(cited)
        if document is None:
            line = line_for(lines, (*base, "source", "document"))
            known = ", ".join(sorted(d for d in documents if documents[d])) or "none in sources/"
            problems.append(
                Problem(
                    file,
                    line,
                    item_id,
                    f"source.document: unknown document {cited!r} (known: {known})",
                )
            )
            continue
        quote_line = line_for(lines, (*base, "quote"))
        for passage in item.quote_passages:
            if document.find(passage) >= 0:
                continue
            closest = document.closest(passage)
            hint = f"; closest passage: “{_shown(closest.text)}”" if closest else ""
            problems.append(
                Problem(
                    file,
                    _passage_line(file, quote_line, passage),
                    item_id,
                    f"quote: not found in {document.id}: “{_shown(normalise(passage))}”{hint}",
                )
            )
