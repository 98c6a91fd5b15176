"""``ask -`` over a long input: answered by one worker per core, written as one process would."""

from __future__ import annotations

import json
import subprocess
import time

import pytest
from cli_helpers import SCRIPT

from pact_advisor.cli import workers
from pact_advisor.cli.answering import BATCH

pytestmark = pytest.mark.skipif(not workers.can_fork(), reason="workers are forked on Linux")

QUESTIONS = [
    b"what are the success factors of a mobility partnership?",
    b"comment impliquer la diaspora ?",
    b"\xc2\xbfc\xc3\xb3mo involucrar a la di\xc3\xa1spora?",
    b"",
    b"write me a poem about the sea",
    b"how do we keep employers on board in a talent partnership\xe9?",  # not UTF-8
    b"checklist diaspora",
    b"what is the 3I approach?",
]


def _lines(count: int) -> bytes:
    picked = [QUESTIONS[i % len(QUESTIONS)] + b" %d" % i for i in range(count)]
    return b"\n".join(picked) + b"\n"


def _ask(*options: str, stdin: bytes) -> bytes:
    done = subprocess.run(
        [SCRIPT, "ask", *options, "-"], input=stdin, capture_output=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    return done.stdout


def test_answers_from_two_workers_are_the_same_bytes_in_the_same_order_as_from_one():
    stdin = _lines(2 * BATCH + 40)  # three batches
    one = _ask("--json", "--jobs", "1", stdin=stdin)
    two = _ask("--json", "--jobs", "2", stdin=stdin)
    assert two == one
    answers = [json.loads(line) for line in two.decode("utf-8").splitlines()]
    assert len(answers) == 2 * BATCH + 40
    assert [a["question"].rsplit(" ", 1)[-1] for a in answers] == [
        str(i) for i in range(2 * BATCH + 40)
    ]
    assert answers[0]["answered"] and not answers[4]["answered"]
    assert answers[5]["question"].startswith("how do we keep employers on board")
    assert "\ufffd" in answers[5]["question"]


def test_text_answers_from_workers_read_as_from_one_process():
    stdin = _lines(BATCH + 3)
    one = _ask("--jobs", "1", stdin=stdin)
    two = _ask("--jobs", "2", stdin=stdin)
    assert two == one
    assert b"The five success factors" in two


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_a_bad_number_of_jobs_is_refused_with_a_clear_message(value):
    done = subprocess.run(
        [SCRIPT, "ask", "--jobs", value, "-"], input=b"", capture_output=True, timeout=120
    )
    assert done.returncode == 2
    assert b"must be a whole number of processes, 1 or more" in done.stderr
    assert b"Traceback" not in done.stderr


def _slow_for_early(batch: list[str]) -> str:
    if batch[0] == "boom":
        raise ValueError("a worker's failure")
    # The first batches take longest, so later ones are done first.
    time.sleep(0.2 / (int(batch[0]) + 1))
    return ",".join(batch) + ";"


def test_texts_come_in_the_order_of_their_batches_whichever_worker_finishes_first():
    batches = [[str(i), str(i)] for i in range(7)]
    with workers.answered(_slow_for_early, batches, jobs=2) as texts:
        got = list(texts)
    assert got == [(f"{i},{i};", 2) for i in range(7)]


def test_a_workers_failure_is_raised_after_the_texts_before_it():
    batches = [["0"], ["1"], ["boom"], ["3"]]
    seen = []
    with (
        pytest.raises(ValueError, match="a worker's failure"),
        workers.answered(_slow_for_early, batches, jobs=2) as texts,
    ):
        for text, _ in texts:
            seen.append(text)
    assert seen == ["0;", "1;"]


def test_one_batch_is_answered_in_this_process_without_workers():
    calls = []

    def work(batch: list[str]) -> str:  # seen here only when run in this process
        calls.append(batch)
        return "-".join(batch)

    with workers.answered(work, [["a", "b"]], jobs=4) as texts:
        assert list(texts) == [("a-b", 2)]
    assert calls == [["a", "b"]]
