"""Loaded guidance as plain data (JSON types) and back, for the start-up cache.

Reading it back validates every model again (a few milliseconds), so a snapshot can never
smuggle in what the schema refuses; and nothing in it can run code, unlike a pickle. The
conversion follows the type annotations of :class:`Guidance`, so a new field needs no change
here.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from pact_advisor.knowledge.loader import Guidance
from pact_advisor.knowledge.models import CHECKED


def to_data(guidance: Guidance) -> dict[str, Any]:
    """``guidance`` as JSON-compatible data (see :func:`from_data`)."""
    return {
        f.name: _encode(getattr(guidance, f.name))
        for f in dataclasses.fields(Guidance)
        if f.name != "_by_collection"
    }


def from_data(data: Mapping[str, Any]) -> Guidance:
    """The guidance :func:`to_data` described, validated again."""
    hints = _hints()
    values = {name: _decode(hint, data[name]) for name, hint in hints.items() if name in data}
    by_collection: dict[str, list] = {cid: [] for cid in values["collections"]}
    for item in values["items"].values():
        by_collection.setdefault(item.collection, []).append(item)
    values["_by_collection"] = {cid: tuple(items) for cid, items in by_collection.items()}
    return Guidance(**values)


@cache
def _hints() -> dict[str, Any]:
    hints = typing.get_type_hints(Guidance)
    return {f.name: hints[f.name] for f in dataclasses.fields(Guidance)}


def _encode(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Path):
        return str(value)
    if dataclasses.is_dataclass(value):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return value


def _decode(hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        hint = next(a for a in args if a is not type(None))
        return _decode(hint, value)
    if origin in (Mapping, dict) or (isinstance(origin, type) and issubclass(origin, Mapping)):
        return {k: _decode(args[1], v) for k, v in value.items()}
    if origin in (tuple, list):
        inner = args[0] if args else Any
        return tuple(_decode(inner, v) for v in value)
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return hint.model_validate(value, context={CHECKED: True})
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        inner = typing.get_type_hints(hint)
        return hint(**{k: _decode(inner[k], v) for k, v in value.items()})
    if hint is Path:
        return Path(value)
    return value
