"""``pact-advisor ask`` and ``pact-advisor chat``: questions answered from the guidance."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TextIO

from pact_advisor import i18n
from pact_advisor.cli.common import (
    UsageError,
    add_context,
    add_language,
    context,
    emit,
    load_advisor,
    locale_language,
)
from pact_advisor.i18n import N_

if TYPE_CHECKING:
    from pact_advisor.app import Advisor, Answer
    from pact_advisor.engine import Turn

#: Questions read from standard input are answered in batches of this many.
BATCH = 256

QUIT = ("quit", "exit", "q", ":q", "bye")
CHAT_GREETING = N_(
    'Pact Advisor. Ask a question; "checklist" turns the last answer into one; "quit" leaves.'
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ask",
        help="answer one question",
        description="Answer a question with advice, the source quoted and cited.",
    )
    p.add_argument(
        "question",
        nargs="*",
        help='the question, in quotes; "-" reads one question per line from standard input',
    )
    p.add_argument("--json", action="store_true", help="print one JSON object per question")
    p.add_argument("--detail", action="store_true", help="show the full item, not just the advice")
    add_context(p)
    add_language(p, question=True)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser(
        "chat",
        help="interactive conversation with follow-ups",
        description='Ask questions in a loop. Follow-ups such as "tell me more", "what about Morocco?" or "checklist" refer to the last answer; "quit" leaves.',
    )
    add_context(p)
    add_language(p, question=True)
    p.set_defaults(func=cmd_chat)


def _questions_from_stdin(stream: TextIO) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in stream:
        batch.append(line.rstrip("\r\n"))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _print_answers(
    advisor: Advisor, answers: Iterable[Answer], out: TextIO, *, as_json: bool, spaced: bool
) -> None:
    """Each answer as text (``spaced``: followed by a blank line), or as one JSON line."""
    for answer in answers:
        text = advisor.text(answer)
        if as_json:
            payload = answer.result.as_dict()
            payload["text"] = text
            out.write(json.dumps(payload, ensure_ascii=False) + "\n")
        else:
            emit(text, out)
            if spaced:
                out.write("\n")


def cmd_ask(args: argparse.Namespace, out: TextIO) -> int:
    question = " ".join(args.question)
    from_stdin = question == "-"
    if not from_stdin and not question.strip():
        raise UsageError(
            'ask needs a question, e.g. pact-advisor ask "what are the success factors?"'
        )
    advisor = load_advisor(args, eager=True)
    given = context(args)
    languages = {"language": args.lang, "fallback": locale_language()}
    if from_stdin:
        for batch in _questions_from_stdin(args.stdin):
            answers = advisor.answer_many(batch, given, detail=args.detail, **languages)
            _print_answers(advisor, answers, out, as_json=args.json, spaced=True)
            out.flush()
    else:
        answer = advisor.answer(question, context=given, detail=args.detail, **languages)
        _print_answers(advisor, [answer], out, as_json=args.json, spaced=False)
    return 0


def cmd_chat(args: argparse.Namespace, out: TextIO) -> int:
    advisor = load_advisor(args, eager=True)
    given = context(args)
    stream: TextIO = args.stdin
    interactive = stream.isatty()
    fallback = locale_language()
    if interactive:
        emit(i18n.translate(args.lang or fallback or i18n.SOURCE, CHAT_GREETING), out)
    previous: Turn | None = None
    # A follow-up too short to tell its language ("checklist") stays in the conversation's.
    while True:
        if interactive:
            out.write("you> ")
            out.flush()
        line = stream.readline()
        if not line:
            break
        question = line.strip()
        if not question:
            continue
        if question.lower() in QUIT:
            break
        answer = advisor.answer(question, previous, given, language=args.lang, fallback=fallback)
        emit(advisor.text(answer), out)
        out.write("\n")
        out.flush()
        if answer.result.answered:
            previous = answer.result.turn()
            fallback = answer.language
    return 0
