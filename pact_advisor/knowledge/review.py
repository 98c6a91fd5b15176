"""Review dates: when each item was last checked, when it is due again, and the date the
guidance as a whole speaks as of."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from pact_advisor.knowledge.models import Item

#: An item that gives no ``review_by`` is due this long after it was ``reviewed``.
REVIEW_INTERVAL = dt.timedelta(days=365)


def due_date(item: Item) -> dt.date | None:
    """When ``item`` is due for review (``None``: it carries no review date at all)."""
    if item.review_by is not None:
        return item.review_by
    if item.reviewed is not None:
        return item.reviewed + REVIEW_INTERVAL
    return None


@dataclass(frozen=True)
class Due:
    """An item due for review: its id, when it was last reviewed and when it fell due."""

    item_id: str
    reviewed: dt.date | None
    due: dt.date


def due_for_review(items: Iterable[Item], today: dt.date) -> list[Due]:
    """The items past their review date, oldest due first (an item with no review date at
    all is not listed: there is nothing it is past)."""
    found = []
    for item in items:
        due = due_date(item)
        if due is not None and due < today:
            found.append(Due(item.id, item.reviewed, due))
    return sorted(found, key=lambda d: (d.due, d.item_id))


def as_of(items: Iterable[Item]) -> dt.date | None:
    """The date the guidance speaks as of: the latest review of any of ``items``."""
    return max((i.reviewed for i in items if i.reviewed is not None), default=None)


def describe(due: Due) -> str:
    """One line for a curator: "diaspora.tools: review due since 2026-01-01 (reviewed …)"."""
    return f"{due.item_id}: review due since {due.due.isoformat()} (last reviewed {due.reviewed})"
