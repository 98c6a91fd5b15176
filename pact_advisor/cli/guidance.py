"""Commands over the guidance itself: ``checklist``, ``topics``, ``show`` and ``validate``.

None of them retrieves anything, so none of them builds the engine (or imports
scikit-learn).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from pact_advisor.cli.common import (
    EXIT_PROBLEM,
    EXIT_USAGE,
    add_context,
    add_format,
    add_language,
    context,
    emit,
    emit_json,
    load_advisor,
    output_language,
    show,
    valid_text,
)
from pact_advisor.cli.curation import gate, overdue_warnings
from pact_advisor.cli.parser import PROG, add_command, either
from pact_advisor.knowledge import GuidanceError
from pact_advisor.resources import guidance_dir


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "checklist",
        help="a checklist for a topic",
        description="Print a checklist for a collection, an item or the composite `readiness` review, filled in for a partner country, sector and programme.",
        example_lines=(
            f"{PROG} checklist readiness --partner Morocco --sector agriculture",
            f'{PROG} checklist "success factors" --format md > checklist.md',
            f"{PROG} checklist diaspora.umbrella-networks --format json",
        ),
    )
    p.add_argument(
        "topic", type=valid_text, help="a collection id or title, an item id, or readiness"
    )
    add_context(p)
    add_format(p)
    add_language(p)
    p.set_defaults(func=cmd_checklist)

    p = add_command(
        sub,
        "topics",
        help="list collections and items",
        description="List the guidance collections and their items, with ids.",
        example_lines=(f"{PROG} topics", f"{PROG} topics --format json"),
    )
    add_format(p)
    add_language(p)
    p.set_defaults(func=cmd_topics)

    p = add_command(
        sub,
        "show",
        help="show one guidance item",
        description="Show everything about one guidance item: summary, advice, quote, source, checklist.",
        example_lines=(
            f"{PROG} show diaspora.umbrella-networks",
            f"{PROG} show talent-partnerships.public-private --partner Morocco --format md",
        ),
    )
    p.add_argument("id", type=valid_text, help="item id, e.g. diaspora.umbrella-networks")
    add_context(p)
    add_format(p)
    add_language(p)
    p.set_defaults(func=cmd_show)
    _register_validate(sub)


def _register_validate(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "validate",
        help="check a guidance folder",
        description="Validate a guidance folder and report every problem with file, line and field.",
        example_lines=(
            f"{PROG} validate",
            f"{PROG} validate ./our-guidance",
            f"{PROG} validate --gate   # exit 1 if a regression or an eval bar fails",
        ),
    )
    p.add_argument("dir", nargs="?", help="folder to check (default: the guidance in use)")
    p.add_argument(
        "--strict",
        action="store_true",
        help="fail (exit 1) on warnings too, such as missing French or Spanish text",
    )
    p.add_argument(
        "--gate",
        action="store_true",
        help="also run the quality gate: regressions.yaml and the eval test splits' bars",
    )
    p.set_defaults(func=cmd_validate)


def not_found(what: str, typed: str, suggestions: Sequence[str], listing: str) -> str:
    """ "unknown topic 'x'. Did you mean a or b?" and where to see them all."""
    hint = f" Did you mean {either(suggestions)}?" if suggestions else ""
    return f"unknown {what} {typed!r}.{hint} `{listing}` lists them all."


def cmd_checklist(args: argparse.Namespace, out: TextIO) -> int:
    from pact_advisor.checklists import UnknownTopic

    advisor = load_advisor(args)
    try:
        checklist = advisor.checklist(args.topic, context(args), output_language(args))
    except UnknownTopic as exc:
        listing = f"{PROG} topics"
        sys.stderr.write(f"{PROG}: {not_found('topic', args.topic, exc.suggestions, listing)}\n")
        if not exc.suggestions:
            collections = [t for t in exc.topics if "." not in t]
            sys.stderr.write(f"Topics: {', '.join(collections)}, or an item id.\n")
        return EXIT_USAGE
    if args.format == "json":
        emit_json(checklist.as_dict(), out)
        return 0
    renderer = advisor.renderer
    show(
        args.format,
        out,
        plain=lambda: renderer.render_checklist(checklist, fmt="text"),
        markdown=lambda: renderer.render_checklist(checklist, fmt="md"),
    )
    return 0


def cmd_topics(args: argparse.Namespace, out: TextIO) -> int:
    advisor = load_advisor(args)
    language = output_language(args)
    renderer = advisor.renderer
    if args.format == "json":
        emit_json(_topics_json(renderer.views.topics(language).variables), out)
        return 0
    show(
        args.format,
        out,
        plain=lambda: renderer.render_topics(language=language),
        markdown=lambda: renderer.render_topics("markdown", language),
    )
    return 0


def _topics_json(view: Any) -> dict[str, Any]:
    return {
        "guidance_version": view["version"],
        "collections": [
            {
                "id": c["id"],
                "title": c["title"],
                "description": c["description"],
                "items": c["members"],
            }
            for c in view["collections"]
        ],
    }


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    from pact_advisor.render import UnknownItem

    advisor = load_advisor(args)
    renderer, given = advisor.renderer, context(args)
    try:
        view = renderer.views.item(args.id, given)
    except UnknownItem as exc:
        listing = f"{PROG} topics"
        sys.stderr.write(f"{PROG}: {not_found('item', args.id, exc.suggestions, listing)}\n")
        return EXIT_USAGE
    if args.format == "json":
        emit_json(_item_json(view.variables), out)
        return 0
    item_id = view.variables["item"]["id"]
    show(
        args.format,
        out,
        plain=lambda: renderer.render_item(item_id, given, language=output_language(args)),
        markdown=lambda: renderer.render_item(item_id, given, "markdown", output_language(args)),
    )
    return 0


def _item_json(view: Any) -> dict[str, Any]:
    item = view["item"]
    return {
        "id": item["id"],
        "title": item["title"],
        "collection": item["collection"]["id"],
        "summary": item["summary"],
        "advice": item["advice"],
        "checklist": list(item["steps"]),
        "quote": item["quote"],
        "source": {k: v for k, v in item["source"].items() if k != "year_shown"},
        "related": [r["id"] for r in item["related"]],
        "keywords": item["keywords"],
        "examples": item["examples"],
        "context": view["context"],
        "guidance_version": view["version"],
    }


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    from pact_advisor.knowledge import load_guidance
    from pact_advisor.knowledge.rendering import check_rendering

    directory = guidance_dir(args.dir or args.settings.guidance)
    try:
        guidance = load_guidance(directory)
        check_rendering(guidance)  # what loads may still fail, or loop, when rendered
    except GuidanceError as exc:
        for problem in exc.problems:
            emit(str(problem), out)
        noun = "problem" if len(exc.problems) == 1 else "problems"
        emit(f"FAILED: {len(exc.problems)} {noun} in {directory}", out)
        return EXIT_PROBLEM
    counts = guidance.counts()
    warnings = [str(w) for w in guidance.warnings] + overdue_warnings(guidance)
    for warning in warnings:
        emit(f"warning: {warning}", out)
    warned = f", {len(warnings)} warning{'s' * (len(warnings) != 1)}"
    emit(
        f"OK: {sum(counts.values())} items in {len(counts)} collections "
        f"(guidance version {guidance.version}{warned if warnings else ''})",
        out,
    )
    width = max(len(c) for c in counts)
    for collection, count in counts.items():
        emit(f"  {collection:<{width}}  {count}", out)
    if args.gate and not gate(directory, args, out):
        return EXIT_PROBLEM
    return EXIT_PROBLEM if args.strict and warnings else 0
