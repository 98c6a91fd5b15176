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

The names below are imported from their modules on first use (PEP 562): building a record
(as the template check does) needs neither SQLite nor asyncio.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pact_advisor.lazy import exports

if TYPE_CHECKING:
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

#: Each public name and the module that defines it.
_HOME = {
    "AsyncStore": "aio",
    "LOCKED": "errors",
    "READ_ONLY": "errors",
    "StoreError": "errors",
    "UnknownRunError": "errors",
    "UnusableDatabase": "errors",
    "write_problem": "errors",
    "Change": "plans",
    "Place": "plans",
    "RunElsewhere": "plans",
    "StepOutOfRange": "plans",
    "parse_due": "plans",
    "Digest": "records",
    "Event": "records",
    "FeedbackRecord": "records",
    "ItemCounts": "records",
    "Owner": "records",
    "Report": "records",
    "Run": "records",
    "Skip": "records",
    "Tick": "records",
    "TurnRecord": "records",
    "UnansweredQuestion": "records",
    "MIGRATIONS": "schema",
    "SCHEMA_VERSION": "schema",
    "Store": "store",
}

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


__getattr__, __dir__ = exports(__name__, _HOME)
