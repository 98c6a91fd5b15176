"""``pact-advisor ask``: questions answered from the guidance, one or one per line."""

from __future__ import annotations

import argparse
import io
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TextIO

import orjson

from pact_advisor.cli.common import (
    UsageError,
    add_context,
    add_format,
    add_language,
    context,
    is_terminal,
    load_advisor,
    locale_language,
    show,
    text_lines,
    valid_text,
)
from pact_advisor.cli.parser import PROG, add_command
from pact_advisor.cli.progress import progress
from pact_advisor.cli.workers import answered, default_jobs

if TYPE_CHECKING:
    from pact_advisor.app import Advisor, Answer

#: Questions read from standard input are answered in batches of this many.
BATCH = 256
#: A JSON Lines record: one object and its newline (numbers from NumPy as plain numbers).
_JSON_LINE = orjson.OPT_APPEND_NEWLINE | orjson.OPT_SERIALIZE_NUMPY


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "ask",
        help="answer one question",
        description="Answer a question with advice, the source quoted and cited.",
        example_lines=(
            f'{PROG} ask "how do we keep employers on board in a talent partnership?"',
            f'{PROG} ask --partner Morocco "what are the success factors?"',
            f'{PROG} ask --format json "comment impliquer la diaspora ?"',
            f"{PROG} ask --json - < questions.txt > answers.jsonl",
        ),
    )
    p.add_argument(
        "question",
        nargs="*",
        type=valid_text,
        help='the question, in quotes; "-" reads one question per line from standard input',
    )
    p.add_argument(
        "--json", action="store_true", help="one JSON object per question (--format json)"
    )
    p.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        help="with -: processes answering at once (default: one per core, on Linux)",
    )
    p.add_argument("--detail", action="store_true", help="show the full item, not just the advice")
    add_context(p)
    add_format(p)
    add_language(p, question=True)
    p.set_defaults(func=cmd_ask)


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of processes, 1 or more: {value!r}"
        )
    return jobs


def _questions_from_stdin(stream: TextIO) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in text_lines(stream):
        batch.append(line.rstrip("\r\n"))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _print_answers(
    advisor: Advisor, answers: Iterable[Answer], out: TextIO, *, fmt: str, spaced: bool
) -> None:
    """Each answer in ``fmt`` (``spaced``: followed by a blank line), or as one JSON line."""
    for answer in answers:
        if fmt == "json":
            payload = answer.result.as_dict()
            payload["text"] = advisor.text(answer)
            # orjson: always valid UTF-8 JSON, in a tenth of the json module's time.
            out.write(orjson.dumps(payload, option=_JSON_LINE).decode())
            continue
        show(
            fmt,
            out,
            plain=lambda a=answer: advisor.text(a),
            markdown=lambda a=answer: advisor.text(a, "markdown"),
        )
        if spaced:
            out.write("\n")


def cmd_ask(args: argparse.Namespace, out: TextIO) -> int:
    question = " ".join(args.question)
    from_stdin = question == "-"
    if not from_stdin and not question.strip():
        raise UsageError(f'ask needs a question, e.g. {PROG} ask "what are the success factors?"')
    fmt = "json" if args.json else args.format
    advisor = load_advisor(args, eager=True)
    given = context(args)
    languages = {"language": args.lang, "fallback": locale_language()}
    if not from_stdin:
        answer = advisor.answer(question, context=given, detail=args.detail, **languages)
        _print_answers(advisor, [answer], out, fmt=fmt, spaced=False)
        return 0
    if fmt == "json" and isinstance(out, io.TextIOWrapper):
        out.reconfigure(encoding="utf-8")  # JSON Lines are UTF-8, whatever the locale

    def answers(batch: list[str]) -> list[Answer]:
        return advisor.answer_many(batch, given, detail=args.detail, **languages)

    batches = _questions_from_stdin(args.stdin)
    if is_terminal(out):  # rendered for this terminal, as each batch is answered
        for batch in batches:
            _print_answers(advisor, answers(batch), out, fmt=fmt, spaced=True)
            out.flush()
        return 0

    def text_of(batch: list[str]) -> str:
        text = io.StringIO()
        _print_answers(advisor, answers(batch), text, fmt=fmt, spaced=True)
        return text.getvalue()

    jobs = args.jobs or default_jobs()
    with (
        answered(text_of, batches, jobs, prepare=advisor.prepare_for_batches) as texts,
        progress("Answering") as advance,
    ):
        for text, count in texts:
            out.write(text)
            out.flush()
            advance(count)
    return 0
