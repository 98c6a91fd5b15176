"""Turning renderer output into discord.py objects, and small helpers every cog shares.

The wording lives in the renderer's templates; here ``EmbedSpec`` becomes ``discord.Embed``
and messages are sent with mentions switched off.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import discord

from pact_advisor.render import DiscordMessage, EmbedSpec

#: Every message the bot sends echoes user input somewhere: it never pings anyone.
NO_MENTIONS = discord.AllowedMentions.none()

_UNSAFE = re.compile(r"[^a-z0-9]+")
_WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def to_embed(spec: EmbedSpec) -> discord.Embed:
    """One renderer embed as a ``discord.Embed`` (the renderer already fits Discord's limits)."""
    embed = discord.Embed(
        title=spec.title or None,
        description=spec.description or None,
        url=spec.url or None,
        colour=spec.colour,
    )
    for f in spec.fields:
        embed.add_field(name=f.name, value=f.value, inline=f.inline)
    if spec.footer:
        embed.set_footer(text=spec.footer)
    return embed


def message_kwargs(message: DiscordMessage) -> dict[str, Any]:
    """``content``/``embeds``/``allowed_mentions`` for ``send``, ``reply`` or ``edit_message``."""
    return {
        "content": message.content or None,
        "embeds": [to_embed(e) for e in message.embeds],
        "allowed_mentions": NO_MENTIONS,
    }


def edit_kwargs(message: DiscordMessage) -> dict[str, Any]:
    """Like :func:`message_kwargs`, for edits (where ``None`` content clears the text)."""
    kwargs = message_kwargs(message)
    kwargs["content"] = message.content or ""
    return kwargs


def slug(text: str, max_len: int = 40) -> str:
    """``text`` as a lowercase ASCII slug: letters, digits and single dashes only."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE.sub("-", folded.lower()).strip("-")[:max_len].strip("-")


def safe_filename(*parts: str | None, prefix: str = "checklist", ext: str = "md") -> str:
    """A file name safe on every system, whatever the user typed into ``parts``.

    No path separators, dots, control characters or reserved device names (``CON``, ``NUL``,
    ``COM1`` …): ``safe_filename("../../etc/passwd")`` is ``checklist-etc-passwd.md``.
    """
    words = [s for s in (slug(p) for p in parts if p) if s]
    stem = "-".join([slug(prefix) or "file", *words])[:80].strip("-")
    if stem.split("-", 1)[0] in _WINDOWS_RESERVED:
        stem = f"file-{stem}"
    return f"{stem}.{slug(ext) or 'txt'}"


def display_name(user: discord.abc.User) -> str:
    """The name shown for ``user`` (server nickname, global name, or user name)."""
    return getattr(user, "display_name", None) or user.name
