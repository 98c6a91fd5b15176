"""What ``ask``, ``show``, ``topics`` and ``checklist`` print: rendered and wrapped in a
terminal, plain Markdown when piped or with ``--format md``, JSON with ``--format json``."""

from __future__ import annotations

import json
import re

import pytest
from cli_helpers import run

QUESTION = "how do we keep employers on board in a talent partnership with Morocco?"
#: Select Graphic Rendition codes that set a colour (foreground or background).
COLOUR = re.compile(rb"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m")


def _words(text: str) -> set[str]:
    return set(re.sub(r"[*`>#▌•]", "", text).split())


def test_an_answer_in_a_terminal_is_rendered_and_wrapped_at_word_boundaries(terminal):
    shown = terminal("ask", QUESTION, columns=100)
    assert shown.wait_for_exit() == 0
    text = shown.text()
    lines = [line for line in text.splitlines() if line]
    assert max(len(line) for line in lines) <= 100
    assert len(lines) > 15  # wrapped: the piped answer has long single lines
    assert "**" not in text and "## " not in text and "`" not in text
    assert f"Q: {QUESTION}" in text
    assert "Bridge the public and private sectors" in lines
    assert any(line.startswith("▌ “Bridging the gap") for line in lines)
    assert any(line.startswith("▌ — MPF") for line in lines)  # the citation on its own line
    _, piped = run("ask", QUESTION)
    assert _words(text) <= _words(piped)  # no word broken in two


@pytest.mark.parametrize("columns", [60, 120])
def test_a_checklist_in_a_terminal_fits_its_width(terminal, columns):
    shown = terminal("checklist", "readiness", "--partner", "Morocco", columns=columns)
    assert shown.wait_for_exit() == 0
    text = shown.text()
    assert "Checklist: Partnership readiness review" in text and "# Checklist" not in text
    assert "Identify the employers and business actors" in text
    assert max(len(line) for line in text.splitlines()) <= columns


def test_topics_and_show_in_a_terminal_are_rendered(terminal):
    topics = terminal("topics")
    assert topics.wait_for_exit() == 0
    assert "What the guidance covers" in topics.text() and "## " not in topics.text()
    item = terminal("show", "diaspora.umbrella-networks")
    assert item.wait_for_exit() == 0
    assert "Invest in umbrella organisations, platforms and networks" in item.text()
    assert "**" not in item.text()


def test_colour_in_a_terminal_unless_no_color(terminal):
    coloured = terminal("show", "diaspora.umbrella-networks")
    assert coloured.wait_for_exit() == 0
    assert COLOUR.search(coloured.raw)
    plain = terminal("show", "diaspora.umbrella-networks", env={"NO_COLOR": "1"})
    assert plain.wait_for_exit() == 0
    assert not COLOUR.search(plain.raw)
    assert "Invest in umbrella organisations" in plain.text()


def test_format_md_in_a_terminal_prints_the_markdown(terminal):
    shown = terminal("ask", "--format", "md", QUESTION)
    assert shown.wait_for_exit() == 0
    assert f"**Q:** {QUESTION}" in shown.text()
    assert "## Bridge the public and private sectors" in shown.text()


def test_piped_output_is_plain_as_before():
    code, out = run("ask", QUESTION)
    assert code == 0
    assert out.startswith(f"**Q:** {QUESTION}\n\n## Bridge the public and private sectors\n")
    assert "\x1b[" not in out


@pytest.mark.parametrize(
    ("argv", "key"),
    [
        (["ask", "--format", "json", QUESTION], "matches"),
        (["show", "diaspora.umbrella-networks", "--format", "json"], "advice"),
        (["topics", "--format", "json"], "collections"),
        (["checklist", "diaspora", "--format", "json"], "steps"),
    ],
)
def test_format_json_on_every_command_that_shows_guidance(argv, key):
    code, out = run(*argv)
    assert code == 0
    assert key in json.loads(out)


def test_show_json_fills_the_context():
    _, out = run("show", "diaspora.umbrella-networks", "--partner", "Morocco", "--format", "json")
    item = json.loads(out)
    assert item["id"] == "diaspora.umbrella-networks" and item["context"] == {"partner": "Morocco"}
    assert "Morocco" in item["advice"]
    assert len(item["checklist"]) >= 2 and "year_shown" not in item["source"]


def test_format_md_checklist_is_a_task_list_and_text_is_numbered():
    _, md = run("checklist", "diaspora", "--format", "md")
    _, text = run("checklist", "diaspora", "--format", "text")
    assert md.startswith("# Checklist: Diaspora engagement") and "- [ ] " in md
    assert text.startswith("CHECKLIST: Diaspora engagement") and "[ ] 1. " in text
