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


@pytest.fixture(scope="module")
def _filled(tmp_path_factory, engine):
    """A cache folder holding the entry of the bundled guidance, made from the session's
    fitted engine (one fit for the whole module)."""
    from pact_advisor.engine import cache as cache_module
    from pact_advisor.engine.index import IndexConfig
    from pact_advisor.knowledge import guidance_version

    folder = tmp_path_factory.mktemp("filled") / "cache"
    key = cache_module.cache_key(guidance_version(guidance_dir()), IndexConfig())
    cache_module.save(folder, key, engine.guidance, engine.state())
    return folder


@pytest.fixture
def filled_cache(_filled, tmp_path):
    """This test's own copy of a cache that already holds the team guidance's entry."""
    return shutil.copytree(_filled, tmp_path / "cache")


def test_a_cache_hit_answers_like_a_fresh_fit(team_guidance, tmp_path):
    cache = tmp_path / "cache"
    fresh = load_engine(team_guidance, None)
    first = load_engine(team_guidance, cache)
    assert len(list(cache.glob("index-*.entry"))) == 1
    second = load_engine(team_guidance, cache)
    question = "how do we keep employers on board in a talent partnership?"
    answers = [e.ask(question) for e in (fresh, first, second)]
    assert len({tuple((m.id, round(m.score, 6)) for m in a.matches) for a in answers}) == 1
    assert {a.guidance_version for a in answers} == {fresh.version}


def test_edited_guidance_is_not_served_from_a_stale_cache(team_guidance, filled_cache, tmp_path):
    cache = filled_cache
    before = load_engine(team_guidance, cache)
    path = team_guidance / "diaspora.yaml"
    path.write_text(
        path.read_text().replace("title: Invest in umbrella", "title: Invest in sturdy umbrella")
    )
    after = load_engine(team_guidance, cache)
    assert after.version != before.version
    assert "sturdy" in after.guidance.items["diaspora.umbrella-networks"].title


def test_broken_guidance_is_reported_even_with_a_cache(team_guidance, filled_cache, tmp_path):
    load_engine(team_guidance, filled_cache)
    (team_guidance / "pact.yaml").write_text("collection: [\n")
    with pytest.raises(GuidanceError):
        load_engine(team_guidance, filled_cache)


def test_a_corrupt_cache_file_is_rebuilt(team_guidance, filled_cache, tmp_path):
    cache = filled_cache
    load_engine(team_guidance, cache)
    (entry,) = cache.glob("index-*.entry")
    entry.write_bytes(b"not an entry")
    engine = load_engine(team_guidance, cache)
    assert engine.ask("what are the success factors?").answered


def test_a_change_to_the_engine_code_misses_the_cache(
    team_guidance, filled_cache, tmp_path, monkeypatch
):
    from pact_advisor.engine import cache

    load_engine(team_guidance, filled_cache)
    monkeypatch.setattr(cache, "_engine_source", lambda: "a newer engine")
    load_engine(team_guidance, filled_cache)
    assert len(list(filled_cache.glob("index-*.entry"))) == 2


def test_old_cache_entries_are_pruned(engine, tmp_path):
    """Each guidance edit or upgrade leaves an entry behind: the four newest are kept, and
    entries in the format of earlier releases go."""
    import os

    from pact_advisor.engine import cache as cache_module

    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    (cache / "index-0000000000000000000a.pickle").write_bytes(b"an entry of an earlier release")
    (cache / "index-0000000000000000000b.npz").write_bytes(b"an entry of the previous format")
    state = engine.state()
    for n in range(6):
        cache_module.save(cache, f"{n:020d}", engine.guidance, state)
        entry = cache / f"index-{n:020d}.entry"
        os.utime(entry, (1_000_000 + n, 1_000_000 + n))
    kept = sorted(p.name for p in cache.glob("index-*"))
    assert kept == [f"index-{n:020d}.entry" for n in range(2, 6)]


# --- integrity: a planted, truncated or foreign entry is never used ---------------------------


class _Planted:
    """Unpickling this runs code: it must never happen for a file we did not write."""

    def __reduce__(self):
        import os

        return (os.mkdir, (_PLANTED_MARK,))


_PLANTED_MARK = ""


def _only_entry(cache):
    (entry,) = cache.glob("index-*.entry")
    return entry


def test_a_planted_pickle_is_never_unpickled(team_guidance, filled_cache, tmp_path):
    global _PLANTED_MARK
    import pickle

    cache = filled_cache
    load_engine(team_guidance, cache)
    mark = tmp_path / "pwned"
    _PLANTED_MARK = str(mark)
    entry = _only_entry(cache)
    entry.write_bytes(pickle.dumps(_Planted()))
    engine = load_engine(team_guidance, cache)
    assert not mark.exists()
    assert engine.ask("what are the success factors?").answered


def test_a_planted_pickle_in_a_fresh_cache_folder_is_never_unpickled(team_guidance, tmp_path):
    """No key yet: an attacker who guesses the entry's name still gets nothing loaded."""
    global _PLANTED_MARK
    import pickle

    from pact_advisor.engine import cache as cache_module
    from pact_advisor.engine.index import IndexConfig
    from pact_advisor.knowledge import guidance_version

    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    key = cache_module.cache_key(guidance_version(team_guidance), IndexConfig())
    mark = tmp_path / "pwned"
    _PLANTED_MARK = str(mark)
    (cache / f"index-{key}.entry").write_bytes(b"\0" * 32 + pickle.dumps(_Planted()))
    load_engine(team_guidance, cache)
    assert not mark.exists()


def test_an_entry_under_another_name_is_refused(team_guidance, filled_cache, tmp_path):
    from pact_advisor.engine import cache as cache_module

    cache = filled_cache
    engine = load_engine(team_guidance, cache)
    entry = _only_entry(cache)
    (cache / "index-0123456789abcdef0123.entry").write_bytes(entry.read_bytes())
    assert cache_module.load(cache, "0123456789abcdef0123") is None
    assert cache_module.load(cache, entry.stem.removeprefix("index-")) is not None
    assert engine.ask("what are the success factors?").answered


def test_the_key_file_is_owner_only(team_guidance, tmp_path):
    cache = tmp_path / "cache"
    load_engine(team_guidance, cache)
    assert (cache / ".key").stat().st_mode & 0o777 == 0o600
    assert cache.stat().st_mode & 0o022 == 0


def test_a_key_file_others_can_read_disables_the_cache(
    team_guidance, filled_cache, tmp_path, caplog
):
    from pact_advisor.engine import cache as cache_module

    cache = filled_cache
    load_engine(team_guidance, cache)
    entry = _only_entry(cache)
    (cache / ".key").chmod(0o644)
    assert cache_module.load(cache, entry.stem.removeprefix("index-")) is None
    assert "not using the index cache" in caplog.text


def test_a_cache_folder_others_can_write_is_refused(team_guidance, tmp_path, caplog):
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o777)
    engine = load_engine(team_guidance, cache)
    assert engine.ask("what are the success factors?").answered
    assert not list(cache.iterdir())
    assert "can be written by other users" in caplog.text


@pytest.mark.parametrize("keep", [0, 1, 31, 33, 1000])
def test_a_truncated_entry_is_rebuilt(team_guidance, filled_cache, tmp_path, keep):
    cache = filled_cache
    load_engine(team_guidance, cache)
    entry = _only_entry(cache)
    entry.write_bytes(entry.read_bytes()[:keep])
    engine = load_engine(team_guidance, cache)
    assert engine.ask("what are the success factors?").answered
    # and the rebuilt entry is whole again
    assert load_engine(team_guidance, cache).version == engine.version


def test_a_change_to_the_schema_code_misses_the_cache():
    from pact_advisor.engine import cache

    names = {str(p.relative_to(cache._PACKAGE)) for p in cache._source_files()}
    assert {"knowledge/models.py", "knowledge/loader.py", "checklists.py"} <= names
    assert "engine/index.py" in names


def test_a_read_only_cache_folder_is_skipped(team_guidance, tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    cache.chmod(0o500)
    try:
        engine = load_engine(team_guidance, cache)
        assert engine.ask("what are the success factors?").answered
    finally:
        cache.chmod(0o700)
    assert not list(cache.iterdir())


def test_a_full_disk_leaves_no_partial_entry(team_guidance, tmp_path, monkeypatch):
    import errno
    import os

    cache = tmp_path / "cache"
    real_fsync = os.fsync
    calls = {"n": 0}

    def full(fd):
        calls["n"] += 1
        if calls["n"] > 1:  # the key is written; the entry finds the disk full
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full)
    engine = load_engine(team_guidance, cache)
    assert engine.ask("what are the success factors?").answered
    assert sorted(p.name for p in cache.iterdir()) == [".key"]


def test_concurrent_starts_share_one_key_and_whole_entries(team_guidance, tmp_path):
    import subprocess
    import sys

    cache = tmp_path / "cache"
    script = (
        "import sys; from pathlib import Path;"
        "from pact_advisor.engine.cache import load_engine;"
        "e = load_engine(Path(sys.argv[1]), Path(sys.argv[2]));"
        "assert e.ask('what are the success factors?').answered"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(team_guidance), str(cache)])
        for _ in range(4)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    names = sorted(p.name for p in cache.iterdir())
    assert names[0] == ".key" and len(names) == 2 and names[1].startswith("index-")
    from pact_advisor.engine import cache as cache_module

    assert cache_module.load(cache, names[1][len("index-") : -len(".entry")]) is not None


def test_a_read_only_file_system_is_skipped(team_guidance, tmp_path, monkeypatch):
    import errno

    from pact_advisor import cachedir

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    monkeypatch.setattr(cachedir.tempfile, "mkstemp", read_only)
    engine = load_engine(team_guidance, cache)
    assert engine.ask("what are the success factors?").answered
    assert not list(cache.iterdir())


def test_an_authentic_entry_holding_a_pickle_is_still_never_unpickled(
    team_guidance, filled_cache, tmp_path
):
    """Even signed with this installation's key, an entry is read with allow_pickle=False."""
    global _PLANTED_MARK
    import io

    import numpy as np

    from pact_advisor.cachedir import sign
    from pact_advisor.engine import cache as cache_module

    cache = filled_cache
    load_engine(team_guidance, cache)
    entry = _only_entry(cache)
    key = entry.stem.removeprefix("index-")
    mark = tmp_path / "pwned"
    _PLANTED_MARK = str(mark)
    buffer = io.BytesIO()
    np.savez(buffer, planted=np.array([_Planted()], dtype=object))
    body = buffer.getvalue()
    secret = (cache / ".key").read_bytes()
    entry.write_bytes(sign(secret, key, body) + body)
    assert cache_module.load(cache, key) is None
    assert not mark.exists()


def test_a_warm_start_imports_neither_scikit_learn_nor_scipy(team_guidance, filled_cache, tmp_path):
    import subprocess
    import sys

    cache = filled_cache
    load_engine(team_guidance, cache)
    script = (
        "import sys; from pathlib import Path;"
        "from pact_advisor.engine.cache import load_engine;"
        "e = load_engine(Path(sys.argv[1]), Path(sys.argv[2]));"
        "r = e.ask('how do we keep employers on board in a talent partnership?');"
        "assert r.answered, r;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(team_guidance), str(cache)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]"


def test_the_guidance_comes_back_from_an_entry_as_it_was_loaded(engine):
    """Every field, source documents and their passages included."""
    from pact_advisor.engine import cache as cache_module

    guidance, _ = cache_module._decode(cache_module._encode(engine.guidance, engine.state()))
    assert guidance == engine.guidance


def test_an_entry_round_trips_through_its_file(engine, tmp_path, monkeypatch):
    """Written a part at a time and read back mapped (checked a part at a time too): the same
    guidance, arrays and data."""
    import numpy as np

    from pact_advisor.engine import cache as cache_module

    monkeypatch.setattr(cache_module, "_CHECKED", 1 << 12)  # many parts, even for this entry
    arrays, meta = engine.state()
    cache_module.save(tmp_path / "cache", "k" * 20, engine.guidance, (arrays, meta))
    guidance, (loaded, loaded_meta) = cache_module.load(tmp_path / "cache", "k" * 20)
    assert guidance == engine.guidance and loaded_meta == meta
    assert sorted(loaded) == sorted(arrays)
    for name, array in arrays.items():
        assert loaded[name].dtype == array.dtype and np.array_equal(loaded[name], array)


def test_an_empty_entry_is_rebuilt(team_guidance, filled_cache):
    _only_entry(filled_cache).write_bytes(b"")
    assert load_engine(team_guidance, filled_cache).ask("what are the success factors?").answered


def test_a_checked_entry_is_trusted_by_its_stamp_until_it_changes(
    team_guidance, filled_cache, monkeypatch
):
    """Once an entry has been checked in full, a stamp lets later starts skip reading all of
    it; any change to the file (new bytes in place, times reset) is checked, and refused."""
    import os
    import time

    from pact_advisor.engine import cache as cache_module

    cache = filled_cache
    load_engine(team_guidance, cache)
    entry = _only_entry(cache)
    key = entry.stem.removeprefix("index-")
    stamps = set(cache.glob("checked-*"))
    assert cache_module.load(cache, key) is not None
    assert set(cache.glob("checked-*")) == stamps  # just written: not settled, not stamped

    monkeypatch.setattr(cache_module, "SETTLED_NS", 0)
    assert cache_module.load(cache, key) is not None
    assert len(set(cache.glob("checked-*")) - stamps) == 1
    assert cache_module.load(cache, key) is not None  # trusted by the stamp

    time.sleep(0.05)  # past the file system's time tick
    info = entry.stat()
    data = bytearray(entry.read_bytes())
    data[-1] ^= 0xFF  # the same size, one bit of an array changed
    entry.write_bytes(bytes(data))
    os.utime(entry, ns=(info.st_atime_ns, info.st_mtime_ns))  # the old modification time
    assert cache_module.load(cache, key) is None  # and so rebuilt, as a corrupt entry is
