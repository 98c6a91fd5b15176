"""Load and validate a guidance folder.

Every problem is collected, not just the first, and each names the file, the line and the
field: ``guidance/diaspora.yaml:42: diaspora.umbrella: checklist: at least 2 steps required``.
YAML is only ever read with the safe loader.

A missing or unusable translation is a warning, not a problem: the guidance loads, the field
is shown in English, and :attr:`Guidance.warnings` lists it in the same form.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
from pydantic import BaseModel, ValidationError

from pact_advisor.knowledge.models import (
    CONTEXT_SLOTS,
    Collection,
    CollectionFile,
    ContextNames,
    Glossary,
    Item,
    Negatives,
    Rules,
)
from pact_advisor.knowledge.translations import checked_item, collection_notes
from pact_advisor.knowledge.yaml_lines import Path_, YamlProblem, line_for, read_yaml

GLOSSARY_FILE = "glossary.yaml"
RULES_FILE = "rules.yaml"
CONTEXT_FILE = "context.yaml"
NEGATIVES_FILE = "negatives.yaml"
NOT_COLLECTIONS = (GLOSSARY_FILE, RULES_FILE, CONTEXT_FILE, NEGATIVES_FILE)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a guidance folder."""

    file: str
    line: int | None
    subject: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.subject}: {self.message}"
            if self.subject
            else f"{where}: {self.message}"
        )


class GuidanceError(Exception):
    """The guidance folder could not be loaded; ``problems`` lists every reason."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Guidance:
    """Everything loaded from one guidance folder. Read-only once built."""

    directory: Path
    collections: Mapping[str, Collection]
    items: Mapping[str, Item]
    glossary: Glossary
    rules: Rules
    names: ContextNames
    #: Messages the guidance does not cover, by kind, for training the coverage model.
    negatives: Mapping[str, tuple[str, ...]]
    #: Short hash of every loaded file, so an answer can be traced to the guidance it used.
    version: str
    _by_collection: Mapping[str, tuple[Item, ...]] = field(repr=False, default_factory=dict)
    #: Missing or unusable French and Spanish text (each shown in English meanwhile).
    warnings: tuple[Problem, ...] = ()

    def items_in(self, collection_id: str) -> tuple[Item, ...]:
        return self._by_collection.get(collection_id, ())

    def counts(self) -> dict[str, int]:
        return {cid: len(self.items_in(cid)) for cid in self.collections}


# --- validation ---------------------------------------------------------------------------

_PYDANTIC_WORDING = {
    "extra_forbidden": "unknown key",
    "missing": "required field is missing",
}


def _field_name(loc: Path_) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _pydantic_problems(
    exc: ValidationError, data: Any, lines: Mapping[Path_, int], file: str, subject_of
) -> Iterator[Problem]:
    for err in exc.errors():
        loc: Path_ = tuple(err["loc"])
        message = _PYDANTIC_WORDING.get(err["type"]) or err["msg"].removeprefix("Value error, ")
        subject, field_loc = subject_of(data, loc)
        yield Problem(file, line_for(lines, loc), subject, f"{_field_name(field_loc)}: {message}")


def _collection_subject(data: Any, loc: Path_) -> tuple[str, Path_]:
    """``diaspora.umbrella`` and ``checklist`` for ``('items', 3, 'checklist')``."""
    if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
        try:
            item_id = data["items"][loc[1]]["id"]
        except (KeyError, IndexError, TypeError):
            item_id = None
        return (str(item_id) if item_id else f"items[{loc[1]}]"), loc[2:] or ("item",)
    return "", loc


def _plain_subject(name: str):
    return lambda data, loc: (name, loc)


_SLOT_ENV = jinja2.Environment(autoescape=False)


def _slot_problems(
    item: Item, lines: Mapping[Path_, int], base: Path_, file: str
) -> Iterator[Problem]:
    fields: list[tuple[Path_, str]] = [((*base, "advice"), item.advice)]
    fields += [((*base, "checklist", i), step) for i, step in enumerate(item.checklist)]
    for path, text in fields:
        try:
            used = jinja2.meta.find_undeclared_variables(_SLOT_ENV.parse(text))
        except jinja2.TemplateSyntaxError as exc:
            yield Problem(
                file,
                line_for(lines, path),
                item.id,
                f"{_field_name(path[len(base) :])}: template error: {exc.message}",
            )
            continue
        for slot in sorted(used - set(CONTEXT_SLOTS)):
            allowed = ", ".join(CONTEXT_SLOTS)
            yield Problem(
                file,
                line_for(lines, path),
                item.id,
                f"{_field_name(path[len(base) :])}: unknown context slot {{{{ {slot} }}}} (allowed: {allowed})",
            )
    for name in ("title", "quote", "summary"):
        if "{{" in getattr(item, name) or "{%" in getattr(item, name):
            yield Problem(
                file,
                line_for(lines, (*base, name)),
                item.id,
                f"{name}: context slots are only allowed in advice and checklist",
            )


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _read(path: Path, problems: list[Problem]) -> str | None:
    """Phase 1, read: the file's text, or ``None`` after noting why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(_display(path), None, "", f"cannot read file: {exc}"))
        return None


def _parse(path: Path, text: str, problems: list[Problem]) -> tuple[Any, dict[Path_, int]]:
    """Phase 2, parse: the YAML mapping at the top of ``text`` and the line of each key."""
    file = _display(path)
    try:
        data, lines = read_yaml(text)
    except YamlProblem as exc:
        problems.append(Problem(file, exc.line, "", str(exc)))
        return None, {}
    if not isinstance(data, dict):
        problems.append(Problem(file, 1, "", "expected a mapping at the top of the file"))
        return None, {}
    return data, lines


def _validate(
    model: type[BaseModel],
    path: Path,
    data: Any,
    lines: Mapping[Path_, int],
    problems: list[Problem],
    subject_of,
) -> Any:
    """Phase 3, validate: ``data`` as ``model``, or ``None`` after noting every problem."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(_pydantic_problems(exc, data, lines, _display(path), subject_of))
        return None


def _load_file(
    model: type[BaseModel], path: Path, problems: list[Problem], subject_of
) -> tuple[Any, dict]:
    """Read, parse and validate one file: the model (or ``None``) and the lines of its keys."""
    text = _read(path, problems)
    if text is None:
        return None, {}
    data, lines = _parse(path, text, problems)
    if data is None:
        return None, {}
    return _validate(model, path, data, lines, problems, subject_of), lines


@dataclass
class _Collections:
    """The collections and items read so far, and where each item was defined."""

    collections: dict[str, Collection] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)
    by_collection: dict[str, tuple[Item, ...]] = field(default_factory=dict)
    where: dict[str, tuple[str, Mapping[Path_, int], Path_]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)


def _load_collections(paths: Iterable[Path], problems: list[Problem]) -> _Collections:
    """Every collection file read, parsed and validated, each item checked on its own."""
    found = _Collections()
    for path in paths:
        parsed, lines = _load_file(CollectionFile, path, problems, _collection_subject)
        if parsed is not None:
            _add_collection(found, path, parsed, lines, problems)
    return found


def _add_collection(
    found: _Collections,
    path: Path,
    parsed: CollectionFile,
    lines: Mapping[Path_, int],
    problems: list[Problem],
) -> None:
    file = _display(path)
    coll = parsed.collection
    line = line_for(lines, ("collection", "id"))
    if coll.id != path.stem:
        problems.append(
            Problem(file, line, coll.id, f"collection.id: must match the file name {path.stem!r}")
        )
    if coll.id in found.collections:
        problems.append(Problem(file, line, coll.id, "collection.id: duplicate collection id"))
        return
    found.collections[coll.id] = coll
    found.warnings.extend(
        Problem(file, line_for(lines, note.path), coll.id, note.message)
        for note in collection_notes(coll)
    )
    kept = []
    for index, item in enumerate(parsed.items):
        added = _add_item(found, item, coll.id, file, lines, ("items", index), problems)
        if added is not None:
            kept.append(added)
    found.by_collection[coll.id] = tuple(kept)


def _add_item(
    found: _Collections,
    item: Item,
    collection: str,
    file: str,
    lines: Mapping[Path_, int],
    base: Path_,
    problems: list[Problem],
) -> Item | None:
    """Check ``item`` on its own and keep it (translations checked), unless its id is taken
    (then ``None``)."""
    line = line_for(lines, (*base, "id"))
    if item.collection != collection:
        problems.append(
            Problem(file, line, item.id, f"id: must start with the collection id {collection!r}.")
        )
    if item.id in found.items:
        first_file, first_lines, first_base = found.where[item.id]
        first_line = line_for(first_lines, (*first_base, "id"))
        problems.append(
            Problem(file, line, item.id, f"id: duplicate id (first in {first_file}:{first_line})")
        )
        return None
    problems.extend(_slot_problems(item, lines, base, file))
    item, notes = checked_item(item)
    found.warnings.extend(
        Problem(file, line_for(lines, (*base, *note.path)), item.id, note.message) for note in notes
    )
    found.items[item.id] = item
    found.where[item.id] = (file, lines, base)
    return item


def _check_related(found: _Collections, problems: list[Problem]) -> None:
    """Phase 4, cross-check: every related id names another item."""
    for item_id, item in found.items.items():
        file, lines, base = found.where[item_id]
        for index, ref in enumerate(item.related):
            line = line_for(lines, (*base, "related", index))
            if ref not in found.items:
                problems.append(Problem(file, line, item_id, f"related: unknown item id {ref!r}"))
            elif ref == item_id:
                problems.append(
                    Problem(file, line, item_id, "related: an item cannot be related to itself")
                )


@dataclass(frozen=True)
class _Support:
    """Everything in the folder besides the collections."""

    glossary: Glossary
    names: ContextNames
    negatives: Mapping[str, tuple[str, ...]]
    rules: Rules | None


def _load_support(root: Path, problems: list[Problem]) -> _Support:
    """The glossary, context names and negatives (all optional) and the rules, validated."""
    glossary = Glossary()
    if (root / GLOSSARY_FILE).exists():
        parsed, _ = _load_file(Glossary, root / GLOSSARY_FILE, problems, _plain_subject("glossary"))
        glossary = parsed or glossary
    names = ContextNames()
    if (root / CONTEXT_FILE).exists():
        parsed, _ = _load_file(
            ContextNames, root / CONTEXT_FILE, problems, _plain_subject("context")
        )
        names = parsed or names
    negatives: Mapping[str, tuple[str, ...]] = {}
    if (root / NEGATIVES_FILE).exists():
        pool, _ = _load_file(
            Negatives, root / NEGATIVES_FILE, problems, _plain_subject("negatives")
        )
        negatives = pool.negatives if pool else negatives
    rules_path = root / RULES_FILE
    rules = None
    if rules_path.exists():
        rules, _ = _load_file(Rules, rules_path, problems, _plain_subject("rules"))
    else:
        problems.append(Problem(_display(rules_path), None, "", "missing rules file"))
    return _Support(glossary, names, negatives, rules)


def _check_rule_targets(
    rules: Rules, found: _Collections, rules_path: Path, problems: list[Problem]
) -> None:
    """Phase 4, cross-check: every mention names a collection or item that exists."""
    for rule in rules.mentions:
        for target in rule.about:
            if target not in found.collections and target not in found.items:
                problems.append(
                    Problem(
                        _display(rules_path),
                        None,
                        "rules",
                        f"mentions.{rule.name}: unknown collection or item {target!r}",
                    )
                )


def _build(root: Path, found: _Collections, support: _Support, rules: Rules) -> Guidance:
    """Phase 5, build: collections in their order, each collection's items in file order."""
    ordered = sorted(found.collections.values(), key=lambda c: (c.order, c.id))
    return Guidance(
        directory=root,
        collections={c.id: c for c in ordered},
        items={it.id: it for c in ordered for it in found.by_collection[c.id]},
        glossary=support.glossary,
        rules=rules,
        names=support.names,
        negatives=support.negatives,
        version=guidance_version(root),
        _by_collection=found.by_collection,
        warnings=tuple(found.warnings),
    )


def load_guidance(directory: str | Path) -> Guidance:
    """Load and validate ``directory``; raise :class:`GuidanceError` listing every problem.

    The phases: read every file, parse its YAML, validate it against the schema (each item on
    its own), cross-check references between files, and build the :class:`Guidance`. Every
    phase runs to the end, so one run reports every problem it can find.
    """
    root = Path(directory)
    shown = _display(root)
    if not root.is_dir():
        raise GuidanceError([Problem(shown, None, "", "guidance folder not found")])

    problems: list[Problem] = []
    collection_paths = sorted(p for p in root.glob("*.yaml") if p.name not in NOT_COLLECTIONS)
    if not collection_paths:
        problems.append(Problem(shown, None, "", "no collection files (*.yaml) found"))
    found = _load_collections(collection_paths, problems)
    _check_related(found, problems)
    support = _load_support(root, problems)
    if support.rules is not None:
        _check_rule_targets(support.rules, found, root / RULES_FILE, problems)
    if problems:
        raise GuidanceError(problems)
    assert support.rules is not None
    return _build(root, found, support, support.rules)


def guidance_version(directory: str | Path) -> str:
    """Short hash of every YAML file in ``directory``: what an answer's guidance version names."""
    digest = hashlib.sha256()
    for path in sorted(Path(directory).glob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]
