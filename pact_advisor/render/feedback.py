"""The view of the Discord bot's feedback report (``/advisor report``): plain data, as the
other views (:mod:`pact_advisor.render.views`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pact_advisor.render.views import View

if TYPE_CHECKING:
    from pact_advisor.store import Report


def report_view(report: Report, since: datetime) -> View:
    """Unanswered questions, answers marked not helpful since ``since``, and vote counts
    (items with the most "not helpful" first)."""

    def when(epoch: float) -> datetime:
        return datetime.fromtimestamp(epoch, UTC)

    votes = sorted(report.item_counts.items(), key=lambda kv: (-kv[1].not_helpful, kv[0]))
    return View(
        "report",
        {
            "since": since,
            "unanswered": [
                {"when": when(q.created_at), "question": q.question} for q in report.unanswered
            ],
            "not_helpful": [
                {
                    "when": when(f.created_at),
                    "item_id": f.item_id,
                    "question": f.question,
                    "reason": f.reason,
                    "note": f.note,
                }
                for f in report.not_helpful
            ],
            "votes": [
                {
                    "item_id": item,
                    "helpful": c.helpful,
                    "not_helpful": c.not_helpful,
                    "reasons": dict(c.reasons),
                }
                for item, c in votes
            ],
        },
    )
