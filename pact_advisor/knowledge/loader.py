"""Load and validate a guidance folder.

Every problem is collected, not just the first, and each names the file, the line and the
field: ``guidance/diaspora.yaml:42: diaspora.umbrella: checklist: at least 2 steps required``.
YAML is only ever read with the safe loader.

A missing or unusable translation is a warning, not a problem: the guidance loads, the field
is shown in English, and :attr:`Guidance.warnings` lists it in the same form.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from pact_advisor import collector
from pact_advisor.knowledge.errors import GuidanceError, Problem, display_path
from pact_advisor.knowledge.models import (
    Collection,
    CollectionFile,
    ContextNames,
    Glossary,
    Item,
    Negatives,
    Rules,
)
from pact_advisor.knowledge.problems import (
    plain_subject,
    pydantic_problems,
    slot_problems,
    validate_part,
)
from pact_advisor.knowledge.quotes import check_quotes
from pact_advisor.knowledge.sources import Document, load_sources, source_files
from pact_advisor.knowledge.translations import checked_item, collection_notes
from pact_advisor.knowledge.yaml_lines import Path_, YamlProblem, line_for, read_yaml

__all__ = ["Guidance", "GuidanceError", "Problem", "guidance_version", "load_guidance"]

GLOSSARY_FILE = "glossary.yaml"
RULES_FILE = "rules.yaml"
CONTEXT_FILE = "context.yaml"
NEGATIVES_FILE = "negatives.yaml"
#: Questions the guidance must keep answering with their item (see knowledge.curate).
REGRESSIONS_FILE = "regressions.yaml"
NOT_COLLECTIONS = (GLOSSARY_FILE, RULES_FILE, CONTEXT_FILE, NEGATIVES_FILE, REGRESSIONS_FILE)


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
    #: The source documents in ``sources/``, by id, every quote checked against its own.
    sources: Mapping[str, Document] = field(default_factory=dict)

    def items_in(self, collection_id: str) -> tuple[Item, ...]:
        return self._by_collection.get(collection_id, ())

    def counts(self) -> dict[str, int]:
        return {cid: len(self.items_in(cid)) for cid in self.collections}


#: Far larger than any real guidance file (the largest is about 70 kB): a bigger one is refused
#: before it is read, so a stray dump or a hostile file cannot exhaust memory.
MAX_FILE_BYTES = 1_000_000


def _read(path: Path, problems: list[Problem]) -> str | None:
    """Phase 1, read: the file's text, or ``None`` after noting why it cannot be read."""
    file = display_path(path)
    try:
        # Guidance files sit directly in the folder; a link may not lead out of it.
        resolved = path.resolve(strict=True)
        if path.is_symlink() and resolved.parent != path.parent.resolve():
            problems.append(
                Problem(file, None, "", "symbolic link pointing outside the guidance folder")
            )
            return None
        if not resolved.is_file():  # a folder, a FIFO or a device: never block reading it
            problems.append(Problem(file, None, "", "not a regular file"))
            return None
        with open(resolved, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        problems.append(Problem(file, None, "", f"cannot read file: {exc}"))
        return None
    if len(data) > MAX_FILE_BYTES:
        problems.append(Problem(file, None, "", f"file too large (over {MAX_FILE_BYTES:,} bytes)"))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.append(Problem(file, line, "", f"not UTF-8 text (byte 0x{data[exc.start]:02x})"))
        return None


def _parse(path: Path, text: str, problems: list[Problem]) -> tuple[Any, dict[Path_, int]]:
    """Phase 2, parse: the YAML mapping at the top of ``text`` and the line of each key."""
    file = display_path(path)
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
        problems.extend(pydantic_problems(exc, data, lines, display_path(path), subject_of))
        return None


def _load_file(
    model: type[BaseModel], path: Path, problems: list[Problem], subject_of
) -> tuple[Any, dict, Any]:
    """Read, parse and validate one file: the model (or ``None``), the lines of its keys and
    the data as parsed (for cross-checks that still run when validation failed)."""
    text = _read(path, problems)
    if text is None:
        return None, {}, None
    data, lines = _parse(path, text, problems)
    if data is None:
        return None, {}, None
    return _validate(model, path, data, lines, problems, subject_of), lines, data


@dataclass
class _Collections:
    """The collections and items read so far, and where each item was defined."""

    collections: dict[str, Collection] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)
    by_collection: dict[str, tuple[Item, ...]] = field(default_factory=dict)
    where: dict[str, tuple[str, Mapping[Path_, int], Path_]] = field(default_factory=dict)
    #: Ids of items that are defined but invalid: already reported, so a reference to one
    #: is not reported again as an unknown id.
    broken: set[str] = field(default_factory=set)
    #: Collections whose file could not be read or parsed: nothing in them is known.
    unreadable: set[str] = field(default_factory=set)

    def reported(self, ref: str) -> bool:
        """Whether ``ref`` names something already reported as invalid or unreadable."""
        return ref in self.broken or ref.split(".", 1)[0] in self.unreadable

    #: Missing or inconsistent translations: reported, never fatal.
    warnings: list[Problem] = field(default_factory=list)


def _load_collections(paths: Iterable[Path], problems: list[Problem]) -> _Collections:
    """Every collection file read and parsed; its header and each item validated on its own,
    so that one bad item costs only itself and every problem is reported once."""
    found = _Collections()
    for path in paths:
        text = _read(path, problems)
        data, lines = _parse(path, text, problems) if text is not None else (None, {})
        if data is None:
            found.unreadable.add(path.stem)
        else:
            _add_collection_file(found, path, data, lines, problems)
    return found


def _add_collection_file(
    found: _Collections,
    path: Path,
    data: dict[str, Any],
    lines: Mapping[Path_, int],
    problems: list[Problem],
) -> None:
    file = display_path(path)
    for key in data:
        if key not in CollectionFile.model_fields:
            problems.append(Problem(file, line_for(lines, (key,)), "", f"{key}: unknown key"))
    coll = validate_part(Collection, data, ("collection",), file, lines, problems)
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        where = line_for(lines, ("items",)) or 1
        problems.append(Problem(file, where, "", "items: a list of at least one item is required"))
        raw_items = []
    collection_id = coll.id if coll is not None else path.stem
    if coll is None:
        found.broken.add(path.stem)
    if coll is not None and not _add_collection(found, path, coll, lines, problems):
        return
    kept = []
    for index, raw in enumerate(raw_items):
        item = validate_part(Item, data, ("items", index), file, lines, problems)
        if item is None:
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                found.broken.add(raw["id"])
        else:
            added = _add_item(found, item, collection_id, file, lines, ("items", index), problems)
            if added is not None:
                kept.append(added)
    if coll is not None:
        found.by_collection[coll.id] = tuple(kept)


def _add_collection(
    found: _Collections,
    path: Path,
    coll: Collection,
    lines: Mapping[Path_, int],
    problems: list[Problem],
) -> bool:
    """Keep ``coll``, unless its id is taken (then ``False``)."""
    file = display_path(path)
    line = line_for(lines, ("collection", "id"))
    if coll.id != path.stem:
        problems.append(
            Problem(file, line, coll.id, f"collection.id: must match the file name {path.stem!r}")
        )
    if coll.id in found.collections:
        problems.append(Problem(file, line, coll.id, "collection.id: duplicate collection id"))
        return False
    found.collections[coll.id] = coll
    found.warnings.extend(
        Problem(file, line_for(lines, note.path), coll.id, note.message)
        for note in collection_notes(coll)
    )
    return True


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
    problems.extend(slot_problems(item, lines, base, file))
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
            if found.reported(ref):
                continue  # the item is there but invalid, and already reported
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
    #: The line of each key and list entry of ``rules.yaml``, and its data as parsed.
    rules_lines: Mapping[Path_, int] = field(default_factory=dict)
    rules_data: Any = None


def _load_support(root: Path, problems: list[Problem]) -> _Support:
    """The glossary, context names and negatives (all optional) and the rules, validated."""
    glossary = Glossary()
    if (root / GLOSSARY_FILE).exists():
        parsed, _, _ = _load_file(
            Glossary, root / GLOSSARY_FILE, problems, plain_subject("glossary")
        )
        glossary = parsed or glossary
    names = ContextNames()
    if (root / CONTEXT_FILE).exists():
        parsed, _, _ = _load_file(
            ContextNames, root / CONTEXT_FILE, problems, plain_subject("context")
        )
        names = parsed or names
    negatives: Mapping[str, tuple[str, ...]] = {}
    if (root / NEGATIVES_FILE).exists():
        pool, _, _ = _load_file(
            Negatives, root / NEGATIVES_FILE, problems, plain_subject("negatives")
        )
        negatives = pool.negatives if pool else negatives
    rules_path = root / RULES_FILE
    rules, rules_lines, rules_data = None, {}, None
    if rules_path.exists():
        rules, rules_lines, rules_data = _load_file(
            Rules, rules_path, problems, plain_subject("rules")
        )
    else:
        problems.append(Problem(display_path(rules_path), None, "", "missing rules file"))
    return _Support(glossary, names, negatives, rules, rules_lines, rules_data)


def _check_rule_targets(
    support: _Support, found: _Collections, rules_path: Path, problems: list[Problem]
) -> None:
    """Phase 4, cross-check: every mention names a collection or item that exists (checked
    on the parsed rules, so that it runs even when another rule is invalid)."""
    data = support.rules_data
    mentions = data.get("mentions") if isinstance(data, dict) else None
    known = found.collections.keys() | found.items.keys() | found.broken
    for index, rule in enumerate(mentions if isinstance(mentions, list) else []):
        about = rule.get("about") if isinstance(rule, dict) else None
        for place, target in enumerate(about if isinstance(about, list) else []):
            if isinstance(target, str) and target not in known and not found.reported(target):
                line = line_for(support.rules_lines, ("mentions", index, "about", place))
                problems.append(
                    Problem(
                        display_path(rules_path),
                        line,
                        "rules",
                        f"mentions.{rule.get('name', index)}: unknown collection or item {target!r}",
                    )
                )


def _build(
    root: Path, found: _Collections, support: _Support, rules: Rules, sources: Mapping
) -> Guidance:
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
        sources=sources,
    )


def load_guidance(directory: str | Path) -> Guidance:
    """Load and validate ``directory``; raise :class:`GuidanceError` listing every problem.

    The phases: read every file, parse its YAML, validate it against the schema (each item on
    its own), cross-check references between files, and build the :class:`Guidance`. Every
    phase runs to the end, so one run reports every problem it can find.
    """
    with collector.paused():
        return _load_guidance(Path(directory))


def _load_guidance(root: Path) -> Guidance:
    shown = display_path(root)
    if not root.is_dir():
        raise GuidanceError([Problem(shown, None, "", "guidance folder not found")])

    problems: list[Problem] = []
    collection_paths = sorted(p for p in root.glob("*.yaml") if p.name not in NOT_COLLECTIONS)
    if not collection_paths:
        problems.append(Problem(shown, None, "", "no collection files (*.yaml) found"))
    found = _load_collections(collection_paths, problems)
    _check_related(found, problems)
    support = _load_support(root, problems)
    _check_rule_targets(support, found, root / RULES_FILE, problems)
    documents = load_sources(root, _read, problems, display_path)
    check_quotes(found.items, found.where, documents, problems, found.warnings, shown)
    if problems:
        raise GuidanceError(problems)
    assert support.rules is not None
    return _build(root, found, support, support.rules, {k: d for k, d in documents.items() if d})


def guidance_version(directory: str | Path) -> str:
    """Short hash of every YAML file and source document in ``directory``: what an answer's
    guidance version names."""
    root = Path(directory)
    digest = hashlib.sha256()
    # The regression file guards answers, it does not change them: not part of the version.
    files = sorted(p for p in root.glob("*.yaml") if p.name != REGRESSIONS_FILE)
    for path in [*files, *source_files(root)]:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]
