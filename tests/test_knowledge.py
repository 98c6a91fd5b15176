"""The guidance loader: the bundled guidance is valid, and each kind of mistake is reported
with its file, line and field."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import jinja2
import pytest

from pact_advisor.cli import main
from pact_advisor.knowledge import GuidanceError, load_guidance
from pact_advisor.knowledge.models import CONTEXT_SLOTS
from pact_advisor.resources import guidance_dir

COLLECTIONS = {
    "pact",
    "success-factors",
    "talent-partnerships",
    "capacity-building",
    "diaspora",
    "three-i",
    "programmes",
}
SOURCE = "icmpd-global-initiatives-pact"
STRAIGHT = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})

RULES = """\
thresholds: {answer: 0.5, ambiguous_ratio: 0.85}
cues: {question: ['[?]']}
intents: []
"""

ITEM = """\
  - id: diaspora.umbrella
    title: Invest in umbrella organisations
    quote: Invest in umbrella organisations, platforms and networks
    source: {programme: EUDiF}
    summary: Fund the bodies that bring diaspora groups together.
    advice: Map the diaspora networks active between {{ partner }} and the EU.
    checklist:
      - List the umbrella bodies.
      - Agree a funding line for them.
    keywords: [umbrella body, federation]
    examples: [q1, q2, q3, q4]
    related: [diaspora.tools]
"""

ADVICE = "Map the diaspora networks active between {{ partner }} and the EU."

TOOLS = """\
  - id: diaspora.tools
    title: Provide diaspora with tools
    quote: Provide diaspora with tools, including technologies, to optimise their activities
    source: {programme: EUDiF}
    summary: Give diaspora groups practical tools.
    advice: Ask which tools would help diaspora groups in {{ sector }}.
    checklist:
      - Survey the tools in use.
      - Budget for the gaps.
    keywords: [digital tools]
    examples: [q5, q6, q7, q8]
    related: [diaspora.umbrella]
"""


def write_guidance(root: Path, item: str = ITEM, extra: str = TOOLS) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "rules.yaml").write_text(RULES)
    (root / "diaspora.yaml").write_text(
        "collection:\n  id: diaspora\n  title: Diaspora\n  description: D.\n  programme: EUDiF\n"
        "items:\n" + item + extra
    )
    return root


def problems(root: Path) -> list[str]:
    with pytest.raises(GuidanceError) as caught:
        load_guidance(root)
    return [str(p) for p in caught.value.problems]


# -- the bundled guidance --------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled():
    return load_guidance(guidance_dir())


def test_bundled_guidance_covers_the_seven_collections(bundled):
    assert set(bundled.collections) == COLLECTIONS
    assert len(bundled.items) >= 30
    assert all(bundled.items_in(c) for c in COLLECTIONS)


def test_every_item_has_every_field_filled(bundled):
    for item in bundled.items.values():
        assert item.title and item.quote and item.summary and item.advice, item.id
        assert item.source.programme, item.id
        assert 2 <= len(item.checklist) <= 5, item.id
        assert len(item.examples) >= 4, item.id
        assert item.keywords and item.related, item.id


def test_overview_items_exist_for_every_list(bundled):
    for collection in (
        "success-factors",
        "talent-partnerships",
        "capacity-building",
        "diaspora",
        "three-i",
    ):
        assert f"{collection}.overview" in bundled.items


def test_list_sizes_match_the_source(bundled):
    # five success factors, six Talent Partnership aspects, four MIEUX+ lessons,
    # five EUDiF recommendations, three Is: each as its own item beside the overview
    expected = {
        "success-factors": 5,
        "talent-partnerships": 6,
        "capacity-building": 4,
        "diaspora": 5,
        "three-i": 3,
    }
    overview_quotes = {c: bundled.items[f"{c}.overview"].quote for c in expected}
    for collection, size in expected.items():
        points = [
            it
            for it in bundled.items_in(collection)
            if it.id != f"{collection}.overview" and it.quote in overview_quotes[collection]
        ]
        assert len(points) == size, (collection, [p.id for p in points])


def test_every_quote_is_verbatim_from_the_bundled_source(bundled):
    assert set(bundled.sources) == {SOURCE}
    text = (guidance_dir() / "sources" / f"{SOURCE}.txt").read_text(encoding="utf-8")
    # verbatim apart from whitespace and curly quotes (the loader's rule), checked here
    # independently of the loader
    flat = " ".join(text.translate(STRAIGHT).split())
    for item in bundled.items.values():
        assert item.source.document == SOURCE, item.id
        for passage in item.quote_passages:
            assert " ".join(passage.translate(STRAIGHT).split()) in flat, (item.id, passage)


def test_context_slots_are_the_documented_three():
    assert CONTEXT_SLOTS == ("partner", "sector", "programme")


# -- each kind of error ----------------------------------------------------------------


def test_a_valid_fixture_loads(tmp_path):
    guidance = load_guidance(write_guidance(tmp_path))
    assert list(guidance.items) == ["diaspora.umbrella", "diaspora.tools"]


def test_short_checklist_names_file_line_item_and_field(tmp_path):
    item = ITEM.replace("      - Agree a funding line for them.\n", "")
    root = write_guidance(tmp_path / "guidance", item)
    found = problems(root)
    assert len(found) == 1
    assert re.fullmatch(
        r".*diaspora\.yaml:13: diaspora\.umbrella: checklist: at least 2 steps required", found[0]
    )


def test_yaml_syntax_error_is_reported_with_its_line(tmp_path):
    root = write_guidance(tmp_path, ITEM.replace("title: Invest", "title: [Invest"))
    (message,) = problems(root)
    assert "diaspora.yaml:" in message and "YAML error" in message


def test_duplicate_ids_are_reported(tmp_path):
    root = write_guidance(tmp_path, ITEM, ITEM.replace("related: [diaspora.tools]", "related: []"))
    found = problems(root)
    assert any("diaspora.umbrella: id: duplicate id (first in" in p for p in found)


def test_dangling_related_id_is_reported(tmp_path):
    root = write_guidance(
        tmp_path, ITEM.replace("related: [diaspora.tools]", "related: [diaspora.nowhere]")
    )
    (message,) = problems(root)
    assert message.endswith("diaspora.umbrella: related: unknown item id 'diaspora.nowhere'")
    assert "diaspora.yaml:18:" in message


def test_empty_quote_is_reported(tmp_path):
    root = write_guidance(
        tmp_path,
        ITEM.replace(
            "quote: Invest in umbrella organisations, platforms and networks", 'quote: "  "'
        ),
    )
    (message,) = problems(root)
    assert "diaspora.umbrella: quote:" in message and "at least 1 character" in message


def test_unknown_context_slot_is_reported(tmp_path):
    root = write_guidance(tmp_path, ITEM.replace("{{ partner }}", "{{ partner_country }}"))
    (message,) = problems(root)
    assert "diaspora.umbrella: advice: unknown context slot {{ partner_country }}" in message
    assert "diaspora.yaml:12:" in message


def test_unknown_key_is_reported(tmp_path):
    root = write_guidance(
        tmp_path, ITEM.replace("    keywords:", "    colour: blue\n    keywords:")
    )
    (message,) = problems(root)
    assert message.endswith("diaspora.umbrella: colour: unknown key")


def test_unsafe_yaml_tag_is_rejected(tmp_path):
    root = write_guidance(tmp_path)
    (root / "glossary.yaml").write_text(
        "abbreviations: !!python/object/apply:os.system ['echo hi']\n"
    )
    (message,) = problems(root)
    assert "glossary.yaml:1" in message and "unsafe or unknown YAML tag" in message


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    item = ITEM.replace("{{ partner }}", "{{ nation }}").replace(
        "related: [diaspora.tools]", "related: [x.y]"
    )
    root = write_guidance(tmp_path, item)
    found = problems(root)
    assert len(found) == 2


def test_missing_folder_is_a_clear_problem(tmp_path):
    (message,) = problems(tmp_path / "absent")
    assert message.endswith("guidance folder not found")


# -- the validate command --------------------------------------------------------------


def test_validate_prints_ok_with_counts(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: ")
    for collection in COLLECTIONS:
        assert re.search(rf"^  {re.escape(collection)}\s+\d+$", out, re.MULTILINE)


def test_validate_prints_every_error_and_exits_1(tmp_path, capsys):
    item = ITEM.replace("{{ partner }}", "{{ nation }}").replace(
        "related: [diaspora.tools]", "related: [x.y]"
    )
    root = write_guidance(tmp_path / "g", item)
    assert main(["validate", str(root)]) == 1
    out = capsys.readouterr().out
    assert "unknown context slot {{ nation }}" in out
    assert "unknown item id 'x.y'" in out
    assert "FAILED: 2 problems" in out
    assert "Traceback" not in out


def test_ask_with_broken_guidance_is_a_message_not_a_traceback(tmp_path, capsys):
    assert (
        main(["--guidance", str(tmp_path / "absent"), "ask", "what are the success factors"]) == 1
    )
    err = capsys.readouterr().err
    assert "guidance folder not found" in err and "Traceback" not in err


def test_guidance_env_variable_points_at_another_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PACT_ADVISOR_GUIDANCE", str(write_guidance(tmp_path / "team")))
    assert main(["validate"]) == 0
    assert "OK: 2 items in 1 collections" in capsys.readouterr().out


def test_fixture_texts_are_dedented_yaml():
    assert textwrap.dedent(ITEM) != ITEM  # items are nested under `items:`


# -- hostile guidance files: each a clear problem naming the file, found quickly --------------

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@pytest.fixture
def hostile_copy(tmp_path):
    import shutil

    return shutil.copytree(guidance_dir(), tmp_path / "guidance")


def _validate_output(root, capsys) -> str:
    import time

    started = time.perf_counter()
    assert main(["validate", str(root)]) == 1
    assert time.perf_counter() - started < 10
    out = capsys.readouterr().out
    assert "Traceback" not in out
    return out


def test_a_billion_laughs_file_is_refused_without_expanding(hostile_copy, capsys):
    (hostile_copy / "laughs.yaml").write_text(BILLION_LAUGHS)
    out = _validate_output(hostile_copy, capsys)
    assert "laughs.yaml:2: YAML aliases (*a) are not allowed" in out


def test_a_self_referencing_alias_is_refused(hostile_copy, capsys):
    (hostile_copy / "loop.yaml").write_text("collection: &x [*x]\n")
    assert "loop.yaml:1: YAML aliases (*x) are not allowed" in _validate_output(
        hostile_copy, capsys
    )


def test_deep_nesting_is_refused(hostile_copy, capsys):
    (hostile_copy / "deep.yaml").write_text("collection: " + "[" * 500 + "]" * 500 + "\n")
    assert "deep.yaml:1: nesting deeper than 32 levels" in _validate_output(hostile_copy, capsys)


def test_a_file_far_larger_than_real_guidance_is_refused(hostile_copy, capsys):
    (hostile_copy / "huge.yaml").write_text("# padding\n" * 200_000)
    assert "huge.yaml: file too large" in _validate_output(hostile_copy, capsys)


def test_a_symlink_out_of_the_guidance_folder_is_refused(hostile_copy, tmp_path, capsys):
    outside = tmp_path / "secret.yaml"
    outside.write_text((hostile_copy / "pact.yaml").read_text().replace("pact", "leak"))
    (hostile_copy / "leak.yaml").symlink_to(outside)
    assert "leak.yaml: symbolic link pointing outside the guidance folder" in _validate_output(
        hostile_copy, capsys
    )


def test_non_utf8_bytes_are_a_problem_with_their_line(hostile_copy, capsys):
    path = hostile_copy / "pact.yaml"
    path.write_bytes(b"# fine\n# still fine\ntitle: caf\xe9\n" + path.read_bytes())
    assert "pact.yaml:3: not UTF-8 text (byte 0xe9)" in _validate_output(hostile_copy, capsys)


def test_a_fifo_named_like_guidance_does_not_block(hostile_copy, capsys):
    import os

    os.mkfifo(hostile_copy / "pipe.yaml")
    assert "pipe.yaml: not a regular file" in _validate_output(hostile_copy, capsys)


@pytest.mark.parametrize(
    ("advice", "slot"),
    [
        ("Map networks in {{ nation }}.", "nation"),  # a plain slot, read without parsing
        ("Map networks {{ nation.de }}.", "nation"),
        ("Map {%- if nation %} networks{% endif %}.", "nation"),  # parsed
        ("Map networks in {{- nation | upper }}.", "nation"),
    ],
)
def test_unknown_slots_are_found_with_or_without_other_template_syntax(tmp_path, advice, slot):
    root = write_guidance(tmp_path, ITEM.replace(ADVICE, json.dumps(advice)))
    (message,) = problems(root)
    assert f"diaspora.umbrella: advice: unknown context slot {{{{ {slot} }}}}" in message


def test_only_texts_with_more_than_plain_slots_are_parsed_each_once(tmp_path, monkeypatch):
    parsed: list[str] = []
    original = jinja2.Environment.parse

    def counting(self, source, *args, **kwargs):
        parsed.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "parse", counting)
    looping = "{% for x in [1] %}{{ partner }}{% endfor %}"
    item = ITEM.replace(ADVICE, json.dumps(looping)).replace(
        "      - List the umbrella bodies.\n", f"      - {json.dumps(looping)}\n"
    )
    load_guidance(write_guidance(tmp_path, item))
    assert parsed.count(looping) <= 1
    assert [text for text in parsed if text != looping] == []  # plain slots: never parsed
    with pytest.raises(GuidanceError, match="advice: template error: Unexpected end of template"):
        load_guidance(write_guidance(tmp_path / "bad", ITEM.replace(ADVICE, '"{% if x %}"')))


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: [1, 2.5, null, true, 2001-12-14, '3']\n7: seven\n",
        "<<: {a: 1}\nb: 2\n",
        "a: !!set {x, y}\nb: !!str 12\n",
        "- a\n- b: c\n  d: [e, {f: g}]\n  h: |\n    kept\n",
        "",
    ],
)
def test_yaml_is_read_as_the_safe_loader_reads_it(text):
    """Typed scalars, merge keys and tagged collections come out as ``yaml.safe_load`` gives
    them, and every key and list entry has its line."""
    import yaml

    from pact_advisor.knowledge.yaml_lines import read_yaml

    data, lines = read_yaml(text)
    assert data == yaml.safe_load(text)
    if data:
        assert lines[()] == 1 and all(line >= 1 for line in lines.values())


def test_yaml_lines_name_each_key_and_entry():
    from pact_advisor.knowledge.yaml_lines import read_yaml

    data, lines = read_yaml("items:\n  - id: a\n    title: A\n  - id: b\n")
    assert data == {"items": [{"id": "a", "title": "A"}, {"id": "b"}]}
    assert lines[("items",)] == 1
    assert lines[("items", 1)] == 4 and lines[("items", 0, "title")] == 3


def test_a_duplicate_key_names_both_lines():
    from pact_advisor.knowledge.yaml_lines import YamlProblem, read_yaml

    with pytest.raises(YamlProblem, match=r"duplicate key 'a' \(first on line 1\)") as raised:
        read_yaml("a: 1\nb: 2\na: 3\n")
    assert raised.value.line == 3
