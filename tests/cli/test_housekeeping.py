"""The package and the files it leaves: one version, a licence, metadata, a private database,
and a ``sync`` that neither creates a database nor logs voice warnings."""

from __future__ import annotations

import importlib.metadata
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

from cli_helpers import command

import pact_advisor
from pact_advisor.store import Store

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "MTIzNDU2Nzg5.secret-token-value.never-shown"


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_version_is_written_in_one_place():
    project = _project()
    assert "version" not in project and "version" in project["dynamic"]
    assert importlib.metadata.version("pact-advisor") == pact_advisor.__version__
    assert command("--version").stdout.strip() == f"pact-advisor {pact_advisor.__version__}"


def test_the_licence_the_metadata_names_is_shipped():
    project = _project()
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert "License-Expression: MIT" in (importlib.metadata.metadata("pact-advisor").as_string())


def test_the_package_has_classifiers_and_urls():
    project = _project()
    assert "Programming Language :: Python :: 3.11" in project["classifiers"]
    assert "Environment :: Console" in project["classifiers"]
    assert all(url.startswith("https://") for url in project["urls"].values())


def test_a_new_database_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "data" / "advisor.db"
    with Store(path) as store:
        store.record_unanswered("how do we apply for asylum?", [], user_id=1)
        created = [path, *path.parent.glob("advisor.db-*")]
        assert len(created) >= 2  # the database and its write-ahead log
        for file in created:
            assert stat.S_IMODE(file.stat().st_mode) & 0o077 == 0, file
    assert stat.S_IMODE(path.parent.stat().st_mode) & 0o077 == 0


#: ``pact-advisor sync`` with Discord refusing the login: it gets as far as building the bot.
SYNC_PROBE = """
import sys
import discord

async def refuse(self, token):
    raise discord.LoginFailure("Improper token has been passed.")

discord.http.HTTPClient.static_login = refuse
from pact_advisor.cli import main
sys.exit(main(["sync", "--guild", "1"]))
"""


def test_sync_creates_no_database_and_logs_no_voice_warnings(tmp_path):
    db = tmp_path / "advisor.db"
    done = subprocess.run(
        [sys.executable, "-c", SYNC_PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "DISCORD_TOKEN": TOKEN,
            "PACT_ADVISOR_DB": str(db),
            "PACT_ADVISOR_CACHE": "off",
        },
    )
    assert done.returncode == 1, done.stderr
    assert "Discord rejected the bot token" in done.stderr
    assert "voice will NOT be supported" not in done.stderr
    assert not db.exists() and not list(tmp_path.glob("advisor.db*"))
