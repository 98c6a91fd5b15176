"""Starting with a database that cannot be written, and a token Discord rejects: a clear
message and an exit code, no traceback, and never the token.

Already covered in tests/discord/test_run.py: a database path that cannot be opened, broken
guidance, a missing token, and a rejected token with discord.py's login stubbed out. Here
the rejection comes from a real HTTP exchange, in a separate process logging at DEBUG.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import discord
import pytest

from pact_advisor.checklists import Checklist, Section, Step
from pact_advisor.discord_bot import Settings, create_bot
from pact_advisor.discord_bot import run as runmod
from pact_advisor.store import Store, StoreError

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.reliability-secret-token-value"
#: Something to store, so that a database holds a team's data.
ONE_STEP = Checklist("t", "T", sections=(Section("c", "C", (Step("a", "c.a", "c"),)),))

#: Runs ``run_bot`` against a Discord API at ``argv[1]`` (discord.py's HTTP layer redirected,
#: nothing of ours patched).
CHILD = """
import sys
import discord.http
discord.http.Route.BASE = sys.argv[1]
from pact_advisor.discord_bot.run import run_bot
sys.exit(run_bot())
"""


def _child_env(tmp_path: Path, db: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DISCORD_", "PACT_ADVISOR_")) or k == "PACT_ADVISOR_CACHE"
    }
    env.update(
        PYTHONPATH=str(ROOT),
        HOME=str(tmp_path),
        DISCORD_TOKEN=TOKEN,
        PACT_ADVISOR_DB=str(db),
        PACT_ADVISOR_LOG_LEVEL="DEBUG",
        **extra,
    )
    return env


def _run_child(tmp_path: Path, db: Path, api: str, prefix: list[str] | None = None):
    return subprocess.run(
        [*(prefix or []), sys.executable, "-c", CHILD, api],
        cwd=tmp_path,
        env=_child_env(tmp_path, db),
        capture_output=True,
        text=True,
        timeout=60,
    )


def _closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/v10"


def _assert_clean(done: subprocess.CompletedProcess, *expected: str) -> None:
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    for text in expected:
        assert text in output, output
    assert "Traceback" not in output, output
    assert TOKEN not in output and TOKEN.split(".")[-1] not in output


# --------------------------------------------------------------------------------------------
# The token
# --------------------------------------------------------------------------------------------


@pytest.fixture
def discord_api():
    """A local "Discord API" that rejects every token with 401, recording what it was sent."""
    seen: list[tuple[str, str | None]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append((self.path, self.headers.get("Authorization")))
            body = json.dumps({"message": "401: Unauthorized", "code": 0}).encode()
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/v10", seen
    server.shutdown()
    server.server_close()


def test_a_token_discord_rejects_never_appears_in_output_or_debug_logs(tmp_path, discord_api):
    api, seen = discord_api
    done = _run_child(tmp_path, tmp_path / "advisor.db", api)
    # The token really went to "Discord" (so the log lines around it were exercised) …
    assert seen == [("/api/v10/users/@me", f"Bot {TOKEN}")]
    # … and came back nowhere: a clear message, DEBUG logs on stderr, no traceback.
    _assert_clean(done, runmod.BAD_TOKEN, "DEBUG", "starting Pact Advisor")


def test_discord_out_of_reach_is_a_clear_message_without_the_token(tmp_path):
    done = _run_child(tmp_path, tmp_path / "advisor.db", _closed_port())
    _assert_clean(done, "Cannot reach Discord: ClientConnectorError")


# --------------------------------------------------------------------------------------------
# The database
# --------------------------------------------------------------------------------------------


def _drop_root_powers() -> list[str] | None:
    """A command prefix under which file permissions apply (root ignores them), or None."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}"]


def test_a_read_only_database_stops_the_start_with_a_message(tmp_path):
    prefix = _drop_root_powers()
    if prefix is None:
        pytest.skip("running as root without setpriv: file permissions cannot be enforced")
    db = tmp_path / "advisor.db"
    with Store(db) as store:
        store.create_run(ONE_STEP, guild_id=1, channel_id=1, created_by=1)
    db.chmod(0o444)
    try:
        # Were it started, it would go on to log in: here Discord is out of reach instead.
        done = _run_child(tmp_path, db, _closed_port(), prefix)
    finally:
        db.chmod(0o644)
    _assert_clean(done, f"Cannot start: the database at {db} is read-only", "PACT_ADVISOR_DB")
    assert "Cannot reach Discord" not in done.stderr


@pytest.fixture
def lock(bot_env):
    """Another program holding the database's write lock."""
    conns = []

    def take(path: Path) -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        conns.append(conn)

    yield take
    for conn in conns:
        conn.execute("ROLLBACK")
        conn.close()


@pytest.mark.parametrize("existing", [True, False], ids=["existing database", "new database"])
def test_a_locked_database_stops_the_start_with_a_message(bot_env, lock, capsys, existing):
    if existing:
        with Store(bot_env) as store:
            store.create_run(ONE_STEP, guild_id=1, channel_id=1, created_by=1)
    lock(bot_env)

    assert runmod.run_bot() == 1
    err = capsys.readouterr().err
    assert err.startswith("Cannot start: ") and f"database at {bot_env}" in err
    assert "locked by another program" in err and "PACT_ADVISOR_DB" in err
    assert "Discord rejected the bot token" not in err  # it stopped before logging in
    assert TOKEN not in err


def test_create_bot_on_a_locked_new_database_raises_a_store_error(tmp_path, lock):
    path = tmp_path / "fresh.db"
    lock(path)
    with pytest.raises(StoreError, match=r"could not open the database at .*fresh\.db: .*locked"):
        create_bot(path, settings=Settings(db_timeout=0.1))


def test_sync_does_not_need_a_writable_database(bot_env, lock, capsys):
    with Store(bot_env):
        pass
    lock(bot_env)
    # Sync only talks to Discord: it gets as far as logging in (refused here).
    assert runmod.sync_commands() == 1
    assert "Discord rejected the bot token" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------
# Settings that cannot be used
# --------------------------------------------------------------------------------------------


@pytest.fixture
def start_env(monkeypatch, tmp_path):
    """A clean environment in ``tmp_path`` (where a ``.env`` may be written), logging left
    alone; nothing of the bot's login is patched."""
    for name in list(os.environ):
        if name.startswith(("DISCORD_", "PACT_ADVISOR_")) and name != "PACT_ADVISOR_CACHE":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(runmod, "configure_logging", lambda level: None)
    monkeypatch.setenv("PACT_ADVISOR_DB", str(tmp_path / "advisor.db"))
    return tmp_path


@pytest.mark.parametrize(
    "value", ['"abc.def\\nX-Injected: 1"', '"abc.def\nghi"', '"abc def"'], ids=repr
)
def test_a_token_with_a_newline_in_dotenv_is_a_bad_token_not_a_traceback(
    start_env, discord_api, monkeypatch, capsys, value
):
    api, seen = discord_api
    monkeypatch.setattr(discord.http.Route, "BASE", api)  # the real HTTP layer, locally
    (start_env / ".env").write_text(f"DISCORD_TOKEN={value}\n")

    assert runmod.run_bot() == 1
    assert runmod.sync_commands() == 1
    err = capsys.readouterr().err
    assert err == f"{runmod.BAD_TOKEN}\n" * 2
    assert seen == []  # refused before anything was sent
    assert not (start_env / "advisor.db").exists()


@pytest.mark.parametrize("days", ["nan", "inf", "-inf", "1e999", "0", "-3", "NaN"])
def test_retention_days_that_would_disable_the_purge_stop_the_start(
    start_env, monkeypatch, capsys, days
):
    from pact_advisor.cli import main

    monkeypatch.setenv("PACT_ADVISOR_RETENTION_DAYS", days)
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    assert runmod.run_bot() == 2
    assert main(["config"]) == 2
    bot, cli = capsys.readouterr().err.splitlines()
    assert bot.startswith("Configuration error: PACT_ADVISOR_RETENTION_DAYS must be ")
    assert cli.startswith("pact-advisor: PACT_ADVISOR_RETENTION_DAYS must be ")
    assert not (start_env / "advisor.db").exists()
    with pytest.raises(ValueError, match="finite positive"):
        Store(start_env / "direct.db", retention_days=float(days))
