"""Markdown rendered for a terminal at a fixed width, for every item of the real guidance."""

from __future__ import annotations

import io

import pytest

from pact_advisor.render.console import console, render_markdown


@pytest.mark.parametrize("width", [40, 72, 100])
def test_every_item_card_fits_the_width_without_markup(renderer, guidance, width):
    target = console(io.StringIO(), width=width, color=False)
    for item_id in guidance.items:
        shown = render_markdown(renderer.render_item(item_id, target="markdown"), target)
        for line in shown.splitlines():
            assert len(line) <= width, (item_id, line)
            assert not line.startswith(("## ", "> ", "**")), (item_id, line)


def test_markdown_escapes_are_shown_as_the_characters_typed(renderer, guidance):
    target = console(io.StringIO(), width=80, color=False)
    text = render_markdown("**Q:** a \\*starred\\* \\_word\\_\n", target)
    assert text == "Q: a *starred* _word_\n"


def test_no_line_ends_in_padding(renderer, guidance):
    target = console(io.StringIO(), width=100, color=True)
    shown = render_markdown(renderer.render_topics("markdown"), target)
    assert all(not line.endswith(" ") for line in shown.splitlines())


def test_quote_and_citation_stay_on_separate_lines():
    target = console(io.StringIO(), width=80, color=False)
    shown = render_markdown("> “A quote”\n> — MPF · 2018\n", target)
    assert shown.splitlines() == ["▌ “A quote”", "▌ — MPF · 2018"]
