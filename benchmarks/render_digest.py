"""Everything an answer shows, for every eval question, dumped to one file to diff.

    python -m benchmarks.render_digest OUT [--reverse]

For every question (key ``q``) of every eval split (``eval/*.yaml``), without and with a
context (partner Morocco, sector agriculture), in the question's own language and in English,
French and Spanish, short and in detail, it writes one JSON line with the terminal text, the
Markdown text and the Discord message (content, embeds as dicts, and the labels of the
components the bot adds to an answer), and the replies to its "More" and "Why this?" buttons;
then one line for each item shown in full, each collection's checklist, topics and help, in
every language (see :func:`others`). Two dumps of the same code are byte-identical; a change
to rendering that keeps the output keeps the dump.

``--reverse`` renders in the opposite order (same lines, written in the usual order): anything
a renderer keeps between answers must not change what a later answer shows.

The last line on standard output is the SHA-256 of the dump.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

from benchmarks.common import ROOT, log
from pact_advisor.app import Advisor, Answer
from pact_advisor.knowledge import Context
from pact_advisor.knowledge.translations import item_text
from pact_advisor.render import DiscordMessage
from pact_advisor.resources import guidance_dir

#: The buttons under an answer, as the Discord adapter adds them.
ANSWER_ACTIONS = ("checklist", "helpful", "unhelpful", "more", "why")
CONTEXTS = (None, Context(partner="Morocco", sector="agriculture"))
LANGUAGES = (None, "en", "fr", "es")


def questions() -> list[str]:
    """Every question of every eval split, in file order (splits by name)."""
    found = []
    for path in sorted((ROOT / "eval").glob("*.yaml")):
        cases = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        found.extend(str(case["q"]) for case in cases if "q" in case)
    return found


def _labels(advisor: Advisor, answer: Answer) -> list[str]:
    """The labels of the components the bot adds under an answer: its buttons, the related
    items' select (placeholder and options) and the close-call candidates' buttons."""
    text = advisor.renderer.discord_text
    language = answer.language
    labels = [text(f"label_{a}", language=language) for a in ANSWER_ACTIONS]
    item = advisor.guidance.items.get(answer.item_id or "")
    if item is not None and item.related:
        labels.append(text("related_placeholder", language=language))
        for r in item.related:
            if r in advisor.guidance.items:
                labels.append(item_text(advisor.guidance.items[r], language).title)
    for number, candidate in enumerate(answer.candidates, start=1):
        title = item_text(advisor.guidance.items[candidate], language).title
        labels.append(text("label_candidate", number=number, title=title, language=language))
    for suggestion in answer.suggestions:
        labels.append(item_text(advisor.guidance.items[suggestion], language).title)
    return labels


def _message(message: DiscordMessage) -> dict[str, Any]:
    return {"content": message.content, "embeds": [e.to_dict() for e in message.embeds]}


def shown(advisor: Advisor, answer: Answer) -> dict[str, Any]:
    """What ``answer`` shows on every target, with its "More" and "Why this?" replies."""
    record = {
        "kind": answer.kind,
        "language": answer.language,
        "terminal": advisor.text(answer),
        "markdown": advisor.text(answer, "markdown"),
        **_message(advisor.message(answer)),
        "labels": _labels(advisor, answer),
    }
    if answer.kind in ("answer", "programme", "ambiguous"):
        renderer, result, language = advisor.renderer, answer.result, answer.language
        record["more"] = _message(renderer.discord_more(result, language))
        record["why"] = _message(renderer.discord_why(result, language))
    return record


def others(advisor: Advisor) -> Iterator[dict[str, Any]]:
    """Everything else on every item, collection and language: each item in full (terminal,
    Markdown, Discord for members and for the guidance team), its related items, topics,
    help, and each collection's checklist (terminal, Markdown, every Discord page)."""
    renderer = advisor.renderer
    for language in ("en", "fr", "es"):
        for target in ("terminal", "markdown"):
            yield {"topics": renderer.render_topics(target, language), "language": language}
            yield {"help": renderer.render_help(target, language), "language": language}
        yield {"topics": _message(renderer.discord_topics(language)), "language": language}
        yield {"help": _message(renderer.discord_help(language)), "language": language}
        for context in CONTEXTS:
            for item_id in advisor.guidance.items:
                yield {
                    "item": item_id,
                    "language": language,
                    "context": None if context is None else context.as_dict(),
                    "terminal": renderer.render_item(item_id, context, "terminal", language),
                    "markdown": renderer.render_item(item_id, context, "markdown", language),
                    "members": _message(
                        renderer.discord_item(item_id, context, language, internal=False)
                    ),
                    "team": _message(renderer.discord_item(item_id, context, language)),
                    "related": _message(renderer.discord_related(item_id, language)),
                }
            for topic in ("readiness", *advisor.guidance.collections):
                checklist = advisor.checklist(topic, context, language)
                pages = renderer.checklist_pages(checklist)
                yield {
                    "checklist": topic,
                    "language": language,
                    "text": renderer.render_checklist(checklist, "text", {0: "Ana"}),
                    "md": renderer.render_checklist(checklist, "md"),
                    "pages": [
                        _message(renderer.discord_checklist(checklist, {1: "Ana"}, page))
                        for page in range(pages)
                    ],
                }


def cases(qs: Sequence[str]) -> Iterator[tuple[int, str, Context | None, str | None, bool]]:
    for n, q in enumerate(qs):
        for context in CONTEXTS:
            for language in LANGUAGES:
                for detail in (False, True):
                    yield n, q, context, language, detail


def dump(advisor: Advisor, qs: Sequence[str], reverse: bool = False) -> list[str]:
    """One JSON line per case, in case order (rendered backwards with ``reverse``)."""
    order = list(cases(qs))
    results: dict[tuple[int, Any, Any, bool], str] = {}
    engine = advisor.engine
    asked: dict[tuple[int, Any], Any] = {}
    for n, q, context, language, detail in reversed(order) if reverse else order:
        key = (n, context)
        if key not in asked:
            asked[key] = engine.ask(q, context=context)
        answer = advisor.answer_of(asked[key], detail=detail, language=language)
        record = {
            "n": n,
            "q": q,
            "context": None if context is None else context.as_dict(),
            "language": language,
            "detail": detail,
            **shown(advisor, answer),
        }
        results[(n, context, language, detail)] = json.dumps(record, ensure_ascii=False)
    return [results[(n, c, lang, d)] for n, _, c, lang, d in order]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="file to write the dump to")
    parser.add_argument("--reverse", action="store_true", help="render in reverse order")
    args = parser.parse_args(argv)
    advisor = Advisor.load(guidance_dir(), eager=True)
    qs = questions()
    log(f"{len(qs)} questions, {len(qs) * 16} answers", "digest")
    lines = dump(advisor, qs, args.reverse)
    lines.extend(json.dumps(record, ensure_ascii=False) for record in others(advisor))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    args.out.write_bytes(data)
    print(f"{len(lines)} lines  sha256 {hashlib.sha256(data).hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
