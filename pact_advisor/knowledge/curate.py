"""Curation: a question that missed, attached to the item that should have answered it.

The question is appended to the item's ``examples`` in its YAML file and recorded in
``regressions.yaml`` (question -> item id), both through a round-trip YAML library so that
every comment, the key order and the layout of the files stay as the curator wrote them. An
edit can be undone byte for byte, which is what the quality gate does when the new guidance
would answer worse.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pact_advisor.knowledge.yaml_lines import YamlProblem, read_yaml

REGRESSIONS_FILE = "regressions.yaml"
#: Longer than any real question; a longer text is not a question to learn from.
MAX_QUESTION = 500


class CurationError(ValueError):
    """A curation request that cannot be carried out; the message says why."""


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line the curator wrapped
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def clean_question(text: str) -> str:
    """``text`` as one line; :class:`CurationError` if it is empty or far too long."""
    question = " ".join(text.split())
    if not question:
        raise CurationError("the question is empty")
    if len(question) > MAX_QUESTION:
        raise CurationError(f"the question is longer than {MAX_QUESTION} characters")
    return question


@dataclass
class FileEdit:
    """Files changed by a curation, with their bytes before, so it can be undone."""

    before: dict[Path, bytes | None] = field(default_factory=dict)

    def keep(self, path: Path) -> None:
        if path not in self.before:
            self.before[path] = path.read_bytes() if path.exists() else None

    def undo(self) -> None:
        """Put every file back as it was (a file the edit created is removed)."""
        for path, data in self.before.items():
            if data is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(data)

    @property
    def paths(self) -> tuple[Path, ...]:
        return tuple(self.before)


def item_file(directory: Path, item_id: str) -> tuple[Path, Any, int]:
    """The collection file defining ``item_id``, its round-trip data and the item's index."""
    path = Path(directory) / f"{item_id.split('.', 1)[0]}.yaml"
    if not path.is_file():
        raise CurationError(f"unknown item {item_id!r}: no collection file {path.name}")
    data = _yaml().load(path.read_text(encoding="utf-8"))
    items = data.get("items") if isinstance(data, Mapping) else None
    ids = []
    for index, item in enumerate(items or []):
        if isinstance(item, Mapping) and item.get("id") == item_id:
            return path, data, index
        ids.append(str(item.get("id")) if isinstance(item, Mapping) else "")
    close = difflib.get_close_matches(item_id, ids, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]}?)" if close else ""
    raise CurationError(f"unknown item {item_id!r}: not in {path.name}{hint}")


def _dump(data: Any, path: Path) -> None:
    buffer = io.StringIO()
    _yaml().dump(data, buffer)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def read_regressions(directory: Path) -> dict[str, str]:
    """``regressions.yaml`` as question -> item id (empty when there is none).

    Raises :class:`CurationError` naming the line of anything that is not a question
    mapped to an item id."""
    path = Path(directory) / REGRESSIONS_FILE
    if not path.exists():
        return {}
    try:
        data, lines = read_yaml(path.read_text(encoding="utf-8"))
    except (YamlProblem, OSError, UnicodeDecodeError) as exc:
        line = getattr(exc, "line", None)
        raise CurationError(f"{path}{f':{line}' if line else ''}: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CurationError(f"{path}:1: expected a mapping of question to item id")
    for question, item_id in data.items():
        if not isinstance(question, str) or not isinstance(item_id, str):
            line = lines.get((question,), 1) if isinstance(question, str) else 1
            raise CurationError(f"{path}:{line}: expected a question mapped to an item id")
    return dict(data)


def add_example(directory: Path, item_id: str, question: str) -> FileEdit:
    """Append ``question`` to ``item_id``'s examples and to the regression file.

    Returns the :class:`FileEdit` to undo it. Raises :class:`CurationError` for an unknown
    item, an unusable question or one the item already has.
    """
    directory = Path(directory)
    question = clean_question(question)
    path, data, index = item_file(directory, item_id)
    examples = data["items"][index].get("examples")
    if examples is None:
        raise CurationError(f"{item_id} has no examples list")
    if any(" ".join(str(e).split()).lower() == question.lower() for e in examples):
        raise CurationError(f"{item_id} already has that example")
    pinned = {" ".join(q.split()).lower(): i for q, i in read_regressions(directory).items()}
    other = pinned.get(question.lower())
    if other is not None and other != item_id:
        raise CurationError(
            f"regressions.yaml expects that question to get {other}: change it there first"
        )
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    edit = FileEdit()
    edit.keep(path)
    regressions = directory / REGRESSIONS_FILE
    edit.keep(regressions)
    try:
        examples.append(DoubleQuotedScalarString(question))
        _dump(data, path)
        _add_regression(regressions, question, item_id)
    except Exception:
        edit.undo()
        raise
    return edit


def _add_regression(path: Path, question: str, item_id: str) -> None:
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    data = _yaml().load(path.read_text(encoding="utf-8")) if path.exists() else None
    if data is None:
        data = CommentedMap()
    data[DoubleQuotedScalarString(question)] = item_id
    _dump(data, path)
