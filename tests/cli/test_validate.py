"""``pact-advisor validate`` reports every problem once and on its own, each with file:line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from cli_helpers import run

from pact_advisor.resources import guidance_dir

LOCATED = re.compile(r"^(?P<file>\S+\.yaml):(?P<line>\d+): ")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "guidance"
    shutil.copytree(guidance_dir(), target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(directory: Path) -> list[str]:
    code, out = run("validate", str(directory))
    assert code == 1
    *problems, summary = out.splitlines()
    assert (
        summary
        == f"FAILED: {len(problems)} problem{'s' if len(problems) > 1 else ''} in {directory}"
    )
    return problems


def test_a_missing_title_is_one_problem_not_seven(copy):
    _edit(
        copy / "diaspora.yaml",
        "    title: Five recommendations",
        "    summary_title: Five recommendations",
    )
    problems = _problems(copy)
    assert len(problems) == 2  # the missing title and the unknown key, nothing downstream
    assert all("diaspora.overview" in p for p in problems)
    assert not any("related: unknown item id" in p for p in problems)


def test_a_misspelt_key_is_one_problem_naming_the_field_meant(copy):
    _edit(
        copy / "diaspora.yaml", "    title: Five recommendations", "    titel: Five recommendations"
    )
    (problem,) = _problems(copy)
    assert problem.endswith("diaspora.overview: titel: unknown key (did you mean title?)")


def test_five_problems_planted_at_once_are_five_problems_each_with_file_and_line(copy):
    _edit(
        copy / "diaspora.yaml", "    title: Five recommendations", "    titel: Five recommendations"
    )
    _edit(
        copy / "diaspora.yaml", "{{ programme }} can link to them", "{{ country }} can link to them"
    )
    _edit(copy / "three-i.yaml", "related: [", "related: [three-i.nowhere, ")
    rules = copy / "rules.yaml"
    (answer,) = re.findall(r"^  answer: [0-9.]+$", rules.read_text(encoding="utf-8"), re.M)
    _edit(rules, answer, "  answer: 1.6")
    _edit(copy / "rules.yaml", "about: [diaspora]", "about: [diasporas]")
    problems = _problems(copy)
    assert len(problems) == 5, problems
    expected = ["titel", "{{ country }}", "three-i.nowhere", "thresholds.answer", "'diasporas'"]
    for needle in expected:
        assert sum(needle in p for p in problems) == 1, needle
    for problem in problems:
        assert LOCATED.match(problem), problem


def test_a_problem_in_rules_yaml_names_its_line(copy):
    _edit(copy / "rules.yaml", "about: [diaspora]", "about: [diasporas]")
    (problem,) = _problems(copy)
    found = LOCATED.match(problem)
    assert found and found["file"].endswith("rules.yaml")
    line = (copy / "rules.yaml").read_text(encoding="utf-8").splitlines()[int(found["line"]) - 1]
    assert "diasporas" in line


def test_a_yaml_error_names_its_line(copy):
    _edit(copy / "pact.yaml", "collection:", "collection: [unclosed")
    (problem,) = _problems(copy)
    assert LOCATED.match(problem) and "YAML error" in problem
