"""The text filters: escaping for Discord and Markdown, control characters, and sentence-aware trimming."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pact_advisor.render import discord_escape, md_escape, plain, truncate_sentence


def test_discord_escape_neutralises_mentions_and_markdown():
    out = discord_escape(
        "@everyone @here <@123> <@!5> <@&45> <#67> **b** _i_ ~~s~~ `c` ||sp|| [l](u) a\\b"
    )
    assert "@everyone" not in out and "@here" not in out
    assert not re.search(r"<[@#]", out)
    assert "@\u200beveryone" in out and "<\u200b@123>" in out and "<\u200b#67>" in out
    assert r"\*\*b\*\*" in out and r"\_i\_" in out and r"\~\~s\~\~" in out
    assert r"\`c\`" in out and r"\|\|sp\|\|" in out and r"a\\b" in out
    assert r"\[l\](u)" in out  # an escaped "[" cannot open a masked link


def test_discord_escape_leaves_brackets_and_parentheses_that_are_not_links():
    assert discord_escape("Mobility Partnership Facility (MPF)") == (
        "Mobility Partnership Facility (MPF)"
    )
    assert discord_escape("[draft] ready (v2)") == "[draft] ready (v2)"
    assert discord_escape("see [a] and [b](https://x.test) (c)") == (
        r"see \[a] and \[b\](https://x.test) (c)"
    )


def test_discord_escape_handles_line_start_markers():
    out = discord_escape("# heading\n> quote\n- item\n1. first\n-# small\nwell-known a > b #1")
    assert out.splitlines() == [
        r"\# heading",
        r"\> quote",
        r"\- item",
        r"1\. first",
        r"\-# small",
        "well-known a > b #1",
    ]


def test_md_escape_and_plain():
    assert md_escape("**x** <b> # h") == r"\*\*x\*\* \<b\> # h"
    assert md_escape("# h\n- i") == "\\# h\n\\- i"
    assert plain("red\x1b[31m text\x07\nnext") == "red[31m text\nnext"


@given(st.text())
@settings(max_examples=300)
def test_no_mention_survives_discord_escape(text):
    out = discord_escape(text)
    assert not re.search(r"@(everyone|here)", out, re.IGNORECASE)
    assert not re.search(r"<[@#]", out)


def test_truncate_sentence_cuts_at_a_sentence():
    text = "One two three. Four five six. Seven eight nine."
    assert truncate_sentence(text, 100) == text
    assert truncate_sentence(text, 35) == "One two three. Four five six. …"
    assert truncate_sentence(text, 45, "(more)") == "One two three. Four five six. … (more)"
    assert truncate_sentence(text, 30, "(more)") == "One two three. … (more)"


def test_truncate_sentence_falls_back_to_a_word():
    assert truncate_sentence("alpha beta gamma delta epsilon", 20) == "alpha beta gamma…"


@given(st.text(), st.integers(min_value=0, max_value=300), st.sampled_from(["", "(more: `/x`)"]))
def test_truncate_sentence_never_exceeds_the_limit(text, n, more):
    out = truncate_sentence(text, n, more)
    assert len(out) <= max(n, 0)
    if len(text) <= n:
        assert out == text
