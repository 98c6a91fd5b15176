"""The Markdown a template renders, shown in a terminal: headings, bold, quotes and lists
rendered, wrapped at word boundaries to the terminal's width, coloured unless ``NO_COLOR``.

Rendering is rich's (imported only when something is shown in a terminal, so piped output and
JSON never load it). The templates stay the one source of wording: this module only changes
how their Markdown looks.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console

#: A template's quote lines are separate lines (the quote, then its citation).
_QUOTE_RUN = re.compile(r"^(>[^\n]*)\n(?=>)", re.MULTILINE)
#: rich pads every line to the width; a terminal needs none of that.
_PADDING = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)


def console(
    file: TextIO, *, width: int | None = None, color: bool | None = None, terminal: bool = True
) -> Console:
    """A rich console writing to ``file``.

    ``width`` defaults to the terminal's; ``color`` ``None`` follows the terminal and
    ``NO_COLOR``; ``terminal`` says to use the terminal's styles even when ``file`` is not
    a terminal (tests, a pager).
    """
    from rich.console import Console

    return Console(
        file=file,
        width=width,
        force_terminal=terminal or None,
        no_color=None if color is None else not color,
        color_system="auto" if color is not False else None,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )


def _hard_breaks(markdown: str) -> str:
    """Keep each line of a block quote on a line of its own (Markdown would join them)."""
    return _QUOTE_RUN.sub(lambda m: m.group(1) + "  \n", markdown)


def render_markdown(markdown: str, target: Console) -> str:
    """``markdown`` as the terminal shows it on ``target``, without trailing padding."""
    from rich.markdown import Markdown

    with target.capture() as captured:
        target.print(Markdown(_hard_breaks(markdown), hyperlinks=False))
    return _PADDING.sub(r"\1", captured.get()).strip("\n") + "\n"


def print_markdown(markdown: str, file: TextIO, *, width: int | None = None) -> None:
    """Render ``markdown`` for the terminal ``file`` is attached to, and write it there."""
    file.write(render_markdown(markdown, console(file, width=width)))
    file.flush()
