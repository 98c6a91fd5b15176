"""Discord messages as plain data, and :func:`fit`, the one place Discord's limits are enforced.

No discord import: the Discord adapter turns an :class:`EmbedSpec` into a ``discord.Embed``
(``discord.Embed.from_dict(spec.to_dict())`` works).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from pact_advisor.render.filters import truncate_sentence

ZWSP = "\u200b"


@dataclass(frozen=True)
class Limits:
    """Discord's documented message and embed limits."""

    content: int = 2000
    title: int = 256
    description: int = 4096
    fields: int = 25
    field_name: int = 256
    field_value: int = 1024
    footer: int = 2048
    #: Title, description, field names and values and footer of all embeds of one message.
    total: int = 6000
    embeds: int = 10


LIMITS = Limits()


@dataclass(frozen=True)
class FieldSpec:
    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True)
class EmbedSpec:
    title: str = ""
    description: str = ""
    fields: tuple[FieldSpec, ...] = ()
    footer: str = ""
    url: str | None = None
    colour: int = 0x2B6CB0

    def total_chars(self) -> int:
        """The characters Discord counts towards the 6000 limit."""
        return (
            len(self.title)
            + len(self.description)
            + len(self.footer)
            + sum(len(f.name) + len(f.value) for f in self.fields)
        )

    def to_dict(self) -> dict[str, Any]:
        """The embed in Discord's JSON shape (empty parts left out)."""
        out: dict[str, Any] = {"type": "rich", "color": self.colour}
        if self.title:
            out["title"] = self.title
        if self.description:
            out["description"] = self.description
        if self.url:
            out["url"] = self.url
        if self.fields:
            out["fields"] = [
                {"name": f.name, "value": f.value, "inline": f.inline} for f in self.fields
            ]
        if self.footer:
            out["footer"] = {"text": self.footer}
        return out


@dataclass(frozen=True)
class DiscordMessage:
    content: str = ""
    embeds: tuple[EmbedSpec, ...] = field(default_factory=tuple)

    def total_chars(self) -> int:
        return sum(e.total_chars() for e in self.embeds)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _split_value(name: str, value: str, cont: str, limits: Limits) -> list[FieldSpec]:
    """A value over the field limit, split at line breaks into continuation fields."""
    lines = value.split("\n")
    chunks: list[str] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limits.field_value:
            current = candidate
            continue
        if current:
            chunks.append(current)
        current = line  # an over-long single line is trimmed below
    if current:
        chunks.append(current)
    names = [name] + [_one_line(f"{name} {cont}") for _ in chunks[1:]]
    return [FieldSpec(n, c) for n, c in zip(names, chunks, strict=True)]


def _fit_fields(embed: EmbedSpec, more: str, cont: str, limits: Limits) -> list[FieldSpec]:
    """Every field within the field limits: long values split or trimmed, at most
    ``limits.fields`` of them."""
    fields: list[FieldSpec] = []
    for f in embed.fields:
        name = truncate_sentence(_one_line(f.name), limits.field_name) or ZWSP
        value = f.value.strip() or ZWSP
        if len(value) > limits.field_value and "\n" in value:
            parts = _split_value(name, value, cont, limits)
        else:
            parts = [FieldSpec(name, value)]
        for part in parts:
            fields.append(
                FieldSpec(
                    truncate_sentence(part.name, limits.field_name),
                    truncate_sentence(part.value, limits.field_value, more),
                    f.inline,
                )
            )
    if len(fields) > limits.fields:
        fields = fields[: limits.fields]
        last = fields[-1]
        trimmed = truncate_sentence(last.value + "\n…", limits.field_value, more)
        fields[-1] = replace(last, value=trimmed)
    return fields


def _fit_embed(
    embed: EmbedSpec, budget: int, more: str, cont: str, limits: Limits
) -> EmbedSpec | None:
    title = truncate_sentence(_one_line(embed.title), limits.title)
    description = truncate_sentence(embed.description.strip(), limits.description, more)
    footer = truncate_sentence(_one_line(embed.footer), limits.footer)
    fields = _fit_fields(embed, more, cont, limits)

    fitted = EmbedSpec(title, description, tuple(fields), footer, embed.url, embed.colour)
    excess = fitted.total_chars() - budget
    if excess > 0 and len(description) > 200:
        description = truncate_sentence(description, max(200, len(description) - excess), more)
        fitted = replace(fitted, description=description)
        excess = fitted.total_chars() - budget
    while excess > 0 and fields:
        # Shorten the longest field, or drop the last when it is already short.
        longest = max(range(len(fields)), key=lambda i: len(fields[i].value))
        f = fields[longest]
        if len(f.value) > 120:
            fields[longest] = replace(
                f, value=truncate_sentence(f.value, max(100, len(f.value) - excess), more)
            )
        else:
            fields.pop()
        fitted = replace(fitted, fields=tuple(fields))
        excess = fitted.total_chars() - budget
    if excess > 0:
        footer = truncate_sentence(footer, max(0, len(footer) - excess))
        fitted = replace(fitted, footer=footer)
        excess = fitted.total_chars() - budget
    if excess > 0:
        description = truncate_sentence(description, max(0, len(description) - excess), more)
        fitted = replace(fitted, description=description)
        excess = fitted.total_chars() - budget
    if excess > 0:
        title = truncate_sentence(title, max(0, len(title) - excess))
        fitted = replace(fitted, title=title)
    if fitted.total_chars() > budget or not (fitted.title or fitted.description or fitted.fields):
        return None
    return fitted


def fit(
    message: DiscordMessage, more: str = "", cont: str = "(continued)", limits: Limits = LIMITS
) -> DiscordMessage:
    """``message`` within Discord's limits.

    Long text is trimmed at a sentence boundary and ends with ``more`` (a pointer to the rest);
    a long multi-line field value is split over continuation fields named ``<name> <cont>``.
    Empty field names and values become a zero-width space, which Discord accepts.
    """
    content = truncate_sentence(message.content.strip(), limits.content, more)
    embeds: list[EmbedSpec] = []
    used = 0
    for embed in message.embeds[: limits.embeds]:
        fitted = _fit_embed(embed, limits.total - used, more, cont, limits)
        if fitted is None:
            break
        embeds.append(fitted)
        used += fitted.total_chars()
    if not content.strip() and not embeds:
        content = "…"  # Discord refuses an empty message
    return DiscordMessage(content=content, embeds=tuple(embeds))


def check(message: DiscordMessage, limits: Limits = LIMITS) -> list[str]:
    """Every way ``message`` breaks Discord's limits (empty when it is fine)."""
    problems = []
    if len(message.content) > limits.content:
        problems.append(f"content {len(message.content)} > {limits.content}")
    if len(message.embeds) > limits.embeds:
        problems.append(f"{len(message.embeds)} embeds > {limits.embeds}")
    if not message.content and not message.embeds:
        problems.append("empty message")
    for i, e in enumerate(message.embeds):
        for part, size, limit in (
            ("title", len(e.title), limits.title),
            ("description", len(e.description), limits.description),
            ("footer", len(e.footer), limits.footer),
            ("fields", len(e.fields), limits.fields),
        ):
            if size > limit:
                problems.append(f"embed {i} {part} {size} > {limit}")
        for j, f in enumerate(e.fields):
            if not f.name or len(f.name) > limits.field_name:
                problems.append(f"embed {i} field {j} name length {len(f.name)}")
            if not f.value or len(f.value) > limits.field_value:
                problems.append(f"embed {i} field {j} value length {len(f.value)}")
    if message.total_chars() > limits.total:
        problems.append(f"total {message.total_chars()} > {limits.total}")
    return problems
