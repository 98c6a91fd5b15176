"""SQLite persistence for Pact Advisor: checklist runs and their ticks, votes on answers,
unanswered questions and conversation turns.

A library layer: it knows nothing about Discord and uses only the standard library (and
the program's own checklist and engine types).

* :mod:`~pact_advisor.store.schema`: the tables, as versioned migrations.
* :mod:`~pact_advisor.store.errors`: :class:`StoreError`, SQLite errors in words, and the
  check that the database accepts a write.
* :mod:`~pact_advisor.store.records`: the frozen records the store returns.
* :mod:`~pact_advisor.store.store`: :class:`Store`, one connection and every operation
  (the SQL lives in ``runs``, ``feedback``, ``turns`` and ``retention``).
* :mod:`~pact_advisor.store.aio`: :class:`AsyncStore`, the same operations for async code.
"""

from pact_advisor.store.aio import AsyncStore
from pact_advisor.store.errors import (
    LOCKED,
    READ_ONLY,
    StoreError,
    UnknownRunError,
    UnusableDatabase,
    write_problem,
)
from pact_advisor.store.plans import Change, Place, RunElsewhere, StepOutOfRange, parse_due
from pact_advisor.store.records import (
    Digest,
    Event,
    FeedbackRecord,
    ItemCounts,
    Owner,
    Report,
    Run,
    Skip,
    Tick,
    TurnRecord,
    UnansweredQuestion,
)
from pact_advisor.store.schema import MIGRATIONS, SCHEMA_VERSION
from pact_advisor.store.store import Store

__all__ = [
    "LOCKED",
    "MIGRATIONS",
    "READ_ONLY",
    "SCHEMA_VERSION",
    "AsyncStore",
    "Change",
    "Digest",
    "Event",
    "FeedbackRecord",
    "ItemCounts",
    "Owner",
    "Place",
    "Report",
    "Run",
    "RunElsewhere",
    "Skip",
    "StepOutOfRange",
    "Store",
    "StoreError",
    "Tick",
    "TurnRecord",
    "UnansweredQuestion",
    "UnknownRunError",
    "UnusableDatabase",
    "parse_due",
    "write_problem",
]
