"""One settings object for every command, from the environment and ``.env`` the same way
everywhere; ``pact-advisor config`` shows them with where each came from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_helpers import command

from pact_advisor.cli import build_parser
from pact_advisor.resources import guidance_dir
from pact_advisor.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "MTIzNDU2Nzg5.secret-token-value.never-shown"
#: The settings variables a test must not inherit from whoever runs it.
CLEAN = {
    name: "" for name in Settings.variables_by_field().values() if name != "PACT_ADVISOR_CACHE"
}


@pytest.fixture
def broken_guidance(tmp_path: Path) -> Path:
    target = tmp_path / "broken"
    shutil.copytree(guidance_dir(), target)
    path = target / "diaspora.yaml"
    item = "  - id: diaspora.overview\n    title:"
    path.write_text(path.read_text().replace(item, item.replace("title:", "titel:"), 1))
    return target


def test_validate_checks_the_guidance_a_dotenv_file_names(tmp_path, broken_guidance):
    (tmp_path / ".env").write_text(f"PACT_ADVISOR_GUIDANCE={broken_guidance}\n")
    done = command("validate", cwd=tmp_path, env=CLEAN)
    assert done.returncode == 1
    assert "titel: unknown key (did you mean title?)" in done.stdout
    assert f"FAILED: 1 problem in {broken_guidance}" in done.stdout


def test_the_environment_wins_over_dotenv_and_the_command_line_over_both(tmp_path, broken_guidance):
    (tmp_path / ".env").write_text(f"PACT_ADVISOR_GUIDANCE={tmp_path / 'nowhere'}\n")
    env = {**CLEAN, "PACT_ADVISOR_GUIDANCE": str(broken_guidance)}
    assert command("validate", cwd=tmp_path, env=env).returncode == 1
    fine = command("validate", "--guidance", str(guidance_dir()), cwd=tmp_path, env=env)
    assert fine.returncode == 0 and fine.stdout.startswith("OK: ")


def test_every_command_answers_from_the_guidance_dotenv_names(tmp_path, broken_guidance):
    (tmp_path / ".env").write_text(f"PACT_ADVISOR_GUIDANCE={broken_guidance}\n")
    for argv in (["topics"], ["show", "diaspora.overview"], ["ask", "diaspora networks"]):
        done = command(*argv, cwd=tmp_path, env=CLEAN)
        assert done.returncode == 1, argv
        assert "the guidance could not be loaded" in done.stderr


def test_config_shows_each_setting_where_it_came_from_and_never_the_token(tmp_path):
    (tmp_path / ".env").write_text(f"DISCORD_TOKEN={TOKEN}\nPACT_ADVISOR_RETENTION_DAYS=30\n")
    env = {**CLEAN, "PACT_ADVISOR_LOG_LEVEL": "debug"}
    done = command("config", "--guidance", str(guidance_dir()), cwd=tmp_path, env=env)
    assert done.returncode == 0
    out = done.stdout
    assert TOKEN not in out and TOKEN not in done.stderr
    dotenv = str((tmp_path / ".env").resolve())
    rows = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert out.splitlines()[0] == f".env file: {dotenv}"
    assert "set (hidden)" in rows["DISCORD_TOKEN"] and f"({dotenv})" in rows["DISCORD_TOKEN"]
    assert " 30 " in rows["PACT_ADVISOR_RETENTION_DAYS"]
    assert (
        "DEBUG" in rows["PACT_ADVISOR_LOG_LEVEL"]
        and "(environment)" in rows["PACT_ADVISOR_LOG_LEVEL"]
    )
    assert "(command line)" in rows["PACT_ADVISOR_GUIDANCE"]
    assert "(default)" in rows["PACT_ADVISOR_DEV_GUILD"]
    assert set(rows) == set(Settings.variables_by_field().values())


def test_a_bad_setting_is_named_with_the_file_it_came_from(tmp_path):
    (tmp_path / ".env").write_text("PACT_ADVISOR_RETENTION_DAYS=soon\n")
    done = command("topics", cwd=tmp_path, env=CLEAN)
    assert done.returncode == 2
    assert "PACT_ADVISOR_RETENTION_DAYS must be a number of days (set in" in done.stderr
    assert ".env)" in done.stderr


def test_building_settings_reads_nothing(monkeypatch, tmp_path):
    monkeypatch.setenv("PACT_ADVISOR_RETENTION_DAYS", "3")
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("PACT_ADVISOR_DEV_GUILD=5\n")
    assert Settings().retention_days == 90 and Settings().dev_guild is None
    loaded = Settings.load()
    assert loaded.retention_days == 3 and loaded.dev_guild == 5
    assert loaded.origin("dev_guild") == str((tmp_path / ".env").resolve())


def test_off_disables_the_cache_and_the_history():
    settings = Settings.load({"PACT_ADVISOR_CACHE": "off", "PACT_ADVISOR_HISTORY": "off"})
    assert settings.cache_dir is None and settings.history_path is None
    with pytest.raises(SettingsError, match="PACT_ADVISOR_DEBUG must be true or false"):
        Settings.load({"PACT_ADVISOR_DEBUG": "maybe"})


def _help(name: str | None) -> str:
    parser = build_parser()
    if name is None:
        return parser.format_help()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sub.choices[name].format_help()


@pytest.mark.parametrize("variable", list(Settings.variables_by_field().values()))
def test_every_setting_is_in_the_readme_and_in_help(variable):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`{variable}`" in readme
    for name in (None, "bot", "sync", "config"):
        assert variable in _help(name), name
