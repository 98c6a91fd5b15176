"""Text filters shared by the templates: escaping for each target, and sentence-aware trimming.

They are plain functions (no jinja2, no discord), so they can be tested and reused directly.
"""

from __future__ import annotations

import re

ZWSP = "\u200b"

# Discord markdown: these characters format text wherever they appear; ``>``, ``#``, ``-``
# and ``1.`` only at a line start. Brackets and parentheses mean something only in a masked
# link ``[text](url)`` (see :func:`_escape_links`): "Facility (MPF)" or "[draft]" stay as typed.
_DISCORD_ANYWHERE = re.compile(r"([\\*_~`|])")
_DISCORD_LINK_CLOSE = re.compile(r"\](?=\()")
_DISCORD_LINE_START = re.compile(r"(?m)^([ \t]*)([>#-]|\d+(?=[.)]\s))")
# ``@everyone`` / ``@here`` ping without any id; ``<@123>``, ``<@!123>``, ``<@&123>``, ``<#123>``,
# ``</cmd:1>``, ``<t:1>``, ``<:emoji:1>`` are parsed from ``<``.
_DISCORD_AT = re.compile(r"@(?=(?:everyone|here)\b)", re.IGNORECASE)
_DISCORD_ANGLE = re.compile(r"<(?=[@#/:]|[at]:)")

# CommonMark: backslash-escaping any ASCII punctuation is always allowed.
_MD_ANYWHERE = re.compile(r"([\\`*_\[\]<>|~])")
_MD_LINE_START = re.compile(r"(?m)^([ \t]*)([#+=-]|\d+(?=[.)](?:\s|$)))")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")

# C0/C1 control characters except tab and newline: an ANSI escape in a partner name must not
# recolour (or clear) someone's terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’)]*(?=\s)|\n")


def discord_escape(text: object) -> str:
    """Make ``text`` show literally in a Discord message: no formatting, no mentions, no links."""
    out = plain(text)
    out = _escape_links(_DISCORD_ANYWHERE.sub(r"\\\1", out))
    out = _DISCORD_LINE_START.sub(_escape_marker, out)
    if "@" in out:
        out = _DISCORD_AT.sub("@" + ZWSP, out)
    return _DISCORD_ANGLE.sub("<" + ZWSP, out) if "<" in out else out


def _escape_links(text: str) -> str:
    """Escape the brackets of anything that could be a masked link ``[text](url)``.

    A link opens at a ``[`` with a ``](`` somewhere after it; an escaped ``[`` cannot open one,
    so every ``[`` before the last ``](`` is escaped (and each ``](`` too, for the reader).
    """
    last = text.rfind("](")
    if last < 0:
        return text
    head = text[:last].replace("[", "\\[")
    return _DISCORD_LINK_CLOSE.sub(r"\\]", head + text[last:])


def md_escape(text: object) -> str:
    """Make ``text`` show literally in (GitHub-flavoured) Markdown."""
    out = plain(text)
    out = _MD_ANYWHERE.sub(r"\\\1", out)
    out = _MD_LINE_START.sub(_escape_marker, out)
    return _MD_ENTITY.sub(r"\\&", out)


def plain(text: object) -> str:
    """``text`` as a string without control characters (for a terminal)."""
    out = "" if text is None else str(text)
    # Printable text (most is: no line breaks either) has no control characters.
    return out if out.isprintable() else _CONTROL.sub("", out)


def _escape_marker(match: re.Match[str]) -> str:
    indent, marker = match.group(1), match.group(2)
    if marker.isdigit():
        # "1." -> "1\." : escape the punctuation after the number.
        return indent + marker + "\\"
    return indent + "\\" + marker


def truncate_sentence(text: object, n: int, more: str = "") -> str:
    """Trim ``text`` to at most ``n`` characters, preferably at the end of a sentence.

    Trimmed text ends with ``…`` and then ``more`` (a pointer to the rest, such as
    ``(more: `/guidance item:ID`)``) when given. Text that already fits is returned unchanged.
    """
    text = "" if text is None else str(text)
    if len(text) <= n:
        return text
    tail = f" {more}" if more else ""
    room = n - len(tail) - 2  # room for " …" or "…"
    if room < 1:
        return (text[: max(n - 1, 0)] + "…")[:n] if n > 0 else ""
    head = text[:room]
    cut = None
    # A sentence boundary in the last two thirds keeps the trimmed text meaningful.
    for match in _SENTENCE_END.finditer(head):
        if match.end() >= room // 3:
            cut = match.end()
    if cut is not None:
        piece = head[:cut].rstrip()
        result = f"{piece}{tail}" if piece.endswith("…") else f"{piece} …{tail}"
    else:
        space = head.rfind(" ")
        piece = head[:space] if space >= room // 2 else head
        piece = piece.rstrip(" ,;:-–—")
        # Never leave a dangling escape backslash in front of the ellipsis.
        trailing = len(piece) - len(piece.rstrip("\\"))
        if trailing % 2:
            piece = piece[:-1]
        result = f"{piece}…{tail}"
    return result[:n]


def first_sentences(text: object, count: int = 2, n: int = 320) -> str:
    """The first ``count`` sentences of ``text``, within ``n`` characters (trimmed at a
    sentence or word boundary beyond that): advice to read at a glance."""
    text = " ".join(("" if text is None else str(text)).split())
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    if len(ends) >= count:
        text = text[: ends[count - 1]].rstrip()
    return truncate_sentence(text, n)
