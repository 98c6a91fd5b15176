"""Small readers for what a Discord user sees in a SimCord message."""

from __future__ import annotations

from typing import Any


def components(message: Any) -> list[dict]:
    """Every component (button, select) of ``message``, flattened from its rows."""
    return [c for row in (message.components or []) for c in _children(row)]


def _children(row: Any) -> list[dict]:
    if isinstance(row, dict):
        return row.get("components", [])
    return [c.to_dict() for c in getattr(row, "children", [])]


def labels(message: Any) -> list[str]:
    return [c.get("label") for c in components(message) if c.get("type") == 2]


def button(message: Any, label: str) -> dict:
    return next(c for c in components(message) if c.get("label") == label)


def embed_text(message: Any) -> str:
    """Title, description, fields and footer of every embed, as one string."""
    parts = [message.content or ""]
    for embed in message.embeds:
        parts += [embed.title or "", embed.description or ""]
        parts += [f"{f.name}\n{f.value}" for f in embed.fields]
        parts.append(embed.footer.text or "" if embed.footer else "")
    return "\n".join(parts)


def requests(env: Any, method: str, suffix: str) -> list[Any]:
    return [e for e in env.http_requests if e.method == method and e.path.endswith(suffix)]


async def gate_done(env: Any, timeout: float = 180.0) -> None:
    """Wait for the guidance check a reload or a curation started (it runs on the guidance
    worker thread, which the simulator does not wait for), then for the bot to reply."""
    import asyncio

    job = env.bot.services.background
    if job is not None:
        await asyncio.wait_for(asyncio.wrap_future(job), timeout)
    await env.settle()


async def reload_shown(env: Any, admin: Any, channel: Any) -> Any:
    """``/advisor reload`` run to the end: the message it ends with (preview or problems)."""
    result = await admin.slash(channel, "advisor reload")
    await gate_done(env)
    return result.response
