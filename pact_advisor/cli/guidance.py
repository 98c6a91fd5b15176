"""Commands over the guidance itself: ``checklist``, ``topics``, ``show`` and ``validate``.

None of them retrieves anything, so none of them builds the engine (or imports
scikit-learn).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from pact_advisor.cli.common import (
    EXIT_PROBLEM,
    EXIT_USAGE,
    add_context,
    add_language,
    context,
    emit,
    load_advisor,
    output_language,
)
from pact_advisor.knowledge import GuidanceError, load_guidance
from pact_advisor.resources import guidance_dir


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "checklist",
        help="a checklist for a topic",
        description="Print a checklist for a collection, an item or the composite `readiness` review, filled in for a partner country, sector and programme.",
    )
    p.add_argument("topic", help="a collection id, an item id, or readiness")
    add_context(p)
    p.add_argument(
        "--format",
        choices=("text", "md", "json"),
        default="text",
        help="output format (default: text; md is a GitHub task list)",
    )
    add_language(p)
    p.set_defaults(func=cmd_checklist)

    p = sub.add_parser(
        "topics",
        help="list collections and items",
        description="List the guidance collections and their items, with ids.",
    )
    add_language(p)
    p.set_defaults(func=cmd_topics)

    p = sub.add_parser(
        "show",
        help="show one guidance item",
        description="Show everything about one guidance item: summary, advice, quote, source, checklist.",
    )
    p.add_argument("id", help="item id, e.g. diaspora.umbrella-networks")
    add_context(p)
    add_language(p)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser(
        "validate",
        help="check a guidance folder",
        description="Validate a guidance folder and report every problem with file, line and field.",
    )
    p.add_argument("dir", nargs="?", help="folder to check (default: the guidance in use)")
    p.add_argument(
        "--strict",
        action="store_true",
        help="fail (exit 1) on warnings too, such as missing French or Spanish text",
    )
    p.set_defaults(func=cmd_validate)


def cmd_checklist(args: argparse.Namespace, out: TextIO) -> int:
    from pact_advisor.checklists import UnknownTopic

    advisor = load_advisor(args)
    try:
        checklist = advisor.checklist(args.topic, context(args), output_language(args))
    except UnknownTopic as exc:
        sys.stderr.write(f"unknown topic {args.topic!r}. Valid topics:\n")
        for topic in exc.topics:
            sys.stderr.write(f"  {topic}\n")
        return EXIT_USAGE
    if args.format == "json":
        out.write(json.dumps(checklist.as_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        emit(advisor.renderer.render_checklist(checklist, fmt=args.format), out)
    return 0


def cmd_topics(args: argparse.Namespace, out: TextIO) -> int:
    emit(load_advisor(args).renderer.render_topics(language=output_language(args)), out)
    return 0


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    advisor = load_advisor(args)
    if args.id not in advisor.guidance.items:
        sys.stderr.write(f"unknown item {args.id!r}; `pact-advisor topics` lists them\n")
        return EXIT_USAGE
    emit(advisor.renderer.render_item(args.id, context(args), language=output_language(args)), out)
    return 0


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    directory = guidance_dir(args.dir or args.guidance)
    try:
        guidance = load_guidance(directory)
    except GuidanceError as exc:
        for problem in exc.problems:
            emit(str(problem), out)
        noun = "problem" if len(exc.problems) == 1 else "problems"
        emit(f"FAILED: {len(exc.problems)} {noun} in {directory}", out)
        return EXIT_PROBLEM
    counts = guidance.counts()
    for warning in guidance.warnings:
        emit(f"warning: {warning}", out)
    warned = f", {len(guidance.warnings)} warning{'s' * (len(guidance.warnings) != 1)}"
    emit(
        f"OK: {sum(counts.values())} items in {len(counts)} collections "
        f"(guidance version {guidance.version}{warned if guidance.warnings else ''})",
        out,
    )
    width = max(len(c) for c in counts)
    for collection, count in counts.items():
        emit(f"  {collection:<{width}}  {count}", out)
    return EXIT_PROBLEM if args.strict and guidance.warnings else 0
