"""The start-up cache never changes an answer: a hit, a change of guidance and a corrupt file."""

from __future__ import annotations

import shutil

import pytest

from pact_advisor.engine.cache import load_engine
from pact_advisor.knowledge import GuidanceError
from pact_advisor.resources import guidance_dir


@pytest.fixture
def team_guidance(tmp_path):
    return shutil.copytree(guidance_dir(), tmp_path / "guidance")


def test_a_cache_hit_answers_like_a_fresh_fit(team_guidance, tmp_path):
    cache = tmp_path / "cache"
    fresh = load_engine(team_guidance, None)
    first = load_engine(team_guidance, cache)
    assert len(list(cache.glob("index-*.pickle"))) == 1
    second = load_engine(team_guidance, cache)
    question = "how do we keep employers on board in a talent partnership?"
    answers = [e.ask(question) for e in (fresh, first, second)]
    assert len({tuple((m.id, round(m.score, 6)) for m in a.matches) for a in answers}) == 1
    assert {a.guidance_version for a in answers} == {fresh.version}


def test_edited_guidance_is_not_served_from_a_stale_cache(team_guidance, tmp_path):
    cache = tmp_path / "cache"
    before = load_engine(team_guidance, cache)
    path = team_guidance / "diaspora.yaml"
    path.write_text(
        path.read_text().replace("title: Invest in umbrella", "title: Invest in sturdy umbrella")
    )
    after = load_engine(team_guidance, cache)
    assert after.version != before.version
    assert "sturdy" in after.guidance.items["diaspora.umbrella-networks"].title


def test_broken_guidance_is_reported_even_with_a_cache(team_guidance, tmp_path):
    load_engine(team_guidance, tmp_path / "cache")
    (team_guidance / "pact.yaml").write_text("collection: [\n")
    with pytest.raises(GuidanceError):
        load_engine(team_guidance, tmp_path / "cache")


def test_a_corrupt_cache_file_is_rebuilt(team_guidance, tmp_path):
    cache = tmp_path / "cache"
    load_engine(team_guidance, cache)
    (entry,) = cache.glob("index-*.pickle")
    entry.write_bytes(b"not a pickle")
    engine = load_engine(team_guidance, cache)
    assert engine.ask("what are the success factors?").answered


def test_a_change_to_the_engine_code_misses_the_cache(team_guidance, tmp_path, monkeypatch):
    from pact_advisor.engine import cache

    load_engine(team_guidance, tmp_path / "cache")
    monkeypatch.setattr(cache, "_engine_source", lambda: "a newer engine")
    load_engine(team_guidance, tmp_path / "cache")
    assert len(list((tmp_path / "cache").glob("index-*.pickle"))) == 2


def test_old_cache_entries_are_pruned(team_guidance, tmp_path):
    path = team_guidance / "diaspora.yaml"
    for n in range(6):
        path.write_text(path.read_text() + f"\n# edit {n}\n")
        load_engine(team_guidance, tmp_path / "cache")
    assert len(list((tmp_path / "cache").glob("index-*.pickle"))) == 4
