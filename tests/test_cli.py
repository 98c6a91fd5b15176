"""The terminal commands, as a user runs them."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from pact_advisor.cli import build_parser, main
from pact_advisor.resources import eval_dir


def run(*argv: str, stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), stdin=io.StringIO(stdin), stdout=out)
    return code, out.getvalue()


def test_every_command_and_option_has_help_text():
    parser = build_parser()
    subactions = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    (sub,) = subactions
    helps = {choice.dest: choice.help for choice in sub._choices_actions}
    assert set(helps) == {
        "ask",
        "chat",
        "checklist",
        "topics",
        "show",
        "validate",
        "coverage",
        "curate",
        "eval",
        "config",
        "completion",
        "runs",
        "bot",
        "sync",
    }
    for name, command in sub.choices.items():
        assert helps[name], name
        assert command.description, name
        for action in command._actions:
            if action.dest != "help":
                assert action.help, f"{name} {action.dest}"


@pytest.mark.parametrize(
    "command",
    [
        "ask",
        "chat",
        "checklist",
        "topics",
        "show",
        "validate",
        "coverage",
        "curate",
        "eval",
        "config",
        "completion",
        "bot",
        "sync",
    ],
)
def test_help_prints_for_each_command(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert f"usage: pact-advisor {command}" in capsys.readouterr().out


def test_python_dash_m_bot_runs_the_same_cli():
    done = subprocess.run(
        [sys.executable, "-m", "pact_advisor", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    assert "usage: pact-advisor" in done.stdout


#: Prints the exit code of ``main(argv)`` and whether scikit-learn was imported.
SKLEARN_PROBE = """
import io, sys
from pact_advisor.cli import main
code = main(sys.argv[1:], stdout=io.StringIO())
print(code, "sklearn" in sys.modules)
"""


@pytest.mark.parametrize(
    ("argv", "cache", "imports_sklearn"),
    [
        (["topics"], "on", False),
        (["show", "diaspora.umbrella-networks"], "on", False),
        (["checklist", "readiness", "--partner", "Morocco"], "on", False),
        (["validate"], "on", False),
        # Answering fits nothing once the start-up cache holds the index ...
        (["ask", "what are the success factors?"], "on", False),
        # ... and fits, with scikit-learn, without it (so the probe can tell).
        (["ask", "what are the success factors?"], "off", True),
    ],
)
def test_only_fitting_imports_scikit_learn(argv, cache, imports_sklearn):
    import os

    fill = subprocess.run(
        [sys.executable, "-c", SKLEARN_PROBE, "ask", "what are the success factors?"],
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert fill.returncode == 0, fill.stderr
    env = {**os.environ, **({"PACT_ADVISOR_CACHE": "off"} if cache == "off" else {})}
    done = subprocess.run(
        [sys.executable, "-c", SKLEARN_PROBE, *argv],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )
    assert done.stdout.split() == ["0", str(imports_sklearn)], done.stderr


def test_ask_prints_advice_with_its_source():
    code, out = run("ask", "what are the five success factors?")
    assert code == 0
    assert "Sufficient shared interests" in out
    assert "2018" in out


def test_ask_json_gives_the_documented_fields_and_three_matches():
    code, out = run("ask", "--json", "how do we keep employers on board in a talent partnership")
    assert code == 0
    payload = json.loads(out)
    assert {"question", "intent", "answered", "matches", "text", "guidance_version"} <= set(payload)
    assert payload["answered"] is True
    assert len(payload["matches"]) >= 3
    assert payload["matches"][0]["id"] == "talent-partnerships.public-private"
    assert {"id", "title", "quote", "source", "score", "why"} <= set(payload["matches"][0])
    scores = [m["score"] for m in payload["matches"]]
    assert scores == sorted(scores, reverse=True)
    assert payload["text"].strip()


def test_ask_json_from_stdin_answers_each_line_in_order():
    lines = ["what is MIEUX+", "", "weather in Paris tomorrow", "diaspora umbrella networks"]
    code, out = run("ask", "--json", "-", stdin="\n".join(lines) + "\n")
    assert code == 0
    payloads = [json.loads(line) for line in out.splitlines()]
    assert [p["question"] for p in payloads] == lines
    assert [p["answered"] for p in payloads] == [True, False, False, True]


def test_ask_from_stdin_handles_thousands_of_lines():
    questions = ["what are the success factors", "comment impliquer la diaspora", ""] * 700
    code, out = run("ask", "--json", "-", stdin="\n".join(questions) + "\n")
    assert code == 0
    assert len(out.splitlines()) == len(questions)


@pytest.mark.parametrize("question", ["", "   "])
def test_empty_question_gives_a_usage_hint_and_exit_2(question, capsys):
    code, _ = run("ask", question)
    assert code == 2
    assert 'pact-advisor ask "' in capsys.readouterr().err


def test_template_text_in_a_question_is_never_evaluated():
    code, out = run("ask", "--json", "{{ 7*7 }} diaspora umbrella networks {% raw %}")
    assert code == 0
    payload = json.loads(out)
    assert "49" not in payload["text"]
    assert payload["question"].startswith("{{ 7*7 }}")


def test_topics_lists_every_collection(guidance):
    code, out = run("topics")
    assert code == 0
    assert len(guidance.collections) == 7
    for collection in guidance.collections:
        assert collection in out


def test_show_prints_an_item_and_rejects_unknown_ids(capsys):
    code, out = run("show", "diaspora.umbrella-networks")
    assert code == 0 and "Invest in umbrella organisations, platforms and networks" in out
    code, _ = run("show", "diaspora.nope")
    assert code == 2 and "unknown item" in capsys.readouterr().err


def test_checklist_json_keeps_item_ids_and_context():
    code, out = run(
        "checklist",
        "success-factors",
        "--partner",
        "Morocco",
        "--sector",
        "agriculture",
        "--format",
        "json",
    )
    assert code == 0
    payload = json.loads(out)
    assert payload["topic"] == "success-factors"
    assert payload["context"]["partner"] == "Morocco"
    assert all(step["item_id"].startswith("success-factors.") for step in payload["steps"])
    assert any("Morocco" in step["text"] for step in payload["steps"])


def test_checklist_markdown_is_a_task_list():
    code, out = run("checklist", "talent-partnerships", "--format", "md")
    assert code == 0
    assert out.count("- [ ] ") >= 6
    assert "## " in out


def test_unknown_checklist_topic_lists_valid_topics_and_exits_2(capsys):
    code, _ = run("checklist", "bananas")
    assert code == 2
    err = capsys.readouterr().err
    assert "readiness" in err and "diaspora" in err


def test_chat_follows_up_and_quits():
    script = "how do we involve employers in a talent partnership?\nwhat about Morocco?\nchecklist\nquit\nnever read\n"
    code, out = run("chat", stdin=script)
    assert code == 0
    assert "Morocco" in out
    assert "[ ]" in out or "☐" in out


def test_eval_prints_metrics_by_language_and_style():
    code, out = run("eval", str(eval_dir() / "dev.yaml"))
    assert code == 0
    for label in ("top1", "rec@3", "mrr", "falseAb", "oosAb", "lang=fr", "lang=es", "style=typo"):
        assert label in out


def test_an_internal_error_is_one_clear_line_not_a_traceback(monkeypatch, capsys):
    from pact_advisor.engine import Engine

    def broken(self, *args, **kwargs):
        raise RuntimeError("index exploded")

    monkeypatch.setattr(Engine, "ask_many", broken)
    code, _ = run("ask", "what are the success factors")
    err = capsys.readouterr().err
    assert code == 1
    assert "internal error (RuntimeError: index exploded)" in err
    assert "Traceback" not in err
