"""Source documents beside the guidance: every quote checked against its document on load,
coverage of each document's passages, and review dates."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from pact_advisor.cli import main
from pact_advisor.knowledge import GuidanceError, load_guidance
from pact_advisor.knowledge.coverage import coverage
from pact_advisor.knowledge.review import due_for_review
from pact_advisor.resources import guidance_dir

RULES = "thresholds: {answer: 0.5, ambiguous_ratio: 0.85}\ncues: {question: ['[?]']}\n"

DOCUMENT = """\
Diaspora lessons

The EU should:

  • Invest in umbrella organisations, platforms and networks
  • Provide diaspora with tools, including technologies, to optimise their activities

Diaspora organisations are “closer allies” of governments. They deserve support.
"""

ITEM = """\
  - id: diaspora.{slug}
    title: {title}
    quote: {quote}
    source: {{programme: EUDiF, document: {document}}}
    summary: S.
    advice: Map the diaspora networks active between {{{{ partner }}}} and the EU.
    checklist: [List them., Fund them.]
    keywords: [k]
    examples: [q1, q2, q3, q4]
{extra}"""


def item(slug: str, quote: str, document: str = "eudif-notes", extra: str = "") -> str:
    return ITEM.format(slug=slug, title=slug.title(), quote=quote, document=document, extra=extra)


UMBRELLA = item("umbrella", "Invest in umbrella organisations, platforms and networks")
TOOLS = item(
    "tools",
    "Provide diaspora with tools, including technologies, to optimise their activities",
)


def write(root: Path, *items: str, document: str = DOCUMENT, meta: str | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "rules.yaml").write_text(RULES)
    (root / "diaspora.yaml").write_text(
        "collection: {id: diaspora, title: D, description: D., programme: EUDiF}\n"
        "# the items, one per recommendation\nitems:\n" + "".join(items)
    )
    sources = root / "sources"
    sources.mkdir(exist_ok=True)
    (sources / "eudif-notes.txt").write_text(document)
    (sources / "eudif-notes.yaml").write_text(
        meta or "id: eudif-notes\ntitle: Diaspora lessons\npublisher: EUDiF\n"
    )
    return root


def problems(root: Path) -> list[str]:
    with pytest.raises(GuidanceError) as caught:
        load_guidance(root)
    return [str(p) for p in caught.value.problems]


def test_a_quote_changed_by_one_word_names_file_line_item_document_and_closest_passage(
    tmp_path,
):
    drifted = item("umbrella", "Invest in umbrella organisations, platforms and communities")
    (found,) = problems(write(tmp_path, drifted, TOOLS))
    assert re.match(
        r".*diaspora\.yaml:6: diaspora\.umbrella: quote: not found in eudif-notes", found
    )
    assert "closest passage: “Invest in umbrella organisations, platforms and networks”" in found


def test_validate_reports_the_drifted_quote_and_fails(tmp_path, capsys):
    drifted = item("tools", "Provide diaspora with gadgets, including technologies")
    root = write(tmp_path / "g", UMBRELLA, drifted)
    assert main(["validate", str(root)]) == 1
    out = capsys.readouterr().out
    assert "diaspora.yaml:" in out and "diaspora.tools: quote: not found in eudif-notes" in out
    assert "closest passage: “Provide diaspora with tools, including technologies" in out


def test_each_passage_of_a_joined_quote_is_checked_on_its_own(tmp_path):
    joined = "Invest in umbrella organisations … Provide diaspora with tools … They deserve money."
    (found,) = problems(write(tmp_path, item("umbrella", joined), TOOLS))
    assert "not found in eudif-notes: “They deserve money.”" in found
    assert "closest passage: “They deserve support.”" in found


def test_whitespace_and_typographic_quotes_do_not_count_as_drift(tmp_path):
    straight = item("allies", "'Diaspora organisations are \"closer   allies\" of governments.'")
    guidance = load_guidance(write(tmp_path, UMBRELLA, straight))
    assert set(guidance.items) == {"diaspora.umbrella", "diaspora.allies"}


def test_a_new_source_document_with_items_quoting_it_loads(tmp_path):
    root = write(tmp_path, UMBRELLA, item("mpf", "MPF finances partnerships.", "mpf-note"))
    (root / "sources" / "mpf-note.txt").write_text("A note.\n\nMPF finances partnerships.\n")
    (root / "sources" / "mpf-note.yaml").write_text(
        "id: mpf-note\ntitle: A note on MPF\ndate: 2021-03-01\nurl: https://example.org/mpf\n"
    )
    guidance = load_guidance(root)
    assert set(guidance.sources) == {"eudif-notes", "mpf-note"}
    assert guidance.sources["mpf-note"].info.date == dt.date(2021, 3, 1)
    assert guidance.items["diaspora.mpf"].source.document == "mpf-note"


def test_an_unknown_document_and_a_missing_citation_are_problems(tmp_path):
    unknown = item("umbrella", "Invest in umbrella organisations", "eudif-note")
    uncited = TOOLS.replace(", document: eudif-notes", "")
    found = problems(write(tmp_path, unknown, uncited))
    assert any(
        "diaspora.umbrella: source.document: unknown document 'eudif-note'" in p for p in found
    )
    assert any(
        "diaspora.tools: source.document: required (one of: eudif-notes)" in p for p in found
    )


def test_source_metadata_is_validated_with_its_file_and_line(tmp_path):
    root = write(tmp_path, UMBRELLA, TOOLS, meta="id: eudif-notes\ntitle: D\ncolour: red\n")
    (found,) = problems(root)
    assert re.search(r"sources/eudif-notes\.yaml:3: eudif-notes: colour: unknown key", found)


def test_the_bundled_source_has_metadata_from_the_document_only():
    guidance = load_guidance(guidance_dir())
    (document,) = guidance.sources.values()
    assert document.info.title.startswith("Lessons learnt from ICMPD Global Initiatives")
    # The document names no publisher, date or address: none is made up.
    assert (document.info.publisher, document.info.date, document.info.url) == (None,) * 3


# -- coverage ----------------------------------------------------------------------------------


def test_coverage_lists_a_passage_once_the_item_quoting_it_is_removed(tmp_path, capsys):
    root = write(tmp_path / "g", UMBRELLA, TOOLS)
    assert main(["coverage", str(root), "--min", "100"]) == 1  # the last paragraph is unquoted
    out = capsys.readouterr().out
    assert "eudif-notes: 40.0% covered (2 of 5 passages, 2 items)" in out
    assert "Invest in umbrella" not in out

    write(root, TOOLS)
    assert main(["coverage", str(root)]) == 0  # without --min, a listing only
    out = capsys.readouterr().out
    assert "eudif-notes: 20.0% covered (1 of 5 passages, 1 items)" in out
    assert re.search(r"eudif-notes\.txt:5: Invest in umbrella organisations, platforms", out)
    assert main(["coverage", str(root), "--min", "20"]) == 0


def test_a_fragment_of_a_sentence_does_not_cover_it(tmp_path):
    fragment = item("allies", "closer allies")
    guidance = load_guidance(write(tmp_path, UMBRELLA, TOOLS, fragment))
    (found,) = coverage(guidance)
    uncovered = [p.text for p in found.uncovered]
    assert 'Diaspora organisations are "closer allies" of governments.' in uncovered


def test_the_bundled_guidance_covers_its_whole_source(capsys):
    assert main(["coverage", "--min", "100"]) == 0
    out = capsys.readouterr().out
    assert "icmpd-global-initiatives-pact: 100.0% covered" in out


# -- review dates ----------------------------------------------------------------------------


def test_an_overdue_review_date_warns_but_does_not_fail(tmp_path, capsys):
    overdue = UMBRELLA + "    reviewed: 2020-01-15\n    review_by: 2021-01-15\n"
    fresh = TOOLS + f"    reviewed: {dt.date.today().isoformat()}\n"
    root = write(tmp_path / "g", overdue, fresh)
    assert main(["validate", str(root)]) == 0
    out = capsys.readouterr().out
    assert (
        "warning: diaspora.umbrella: review due since 2021-01-15 (last reviewed 2020-01-15)" in out
    )
    assert "diaspora.tools: review" not in out
    assert main(["validate", "--strict", str(root)]) == 1


def test_without_review_by_an_item_is_due_a_year_after_its_review(tmp_path):
    reviewed = UMBRELLA + "    reviewed: 2025-03-01\n"
    guidance = load_guidance(write(tmp_path, reviewed, TOOLS))
    items = guidance.items.values()
    assert due_for_review(items, dt.date(2026, 3, 1)) == []
    (due,) = due_for_review(items, dt.date(2026, 3, 2))
    assert (due.item_id, due.due) == ("diaspora.umbrella", dt.date(2026, 3, 1))


def test_every_bundled_item_carries_a_review_date():
    guidance = load_guidance(guidance_dir())
    assert all(item.reviewed for item in guidance.items.values())


def test_sources_change_the_guidance_version(tmp_path):
    root = shutil.copytree(write(tmp_path / "a", UMBRELLA, TOOLS), tmp_path / "b")
    before = load_guidance(root).version
    text = root / "sources" / "eudif-notes.txt"
    text.write_text(text.read_text() + "\nOne more sentence.\n")
    assert load_guidance(root).version != before
