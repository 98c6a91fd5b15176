"""Load and validate a guidance folder.

Every problem is collected, not just the first, and each names the file, the line and the
field: ``guidance/diaspora.yaml:42: diaspora.umbrella: checklist: at least 2 steps required``.
YAML is only ever read with the safe loader.
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
    Negatives,
    Glossary,
    Item,
    Rules,
)

GLOSSARY_FILE = "glossary.yaml"
RULES_FILE = "rules.yaml"
CONTEXT_FILE = "context.yaml"
NEGATIVES_FILE = "negatives.yaml"
NOT_COLLECTIONS = (GLOSSARY_FILE, RULES_FILE, CONTEXT_FILE, NEGATIVES_FILE)

Path_ = tuple[str | int, ...]


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
    #: Messages the guidance does not cover, for training the coverage model.
    negatives: Mapping[str, tuple[str, ...]]
    #: Short hash of every loaded file, so an answer can be traced to the guidance it used.
    version: str
    _by_collection: Mapping[str, tuple[Item, ...]] = field(repr=False, default_factory=dict)

    def items_in(self, collection_id: str) -> tuple[Item, ...]:
        return self._by_collection.get(collection_id, ())

    def counts(self) -> dict[str, int]:
        return {cid: len(self.items_in(cid)) for cid in self.collections}


# --- YAML with line numbers -------------------------------------------------------------


class _YamlProblem(Exception):
    def __init__(self, line: int | None, message: str):
        self.line = line
        super().__init__(message)


def _read_yaml(text: str) -> tuple[Any, dict[Path_, int]]:
    """Parse ``text`` safely; return the data and the line of every mapping key and list entry."""
    # Imported here: a start-up served from the cache never parses YAML.
    import yaml

    # libyaml's safe loader when PyYAML was built with it (ten times faster); both are safe.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[Path_, int] = {}
        _index_lines(node, (), lines)
        return loader.construct_document(node), lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or str(exc)
        if "could not determine a constructor" in problem:
            problem = f"unsafe or unknown YAML tag ({problem.split('tag', 1)[-1].strip()})"
        raise _YamlProblem(line, f"YAML error: {problem}") from None
    except yaml.YAMLError as exc:
        raise _YamlProblem(None, f"YAML error: {exc}") from None
    finally:
        loader.dispose()


def _index_lines(node: Any, path: Path_, lines: dict[Path_, int]) -> None:
    import yaml

    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                raise _YamlProblem(line, f"duplicate key {key!r} (first on line {seen[key]})")
            seen[key] = line
            lines[(*path, key)] = line
            _index_lines(value_node, (*path, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            lines[(*path, index)] = child.start_mark.line + 1
            _index_lines(child, (*path, index), lines)


def _line_for(lines: Mapping[Path_, int], path: Path_) -> int | None:
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


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
        yield Problem(file, _line_for(lines, loc), subject, f"{_field_name(field_loc)}: {message}")


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
                _line_for(lines, path),
                item.id,
                f"{_field_name(path[len(base) :])}: template error: {exc.message}",
            )
            continue
        for slot in sorted(used - set(CONTEXT_SLOTS)):
            allowed = ", ".join(CONTEXT_SLOTS)
            yield Problem(
                file,
                _line_for(lines, path),
                item.id,
                f"{_field_name(path[len(base) :])}: unknown context slot {{{{ {slot} }}}} (allowed: {allowed})",
            )
    for name in ("title", "quote", "summary"):
        if "{{" in getattr(item, name) or "{%" in getattr(item, name):
            yield Problem(
                file,
                _line_for(lines, (*base, name)),
                item.id,
                f"{name}: context slots are only allowed in advice and checklist",
            )


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _parse(
    model: type[BaseModel], path: Path, problems: list[Problem], subject_of
) -> tuple[Any, dict]:
    file = _display(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(file, None, "", f"cannot read file: {exc}"))
        return None, {}
    try:
        data, lines = _read_yaml(text)
    except _YamlProblem as exc:
        problems.append(Problem(file, exc.line, "", str(exc)))
        return None, {}
    if not isinstance(data, dict):
        problems.append(Problem(file, 1, "", "expected a mapping at the top of the file"))
        return None, {}
    try:
        return model.model_validate(data), lines
    except ValidationError as exc:
        problems.extend(_pydantic_problems(exc, data, lines, file, subject_of))
        return None, lines


def load_guidance(directory: str | Path) -> Guidance:
    """Load and validate ``directory``; raise :class:`GuidanceError` listing every problem."""
    root = Path(directory)
    shown = _display(root)
    if not root.is_dir():
        raise GuidanceError([Problem(shown, None, "", "guidance folder not found")])

    problems: list[Problem] = []
    collection_paths = sorted(p for p in root.glob("*.yaml") if p.name not in NOT_COLLECTIONS)
    if not collection_paths:
        problems.append(Problem(shown, None, "", "no collection files (*.yaml) found"))

    collections: dict[str, Collection] = {}
    items: dict[str, Item] = {}
    by_collection: dict[str, tuple[Item, ...]] = {}
    where: dict[str, tuple[str, Mapping[Path_, int], Path_]] = {}

    for path in collection_paths:
        file = _display(path)
        parsed, lines = _parse(CollectionFile, path, problems, _collection_subject)
        if parsed is None:
            continue
        coll = parsed.collection
        if coll.id != path.stem:
            problems.append(
                Problem(
                    file,
                    _line_for(lines, ("collection", "id")),
                    coll.id,
                    f"collection.id: must match the file name {path.stem!r}",
                )
            )
        if coll.id in collections:
            problems.append(
                Problem(
                    file,
                    _line_for(lines, ("collection", "id")),
                    coll.id,
                    "collection.id: duplicate collection id",
                )
            )
            continue
        collections[coll.id] = coll
        kept = []
        for index, item in enumerate(parsed.items):
            base: Path_ = ("items", index)
            line = _line_for(lines, (*base, "id"))
            if item.collection != coll.id:
                problems.append(
                    Problem(
                        file, line, item.id, f"id: must start with the collection id {coll.id!r}."
                    )
                )
            if item.id in items:
                first_file, first_lines, first_base = where[item.id]
                first_line = _line_for(first_lines, (*first_base, "id"))
                problems.append(
                    Problem(
                        file,
                        line,
                        item.id,
                        f"id: duplicate id (first in {first_file}:{first_line})",
                    )
                )
                continue
            problems.extend(_slot_problems(item, lines, base, file))
            items[item.id] = item
            where[item.id] = (file, lines, base)
            kept.append(item)
        by_collection[coll.id] = tuple(kept)

    for item_id, item in items.items():
        file, lines, base = where[item_id]
        for index, ref in enumerate(item.related):
            if ref not in items:
                problems.append(
                    Problem(
                        file,
                        _line_for(lines, (*base, "related", index)),
                        item_id,
                        f"related: unknown item id {ref!r}",
                    )
                )
            elif ref == item_id:
                problems.append(
                    Problem(
                        file,
                        _line_for(lines, (*base, "related", index)),
                        item_id,
                        "related: an item cannot be related to itself",
                    )
                )

    glossary = Glossary()
    glossary_path = root / GLOSSARY_FILE
    if glossary_path.exists():
        parsed, _ = _parse(Glossary, glossary_path, problems, _plain_subject("glossary"))
        glossary = parsed or glossary

    names = ContextNames()
    names_path = root / CONTEXT_FILE
    if names_path.exists():
        parsed, _ = _parse(ContextNames, names_path, problems, _plain_subject("context"))
        names = parsed or names

    negatives: Mapping[str, tuple[str, ...]] = {}
    negatives_path = root / NEGATIVES_FILE
    if negatives_path.exists():
        parsed, _ = _parse(Negatives, negatives_path, problems, _plain_subject("negatives"))
        negatives = parsed.negatives if parsed else negatives

    rules = None
    rules_path = root / RULES_FILE
    if rules_path.exists():
        rules, _ = _parse(Rules, rules_path, problems, _plain_subject("rules"))
        if rules is not None:
            for rule in rules.mentions:
                for target in rule.about:
                    if target not in collections and target not in items:
                        problems.append(
                            Problem(
                                _display(rules_path),
                                None,
                                "rules",
                                f"mentions.{rule.name}: unknown collection or item {target!r}",
                            )
                        )
    else:
        problems.append(Problem(_display(rules_path), None, "", "missing rules file"))

    if problems:
        raise GuidanceError(problems)
    assert rules is not None
    ordered = sorted(collections.values(), key=lambda c: (c.order, c.id))
    collections = {c.id: c for c in ordered}
    items = {it.id: it for c in ordered for it in by_collection[c.id]}
    return Guidance(
        directory=root,
        collections=collections,
        items=items,
        glossary=glossary,
        rules=rules,
        names=names,
        negatives=negatives,
        version=guidance_version(root),
        _by_collection=by_collection,
    )


def guidance_version(directory: str | Path) -> str:
    """Short hash of every YAML file in ``directory``: what an answer's guidance version names."""
    digest = hashlib.sha256()
    for path in sorted(Path(directory).glob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]
