"""The admin commands' plain logic: the report's first day and reload problems in words."""

from __future__ import annotations

from datetime import UTC, datetime

import jinja2
import pytest

from pact_advisor.discord_bot.admin.parsing import describe_problem, parse_since, template_problem
from pact_advisor.knowledge import Problem

NOW = datetime(2026, 3, 15, 17, 30, tzinfo=UTC)


def test_no_date_means_midnight_thirty_days_ago():
    assert parse_since(None, NOW) == datetime(2026, 2, 13, tzinfo=UTC)
    assert parse_since("  ", NOW) == datetime(2026, 2, 13, tzinfo=UTC)


def test_a_date_is_midnight_utc():
    assert parse_since(" 2026-01-02 ", NOW) == datetime(2026, 1, 2, tzinfo=UTC)


@pytest.mark.parametrize("text", ["yesterday", "02/01/2026", "2026-13-01"])
def test_anything_else_is_a_value_error(text):
    with pytest.raises(ValueError):
        parse_since(text, NOW)


def test_a_problem_names_its_file_inside_the_guidance_folder(tmp_path):
    file = tmp_path / "collections" / "diaspora.yaml"
    problem = Problem(str(file), 4, "diaspora.overview", f"see {tmp_path}/collections/x.yaml")
    assert describe_problem(problem, tmp_path) == (
        "collections/diaspora.yaml:4: diaspora.overview: see collections/x.yaml"
    )


def test_a_template_problem_names_file_and_line():
    error = jinja2.TemplateSyntaxError("unexpected '}'", 7, filename="/x/messages.discord.j2")
    assert template_problem(error).startswith(
        "messages.discord.j2:7: TemplateSyntaxError: unexpected '}'"
    )
