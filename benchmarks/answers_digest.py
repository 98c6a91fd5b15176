"""A plain-text dump of every answer the engine gives on the eval splits, to diff.

Every question of every split in ``eval/`` (key ``q``) is asked through ``Engine.ask`` one at
a time and through ``Engine.ask_many`` in one batch, with no context and with a context
(partner Morocco, sector agriculture); a sample of them is also asked as follow-ups ("tell me
more", "and for diaspora?", "what about Morocco?", ...) to the question before it. For each
answer the dump has: answered, kind of follow-up, reason, the match ids in order with their
scores rounded to 9 decimals and their "why", the suggestions, and the coverage probability.

Two dumps of the same guidance must be identical whenever the engine is changed only to make
it faster::

    python -m benchmarks.answers_digest --out /tmp/before.txt
    python -m benchmarks.answers_digest --out /tmp/after.txt && diff /tmp/before.txt /tmp/after.txt

``--cache DIR`` builds the engine through the start-up cache in ``DIR`` (a second run then
restores it from there), so the restored engine can be compared with the fitted one.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

from benchmarks.common import ROOT, log

FOLLOWUPS = (
    "tell me more",
    "and for diaspora?",
    "what about Morocco?",
    "make it a checklist",
    "and in agriculture?",
    "what about the evaluation?",
)
#: Every this many questions of a split, one is asked as each follow-up to the one before.
FOLLOWUP_EVERY = 7


def _questions(eval_dir: Path) -> list[tuple[str, list[str]]]:
    from pact_advisor.evaluation import load_questions

    return [
        (path.name, [q.q for q in load_questions(path)]) for path in sorted(eval_dir.glob("*.yaml"))
    ]


def _line(result) -> str:
    def matches(found) -> str:
        return " | ".join(f"{m.id}={m.score:.9f} why={list(m.why)!r}" for m in found)

    return (
        f"answered={result.answered} intent={result.intent} followup={result.followup} "
        f"reason={result.reason} covered={result.covered:.9f} confidence={result.confidence} "
        f"ambiguous={result.ambiguous} language={result.language} "
        f"context={result.context.as_dict()} searched={result.searched!r}\n"
        f"    matches: {matches(result.matches)}\n"
        f"    suggestions: {matches(result.suggestions)}"
    )


def dump(engine, splits: list[tuple[str, list[str]]], out) -> None:
    from pact_advisor.knowledge import Context

    contexts = (("none", None), ("morocco-agriculture", Context("Morocco", "agriculture")))
    for name, questions in splits:
        for label, context in contexts:
            single = [engine.ask(q, context=context) for q in questions]
            batch = engine.ask_many(questions, context=context)
            for i, (q, one, many) in enumerate(zip(questions, single, batch, strict=True)):
                out.write(f"[{name} #{i} {label}] {q!r}\n  ask: {_line(one)}\n")
                out.write(f"  ask_many: {_line(many)}\n" if many != one else "  ask_many: same\n")
        for i in range(1, len(questions), FOLLOWUP_EVERY):
            previous = engine.ask(questions[i - 1]).turn()
            for text in FOLLOWUPS:
                result = engine.ask(text, previous=previous)
                out.write(f"[{name} #{i} follow-up {text!r}]\n  ask: {_line(result)}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="where the dump goes")
    parser.add_argument("--eval-dir", type=Path, default=ROOT / "eval")
    parser.add_argument("--cache", type=Path, default=None, help="start-up cache folder")
    args = parser.parse_args(argv)

    from pact_advisor.app import Advisor

    start = time.perf_counter()
    if args.cache is not None:
        advisor = Advisor.load(cache_dir=args.cache, eager=True)
    else:
        advisor = Advisor.load(cache_dir=None)
    engine = advisor.engine
    log(f"engine ready in {time.perf_counter() - start:.1f} s", "digest")
    with args.out.open("w", encoding="utf-8") as out:
        dump(engine, _questions(args.eval_dir), out)
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    log(f"{args.out}: sha256 {digest} ({time.perf_counter() - start:.1f} s)", "digest")
    return 0


if __name__ == "__main__":
    sys.exit(main())
