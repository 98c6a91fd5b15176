"""What the bot serves from: the advisor (guidance, engine and renderer, one snapshot swapped
whole on reload, the previous one kept for rollback), and the store, which also keeps the
turn behind each answer for follow-ups.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import discord
from discord import app_commands

from pact_advisor.app import Advisor
from pact_advisor.engine import Turn
from pact_advisor.store import AsyncStore, StoreError, TurnRecord

log = logging.getLogger(__name__)

T = TypeVar("T")


def conversation_channel(channel: Any) -> int | None:
    """The channel to remember "the last answer here" for: threads and DMs only, where
    every message is part of the conversation."""
    if isinstance(channel, (discord.Thread, discord.DMChannel)):
        return channel.id
    return None


class Limiter:
    """A per-key rate limit ("5 per 30 s per user") owned by one bot.

    discord.py's ``checks.cooldown`` keeps its buckets in a module-level dict shared by every
    bot in the process; this one lives and dies with the bot. Time is the interaction's
    creation time, so it follows Discord's clock (and a simulated one in tests).
    """

    def __init__(self, rate: int, per: float) -> None:
        self.rate, self.per = rate, per
        self._buckets: dict[Any, app_commands.Cooldown] = {}

    def hit(self, key: Any, now: float) -> app_commands.Cooldown | None:
        """Count one use; return the exhausted bucket if ``key`` must wait (else ``None``)."""
        for stale in [k for k, b in self._buckets.items() if now > b._last + b.per]:
            del self._buckets[stale]
        bucket = self._buckets.setdefault(key, app_commands.Cooldown(self.rate, self.per))
        return bucket if bucket.update_rate_limit(now) is not None else None

    def check(self, interaction: discord.Interaction) -> None:
        """Raise ``CommandOnCooldown`` (a check failure the tree turns into a friendly reply)."""
        now = interaction.created_at.timestamp()
        bucket = self.hit(interaction.user.id, now)
        if bucket is not None:
            raise app_commands.CommandOnCooldown(bucket, bucket.get_retry_after(now))


@dataclass
class Services:
    """The bot's collaborators. ``advisor`` is replaced in one assignment on reload, so a
    handler that read it once works with one consistent version throughout."""

    advisor: Advisor
    store: AsyncStore
    guidance_dir: Path
    prompts_dir: Path | None = None
    #: Every way of asking (/ask, the message menu, mentions, DMs, follow-ups) counts here.
    ask_limiter: Limiter = field(default_factory=lambda: Limiter(5, 30.0))
    #: What makes checklist runs or export files, per member (``/checklist``, Export).
    checklist_limiter: Limiter = field(default_factory=lambda: Limiter(5, 60.0))
    #: Changes to checklist steps, per member (each one is stored with its event).
    change_limiter: Limiter = field(default_factory=lambda: Limiter(30, 60.0))
    #: The guidance served before the last swap, for ``/advisor rollback``.
    previous: Advisor | None = None
    #: The reload or curation being checked on the guidance worker, if any.
    background: concurrent.futures.Future | None = None
    #: The servers told that the database file is damaged (once each, for the life of the
    #: process: the bots ``run`` starts one after another share these services).
    damage_told: set[int] = field(default_factory=set)
    #: One thread of its own for loading, fitting and gating guidance, so that this slow
    #: work never takes a thread the store's calls need.
    _worker: concurrent.futures.ThreadPoolExecutor = field(
        default_factory=lambda: concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="pact-guidance"
        ),
        repr=False,
    )

    async def remember(
        self,
        message_id: int,
        turn: Turn,
        *,
        guidance_version: str,
        channel: Any = None,
        keep_question: bool = True,
    ) -> StoreError | None:
        """Store the turn behind an answer message, so that a reply to it (in a thread or DM,
        any later message there) continues the conversation, also after a restart. A failed
        save is logged and returned (the answer is already posted), for the caller to tell
        the member when it can. Without ``keep_question`` (it held personal data) no text of
        the question is stored."""
        try:
            await self.store.save_turn(
                message_id,
                turn,
                channel_id=conversation_channel(channel),
                guidance_version=guidance_version,
                keep_question=keep_question,
            )
        except StoreError as exc:
            log.warning("could not save the turn of message %s: %s", message_id, exc)
            return exc
        return None

    async def turn_for_message(self, message_id: int | None) -> Turn | None:
        """The turn behind answer message ``message_id`` (``None`` if unknown or purged)."""
        if message_id is None:
            return None
        return await self._read_turn(self.store.get_turn, message_id)

    async def turn_for_channel(self, channel_id: int | None) -> Turn | None:
        """The last turn in a thread or DM channel (``None`` elsewhere). A thread opened from
        one of the bot's answers ("Create Thread" on the message, which gives the thread the
        message's id) starts from that answer."""
        if channel_id is None:
            return None
        turn = await self._read_turn(self.store.last_turn, channel_id)
        if turn is None:
            turn = await self.turn_for_message(channel_id)
        return turn

    async def _read_turn(
        self, read: Callable[[int], Awaitable[TurnRecord | None]], key: int
    ) -> Turn | None:
        try:
            record = await read(key)
            return record.turn if record else None
        except StoreError as exc:  # answer as a new question rather than not at all
            log.warning("could not read a conversation turn: %s", exc)
            return None

    def swap(self, advisor: Advisor) -> Advisor:
        """Serve ``advisor`` from now on; the one it replaces is kept for :meth:`rollback`."""
        old, self.advisor = self.advisor, advisor
        self.previous = old
        log.info("guidance swapped in: version %s -> %s", old.version, advisor.version)
        return old

    def rollback(self) -> tuple[Advisor, Advisor] | None:
        """Serve the previous guidance snapshot again: (the one left, the one back), or
        ``None`` when there is none. The one left becomes the snapshot, so a second
        rollback undoes the first."""
        if self.previous is None:
            return None
        left = self.swap(self.previous)
        return left, self.advisor

    @property
    def damaged(self) -> bool:
        """The store has found damaged pages in the database file while running."""
        return self.store.sync.damage_reported

    @property
    def busy(self) -> bool:
        """A reload or a curation is being checked right now."""
        return self.background is not None and not self.background.done()

    def in_background(
        self, work: Callable[[], T], done: Callable[[T | BaseException], Awaitable[None]]
    ) -> concurrent.futures.Future[T]:
        """Run ``work`` (parsing, validation, fitting, the gate) on the guidance worker
        thread, then ``done`` with its result (or exception) on the event loop.

        Nothing on the event loop waits for ``work``: members keep asking and ticking while
        it runs, and the store's worker threads stay free for their calls.
        """
        loop = asyncio.get_running_loop()
        context = contextvars.copy_context()

        def finished(future: concurrent.futures.Future[T]) -> None:
            if future.cancelled():  # the bot is closing
                return
            outcome = future.exception() or future.result()
            loop.call_soon_threadsafe(lambda: loop.create_task(done(outcome)), context=context)

        future = self._worker.submit(context.copy().run, work)
        future.add_done_callback(finished)
        self.background = future
        return future

    def close(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)
        self.store.close()
