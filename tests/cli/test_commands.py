"""The command line as users of good CLIs expect it: global options anywhere, the commands
listed, "did you mean", examples in every help, and shell completion."""

from __future__ import annotations

import shlex
import shutil
import subprocess

import pytest
from cli_helpers import SCRIPT, command, run

from pact_advisor.cli import build_parser, main
from pact_advisor.resources import guidance_dir

COMMANDS = (
    "ask",
    "chat",
    "checklist",
    "topics",
    "show",
    "validate",
    "eval",
    "config",
    "completion",
    "bot",
    "sync",
)


@pytest.mark.parametrize(
    "argv",
    [
        ["ask", "--guidance", "{dir}", "what are the success factors?"],
        ["--guidance", "{dir}", "ask", "what are the success factors?"],
        ["topics", "--guidance", "{dir}"],
        ["checklist", "diaspora", "--guidance", "{dir}"],
    ],
)
def test_the_guidance_option_works_before_or_after_the_command(argv, tmp_path, capsys):
    missing = str(tmp_path / "missing")
    code, _ = run(*(a.replace("{dir}", missing) for a in argv))
    assert code == 1
    assert f"{missing}: guidance folder not found" in capsys.readouterr().err


def test_the_guidance_option_after_the_command_is_the_one_used(tmp_path):
    copy = tmp_path / "ours"
    shutil.copytree(guidance_dir(), copy)
    path = copy / "diaspora.yaml"
    path.write_text(
        path.read_text().replace("  title: Diaspora engagement", "  title: Our diaspora work", 1)
    )
    code, out = run("topics", "--guidance", str(copy))
    assert code == 0
    assert "Our diaspora work" in out


def test_bare_pact_advisor_lists_the_commands():
    done = command()
    assert done.returncode == 0
    for name in COMMANDS:
        assert f"\n    {name} " in done.stdout
    assert "examples:" in done.stdout


@pytest.mark.parametrize(
    ("typed", "meant"), [("aks", "ask"), ("checklists", "checklist"), ("tpoics", "topics")]
)
def test_an_unknown_command_gets_did_you_mean(typed, meant, capsys):
    with pytest.raises(SystemExit) as done:
        main([typed])
    assert done.value.code == 2
    assert f"unknown command {typed!r}. Did you mean {meant}?" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("typed", "topic"),
    [("Diaspora", "diaspora"), ("success factors", "success-factors"), ("READINESS", "readiness")],
)
def test_checklist_topics_match_ids_and_titles_case_insensitively(typed, topic):
    code, out = run("checklist", typed, "--format", "json")
    assert code == 0
    assert f'"topic": "{topic}"' in out


def test_an_unknown_topic_suggests_a_few_not_every_id(capsys):
    code, _ = run("checklist", "succes factor")
    err = capsys.readouterr().err
    assert code == 2
    assert "unknown topic 'succes factor'. Did you mean success-factors" in err
    assert err.count(".") < 12 and len(err.splitlines()) == 1
    assert "`pact-advisor topics` lists them all" in err


def test_an_unknown_item_is_matched_by_words_of_its_title(capsys):
    code, _ = run("show", "umbrella organisations")
    assert code == 2
    assert "Did you mean diaspora.umbrella-networks" in capsys.readouterr().err
    code, out = run("show", "Diaspora.Umbrella-Networks")
    assert code == 0 and "Invest in umbrella organisations" in out


def _examples(name: str) -> list[str]:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    text = sub.choices[name].format_help()
    assert "examples:" in text, name
    block = text.split("examples:", 1)[1].split("\n\n", 1)[0]
    return [line.split("#", 1)[0].strip() for line in block.strip().splitlines()]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_commands_help_has_an_example_of_it(name):
    assert any(line.startswith(f"pact-advisor {name}") for line in _examples(name))


#: Examples that need Discord, a file of the user's, or a shell.
NOT_RUN = ("bot", "sync", "chat", "eval")


@pytest.mark.parametrize("name", [c for c in COMMANDS if c not in NOT_RUN])
def test_the_examples_in_help_run(name, tmp_path):
    ran = 0
    for line in _examples(name):
        line = line.split(" > ", 1)[0]  # what is written to a file is what is printed
        if not line.startswith("pact-advisor ") or any(c in line for c in "<>|&"):
            continue
        argv = shlex.split(line)[1:]
        if name == "validate" and len(argv) > 1:
            argv[1] = str(guidance_dir())
        done = command(*argv, cwd=tmp_path)
        assert done.returncode == 0, (line, done.stderr)
        ran += 1
    assert ran


def test_bash_completion_completes_commands_options_and_topics(tmp_path):
    script = tmp_path / "pact-advisor.bash"
    script.write_text(command("completion", "bash").stdout)

    def complete(*words: str) -> list[str]:
        line = " ".join(f'"{w}"' for w in words)
        probe = (
            f"source {script}; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; "
            '_shtab_pact_advisor; printf "%s\\n" "${COMPREPLY[@]}"'
        )
        done = subprocess.run(
            ["bash", "-c", probe], capture_output=True, text=True, timeout=30, check=True
        )
        return done.stdout.split()

    assert complete("pact-advisor", "ch") == ["chat", "checklist"]
    assert "diaspora.umbrella-networks" in complete("pact-advisor", "checklist", "diaspora.u")
    assert "--format" in complete("pact-advisor", "topics", "--f")


def test_zsh_completion_names_every_command_and_the_item_ids():
    done = command("completion", "zsh")
    assert done.returncode == 0
    assert done.stdout.startswith("#compdef pact-advisor")
    for name in COMMANDS:
        assert f"    {name}:'" in done.stdout, name
    assert "diaspora.umbrella-networks" in done.stdout
    if shutil.which("zsh"):
        subprocess.run(["zsh", "-n"], input=done.stdout, text=True, check=True, timeout=30)


@pytest.mark.parametrize("locale", ["C", "C.UTF-8", "en_US.UTF-8"])
def test_ask_json_from_stdin_answers_every_line_despite_invalid_bytes(locale):
    import json
    import os

    lines = [
        b"what are the success factors?",
        b"comment impliquer la diaspora \xe9 ?",  # Latin-1, not UTF-8
        b"\xff\xfe\x80",
        "¿qué pilotos ha financiado el MPF?".encode(),
    ]
    env = {**os.environ, "LC_ALL": locale, "LANG": locale}
    done = subprocess.run(
        [SCRIPT, "ask", "--json", "-"],
        input=b"\n".join(lines) + b"\n",
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert len(answers) == len(lines)
    assert answers[1]["question"] == "comment impliquer la diaspora \ufffd ?"
    assert answers[0]["answered"]


@pytest.mark.parametrize("locale", ["C.UTF-8", "en_US.UTF-8"])
def test_a_question_or_partner_with_an_invalid_byte_on_the_command_line_is_answered(locale):
    import json
    import os

    env = {**os.environ, "LC_ALL": locale, "LANG": locale}
    question = b"what are the success factors\xe9?"  # Latin-1, not UTF-8
    asked = subprocess.run(
        [SCRIPT, "ask", "--json", question], capture_output=True, env=env, timeout=120
    )
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout.decode("utf-8"))
    assert answer["question"] == "what are the success factors\ufffd?"
    assert answer["answered"]
    listed = subprocess.run(
        [SCRIPT, "checklist", "readiness", "--partner", b"Mar\xffoc"],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert listed.returncode == 0, listed.stderr
    assert "For: Mar\ufffdoc (partner)" in listed.stdout.decode("utf-8")
    shown = subprocess.run(
        [SCRIPT, "show", b"succes\xff-factors.overview"], capture_output=True, env=env, timeout=120
    )
    assert "Did you mean success-factors.overview" in shown.stderr.decode("utf-8")
    assert "\\udc" not in shown.stderr.decode("utf-8")


def test_chat_from_a_pipe_answers_a_line_with_an_invalid_byte():
    import os

    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    done = subprocess.run(
        [SCRIPT, "chat"],
        input=b"what are the success \xff factors?\n",
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    shown = done.stdout.decode("utf-8")
    assert "what are the success \ufffd factors?" in shown
    assert "success factors" in shown.lower().split("\ufffd factors?", 1)[1]
