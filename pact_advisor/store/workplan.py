"""The store's operations on checklists as work plans: changes to steps, the event log,
listing runs, the message that shows a run, and the daily digest schedule.

A mixin of :class:`~pact_advisor.store.store.Store` (which provides ``_tx`` and ``_clock``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from pact_advisor.store import digests, plans, runs
from pact_advisor.store.plans import Change, Place
from pact_advisor.store.records import Digest, Event, Run


class WorkPlanOperations:
    """Owners, due dates, not applicable, notes and their history; digests."""

    if TYPE_CHECKING:  # provided by Store
        _clock: Callable[[], float]

        def _tx(self, *, write: bool) -> AbstractContextManager[sqlite3.Connection]: ...

    def change_run(
        self,
        run_id: int,
        changes: Sequence[Change],
        *,
        user_id: int,
        user_name: str,
        place: Place | None = None,
    ) -> Run:
        """Apply ``changes`` (all or none, with their events, in one transaction) and return
        the run as now stored. With ``place``, only if the run is there (checked in the same
        transaction).

        Raises:
            UnknownRunError: no such run.
            RunElsewhere: the run is not in ``place``.
            ValueError: a change is not valid (see :class:`~pact_advisor.store.plans.Change`).
        """
        with self._tx(write=True) as conn:
            plans.apply(
                conn,
                run_id,
                changes,
                user_id=user_id,
                user_name=user_name,
                now=self._clock(),
                place=place,
            )
            run = runs.load(conn, run_id)
        assert run is not None
        return run

    def run_events(self, run_id: int) -> list[Event]:
        """Every change recorded for the run, oldest first."""
        with self._tx(write=False) as conn:
            return plans.events(conn, run_id)

    def list_runs(self, *, guild_id: int | None = None, channel_id: int | None = None) -> list[Run]:
        """Every run (of one server, or one channel), newest first."""
        with self._tx(write=False) as conn:
            return runs.find(conn, guild_id=guild_id, channel_id=channel_id)

    def set_run_message(self, run_id: int, message_id: int) -> None:
        """Remember the message showing the run: its controls are honoured there only."""
        with self._tx(write=True) as conn:
            runs.set_message(conn, run_id, message_id)

    def set_digest(self, guild_id: int, channel_id: int, at_time: str, *, by: int) -> None:
        """Post a daily digest for ``guild_id`` in ``channel_id`` at ``at_time`` (HH:MM UTC)."""
        with self._tx(write=True) as conn:
            digests.set_digest(conn, guild_id, channel_id, at_time, by=by, now=self._clock())

    def clear_digest(self, guild_id: int) -> bool:
        """Stop the digest of ``guild_id``; False if there was none."""
        with self._tx(write=True) as conn:
            return digests.clear_digest(conn, guild_id)

    def digests(self) -> list[Digest]:
        """Every server's digest schedule."""
        with self._tx(write=False) as conn:
            return digests.all_digests(conn)

    def mark_digest_sent(self, guild_id: int, day: str) -> bool:
        """Claim today's digest of ``guild_id`` (YYYY-MM-DD); False if it was sent already."""
        with self._tx(write=True) as conn:
            return digests.mark_sent(conn, guild_id, day)
