"""``pact-advisor curate add-example`` and ``validate --gate``: a question attached to its
item goes live only through the quality gate, and a failed gate leaves every file as it was.

Each edited copy of the guidance refits the engine once (a few seconds); the copies are
made once per module and the start-up cache serves every later load of the same content.
"""

from __future__ import annotations

import shutil

import pytest

from pact_advisor.app import Advisor
from pact_advisor.cli import main
from pact_advisor.resources import guidance_dir

#: Answered today with diaspora.umbrella-networks ("network"); it belongs to tools-technology.
APPS = "what software can a diaspora network use to run its activities?"
TOOLS = "diaspora.tools-technology"
NETWORKS = "diaspora.umbrella-networks"


@pytest.fixture(scope="module")
def curated(tmp_path_factory):
    """A copy of the guidance after `curate add-example` passed: (folder, exit, output)."""
    import io

    root = shutil.copytree(guidance_dir(), tmp_path_factory.mktemp("curated") / "guidance")
    out = io.StringIO()
    code = main(["--guidance", str(root), "curate", "add-example", TOOLS, APPS], stdout=out)
    return root, code, out.getvalue()


def test_curate_adds_the_question_and_it_is_then_answered_with_that_item(curated):
    root, code, out = curated
    assert code == 0, out
    assert f"Added to {TOOLS} (diaspora.yaml and regressions.yaml)" in out
    assert f"“{APPS}”: {NETWORKS} → {TOOLS}" in out  # the answer it changes
    assert "Gate passed (9 regressions," in out
    advisor = Advisor.load(root, eager=True)
    assert advisor.answer(APPS).item_id == TOOLS
    assert APPS in advisor.guidance.items[TOOLS].examples


def test_curate_keeps_the_files_comments_order_and_layout(curated):
    root, _code, _out = curated
    before = (guidance_dir() / "diaspora.yaml").read_text(encoding="utf-8").splitlines()
    after = (root / "diaspora.yaml").read_text(encoding="utf-8").splitlines()
    added = [line for line in after if line not in before]
    assert added == [f'      - "{APPS}"']
    assert [line for line in after if line != added[0]] == before  # nothing else moved
    regressions = (root / "regressions.yaml").read_text(encoding="utf-8")
    assert regressions.startswith("# Questions the guidance must keep answering")
    assert regressions.endswith(f'"{APPS}": {TOOLS}\n')


def test_a_curation_the_gate_refuses_is_undone_and_says_why(curated, tmp_path, capsys):
    root = shutil.copytree(curated[0], tmp_path / "guidance")
    # Pinned to tools-technology, and all but identical to the question now attached to
    # umbrella-networks: the gate sees that it would move and refuses.
    pinned = "what apps help diaspora associations to run their projects"
    with (root / "regressions.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f'"{pinned}": {TOOLS}\n')
    files = {p.name: p.read_bytes() for p in root.glob("*.yaml")}
    question = "what apps help diaspora associations to run their projects?"

    code = main(["--guidance", str(root), "curate", "add-example", NETWORKS, question])
    out = capsys.readouterr().out
    assert code == 1
    assert "Not added: the quality gate failed, and diaspora.yaml and regressions.yaml" in out
    assert f"regression: “{pinned}”: {TOOLS} → {NETWORKS} (must be {TOOLS})" in out
    assert {p.name: p.read_bytes() for p in root.glob("*.yaml")} == files


def test_curate_refuses_an_unknown_item_before_loading_anything(tmp_path, capsys):
    root = shutil.copytree(guidance_dir(), tmp_path / "guidance")
    code = main(["--guidance", str(root), "curate", "add-example", "diaspora.tools", APPS])
    assert code == 2
    out = capsys.readouterr().out
    assert (
        "unknown item 'diaspora.tools'" in out and "did you mean diaspora.tools-technology" in out
    )


def test_curate_refuses_a_question_pinned_to_another_item(curated, tmp_path, capsys):
    root = shutil.copytree(curated[0], tmp_path / "guidance")
    assert main(["--guidance", str(root), "curate", "add-example", NETWORKS, APPS]) == 2
    out = capsys.readouterr().out
    assert f"regressions.yaml expects that question to get {TOOLS}" in out


def test_validate_gate_passes_on_the_bundled_guidance(capsys):
    assert main(["validate", "--gate"]) == 0
    out = capsys.readouterr().out
    assert (
        "Gate passed (8 regressions, 274 test.yaml, 280 test-chat.yaml questions checked)." in out
    )


def test_validate_gate_fails_on_a_broken_regression(tmp_path, capsys):
    root = shutil.copytree(guidance_dir(), tmp_path / "guidance")
    with (root / "regressions.yaml").open("a", encoding="utf-8") as handle:
        handle.write('"what does the 3I approach say about ideas?": three-i.institutions\n')
    assert main(["validate", "--gate", str(root)]) == 1
    out = capsys.readouterr().out
    assert "GATE FAILED:" in out
    assert (
        "regression: “what does the 3I approach say about ideas?”: gets three-i.ideas "
        "(must be three-i.institutions)"
    ) in out
