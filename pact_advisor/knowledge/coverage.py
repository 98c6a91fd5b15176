"""Which passages of each source document the guidance quotes, and which none does.

A passage (a sentence or a bullet point) is covered when the quotes of the items citing its
document, taken together, reproduce at least :data:`COVERED_SHARE` of its characters: an
item that quotes the heart of a sentence covers it, one that borrows three of its words
does not. Headings are not passages (see :mod:`pact_advisor.knowledge.sources`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pact_advisor.knowledge.models import Item
from pact_advisor.knowledge.sources import Document, Passage, normalise

#: The share of a passage's characters that quotes must reproduce for it to be covered.
COVERED_SHARE = 0.5


@dataclass(frozen=True)
class DocumentCoverage:
    """One document: its passages, the ones no item quotes, and the items quoting it."""

    document: Document
    passages: tuple[Passage, ...]
    uncovered: tuple[Passage, ...]
    items: tuple[str, ...]

    @property
    def share(self) -> float:
        """The share of passages covered, from 0 to 1 (1 for a document with none)."""
        if not self.passages:
            return 1.0
        return (len(self.passages) - len(self.uncovered)) / len(self.passages)


def _marked(document: Document, quotes: Iterable[str]) -> bytearray:
    """One flag per character of the document's text: 1 where some quote reproduces it."""
    marks = bytearray(len(document.text))
    for quoted in quotes:
        wanted = normalise(quoted)
        if not wanted:
            continue
        start = document.text.find(wanted)
        while start >= 0:
            marks[start : start + len(wanted)] = b"\x01" * len(wanted)
            start = document.text.find(wanted, start + 1)
    return marks


def document_coverage(document: Document, items: Iterable[Item]) -> DocumentCoverage:
    """How much of ``document`` the quotes of ``items`` (those citing it) cover."""
    citing = [item for item in items if item.source.document == document.id]
    marks = _marked(document, (p for item in citing for p in item.quote_passages))
    uncovered = tuple(
        passage
        for passage in document.passages
        if sum(marks[passage.start : passage.end]) < COVERED_SHARE * (passage.end - passage.start)
    )
    return DocumentCoverage(document, document.passages, uncovered, tuple(i.id for i in citing))


def coverage(guidance) -> list[DocumentCoverage]:
    """Every source document of ``guidance`` with its coverage, in id order."""
    items = list(guidance.items.values())
    return [document_coverage(guidance.sources[d], items) for d in sorted(guidance.sources)]
