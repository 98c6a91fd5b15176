"""What the bot serves from: guidance, engine and renderer (one immutable snapshot, swapped
whole on reload), the store, and the short memory of recent answers for follow-ups.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.engine import Engine, Turn
from bot.knowledge import Guidance, load_guidance
from bot.render import Renderer
from bot.store import Store

log = logging.getLogger(__name__)

T = TypeVar("T")

#: How many answers (and threads / DMs) the follow-up memory keeps.
TURN_MEMORY = 4096


@dataclass(frozen=True)
class Knowledge:
    """One guidance version with the engine and renderer built from it."""

    guidance: Guidance
    engine: Engine
    renderer: Renderer

    @property
    def version(self) -> str:
        return self.guidance.version


def load_knowledge(guidance_dir: str | Path, prompts_dir: str | Path | None = None) -> Knowledge:
    """Load and validate guidance and templates; raise on any problem, build nothing partial.

    Raises :class:`bot.knowledge.GuidanceError` for guidance problems and
    ``jinja2.TemplateError`` (or ``OSError``) for template problems: every Discord
    template is rendered once here, so a broken one is caught before it is served.
    """
    guidance = load_guidance(guidance_dir)
    engine = Engine(guidance)
    renderer = Renderer(guidance, prompts_dir=prompts_dir)
    _smoke_test(renderer, engine, guidance)
    return Knowledge(guidance, engine, renderer)


def _smoke_test(renderer: Renderer, engine: Engine, guidance: Guidance) -> None:
    from bot.checklists import build_checklist

    renderer.discord_help()
    renderer.discord_topics()
    first = next(iter(guidance.items))
    renderer.discord_item(first)
    renderer.discord_checklist(build_checklist(guidance, first), {0: "check"})
    example = guidance.items[first].examples[0]
    renderer.discord_result(engine.ask(example))
    renderer.discord_result(engine.ask(""))


class TurnMemory:
    """The engine turn behind recent answers, so that a reply can continue the conversation.

    Keyed by the id of the answer message, and by the id of a thread or DM channel for
    "the last answer given here". Bounded (least recently used go first); in memory only,
    so a follow-up to an answer given before a restart is treated as a new question.
    """

    def __init__(self, capacity: int = TURN_MEMORY) -> None:
        self.capacity = capacity
        self._messages: OrderedDict[int, Turn] = OrderedDict()
        self._channels: OrderedDict[int, Turn] = OrderedDict()

    @staticmethod
    def _put(table: OrderedDict[int, Turn], key: int, turn: Turn, capacity: int) -> None:
        table[key] = turn
        table.move_to_end(key)
        while len(table) > capacity:
            table.popitem(last=False)

    def remember(self, message_id: int, turn: Turn, *, channel_id: int | None = None) -> None:
        self._put(self._messages, message_id, turn, self.capacity)
        if channel_id is not None:
            self._put(self._channels, channel_id, turn, self.capacity)

    def for_message(self, message_id: int | None) -> Turn | None:
        return self._messages.get(message_id) if message_id is not None else None

    def for_channel(self, channel_id: int | None) -> Turn | None:
        return self._channels.get(channel_id) if channel_id is not None else None

    def __len__(self) -> int:
        return len(self._messages)


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
    """The bot's collaborators. ``knowledge`` is replaced in one assignment on reload, so a
    handler that read it once works with one consistent version throughout."""

    knowledge: Knowledge
    store: Store
    guidance_dir: Path
    prompts_dir: Path | None = None
    turns: TurnMemory = field(default_factory=TurnMemory)
    ask_limiter: Limiter = field(default_factory=lambda: Limiter(5, 30.0))
    #: (message id, user id) pairs that already voted Helpful / Not helpful.
    votes: set[tuple[int, int]] = field(default_factory=set)

    async def db(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a store call off the event loop (a locked database must not block the gateway)."""
        return await asyncio.to_thread(fn, *args, **kwargs)

    async def reload(self) -> Knowledge:
        """Load guidance and templates again; swap them in only if everything validates."""
        knowledge = await asyncio.to_thread(load_knowledge, self.guidance_dir, self.prompts_dir)
        old, self.knowledge = self.knowledge, knowledge
        log.info("guidance reloaded: version %s -> %s", old.version, knowledge.version)
        return knowledge

    def close(self) -> None:
        self.store.close()
