"""Problems found in a guidance folder, and how a validation error becomes them.

Each problem names the file, the line and the field:
``guidance/diaspora.yaml:42: diaspora.umbrella: checklist: at least 2 steps required``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from typing import Any

import jinja2
from pydantic import BaseModel, ValidationError

from pact_advisor.knowledge.errors import Problem
from pact_advisor.knowledge.models import CONTEXT_SLOTS, Item
from pact_advisor.knowledge.translations import slot_use
from pact_advisor.knowledge.yaml_lines import Path_, line_for

_PYDANTIC_WORDING = {
    "extra_forbidden": "unknown key",
    "missing": "required field is missing",
}


def field_name(loc: Path_) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _misspelt(errors: list[dict[str, Any]]) -> dict[Path_, str]:
    """Unknown keys that are a misspelling of a missing field, and that field: one typo is
    one problem ("titel: unknown key (did you mean title?)"), not two."""
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing" and e["loc"]}
    found: dict[Path_, str] = {}
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] != "extra_forbidden" or not loc or not isinstance(loc[-1], str):
            continue
        fields = [m[-1] for m in missing if m[:-1] == loc[:-1] and isinstance(m[-1], str)]
        close = difflib.get_close_matches(loc[-1], fields, n=1, cutoff=0.7)
        if close:
            found[loc] = close[0]
            missing.discard((*loc[:-1], close[0]))
    return found


def pydantic_problems(
    exc: ValidationError,
    data: Any,
    lines: Mapping[Path_, int],
    file: str,
    subject_of,
    prefix: Path_ = (),
) -> Iterator[Problem]:
    """Every error of ``exc`` as a problem; ``prefix`` is where the validated part sits."""
    errors = [{**e, "loc": (*prefix, *e["loc"])} for e in exc.errors()]
    misspelt = _misspelt(errors)
    meant = {(*loc[:-1], name) for loc, name in misspelt.items()}
    for err in errors:
        loc: Path_ = tuple(err["loc"])
        if err["type"] == "missing" and loc in meant:
            continue
        message = _PYDANTIC_WORDING.get(err["type"]) or err["msg"].removeprefix("Value error, ")
        if loc in misspelt:
            message += f" (did you mean {misspelt[loc]}?)"
        subject, field_loc = subject_of(data, loc)
        yield Problem(file, line_for(lines, loc), subject, f"{field_name(field_loc)}: {message}")


def collection_subject(data: Any, loc: Path_) -> tuple[str, Path_]:
    """``diaspora.umbrella`` and ``checklist`` for ``('items', 3, 'checklist')``."""
    if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
        try:
            item_id = data["items"][loc[1]]["id"]
        except (KeyError, IndexError, TypeError):
            item_id = None
        return (str(item_id) if item_id else f"items[{loc[1]}]"), loc[2:] or ("item",)
    return "", loc


def plain_subject(name: str):
    return lambda data, loc: (name, loc)


def slot_problems(
    item: Item, lines: Mapping[Path_, int], base: Path_, file: str
) -> Iterator[Problem]:
    """Unknown context slots and template syntax errors in ``item``'s advice and checklist,
    and slots where none are allowed.

    Most texts hold no template syntax at all, and the rest only plain slots
    (``{{ partner }}``, ``{{ partner.de }}``): those are read with a regular expression, and
    only a text with anything else in braces is parsed by Jinja2, each distinct text once
    (:func:`~pact_advisor.knowledge.translations.slot_use`).
    """
    fields: list[tuple[Path_, str]] = [((*base, "advice"), item.advice)]
    fields += [((*base, "checklist", i), step) for i, step in enumerate(item.checklist)]
    for path, text in fields:
        if "{" not in text:
            continue
        try:
            used, _ = slot_use(text)
        except jinja2.TemplateSyntaxError as exc:
            yield Problem(
                file,
                line_for(lines, path),
                item.id,
                f"{field_name(path[len(base) :])}: template error: {exc.message}",
            )
            continue
        for slot in sorted(used - set(CONTEXT_SLOTS)):
            allowed = ", ".join(CONTEXT_SLOTS)
            yield Problem(
                file,
                line_for(lines, path),
                item.id,
                f"{field_name(path[len(base) :])}: unknown context slot {{{{ {slot} }}}} (allowed: {allowed})",
            )
    for name in ("title", "quote", "summary"):
        if "{{" in getattr(item, name) or "{%" in getattr(item, name):
            yield Problem(
                file,
                line_for(lines, (*base, name)),
                item.id,
                f"{name}: context slots are only allowed in advice and checklist",
            )


def validate_part(
    model: type[BaseModel],
    data: Any,
    loc: Path_,
    file: str,
    lines: Mapping[Path_, int],
    problems: list[Problem],
) -> Any:
    """The part of ``data`` at ``loc`` as ``model``, or ``None`` after noting its problems."""
    part = data
    for key in loc:
        part = part[key] if isinstance(part, dict | list) else None
    if part is None:
        problems.append(
            Problem(file, line_for(lines, loc), "", f"{field_name(loc)}: required field is missing")
        )
        return None
    try:
        return model.model_validate(part)
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, data, lines, file, collection_subject, loc))
        return None
