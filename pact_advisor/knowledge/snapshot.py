"""Loaded guidance as plain data (JSON types) and back, for the start-up cache.

A snapshot only ever holds guidance that was validated when it was written, and the cache
that keeps it authenticates every entry and keys it on this code and the schema's, so reading
it back builds the models without validating them again (``model_construct``): a start from
the cache never builds the schema's validators, which at 4,000 items took most of a second.
Nothing in a snapshot can run code, unlike a pickle. The conversion follows the type
annotations of :class:`Guidance` and of each model's fields, so a new field needs no change
here.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from pact_advisor.knowledge.loader import Guidance


def to_data(guidance: Guidance) -> dict[str, Any]:
    """``guidance`` as JSON-compatible data (see :func:`from_data`)."""
    return {
        f.name: _encode(getattr(guidance, f.name))
        for f in dataclasses.fields(Guidance)
        if f.name != "_by_collection"
    }


def from_data(data: Mapping[str, Any]) -> Guidance:
    """The guidance :func:`to_data` described (trusted: see the module's docstring)."""
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
    decoder = _decoder(hint)
    return value if decoder is None else decoder(value)


#: What turns JSON data into a value of a type: None when the data is the value already.
Decoder = Callable[[Any], Any] | None


@cache
def _decoder(hint: Any) -> Decoder:
    """The decoder for ``hint``, worked out once per type rather than once per value."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Annotated:
        return _decoder(args[0])
    if origin in (typing.Union, types.UnionType):
        inner = _decoder(next(a for a in args if a is not type(None)))
        return None if inner is None else (lambda v: None if v is None else inner(v))
    if origin in (Mapping, dict) or (isinstance(origin, type) and issubclass(origin, Mapping)):
        inner = _decoder(args[1])
        return dict if inner is None else (lambda v: {k: inner(x) for k, x in v.items()})
    if origin in (tuple, list):
        inner = _decoder(args[0]) if args else None
        return tuple if inner is None else (lambda v: tuple(map(inner, v)))
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        fields = {name: _decoder(f.annotation) for name, f in hint.model_fields.items()}
        return lambda v: hint.model_construct(**_values(fields, v))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        fields = {name: _decoder(h) for name, h in typing.get_type_hints(hint).items()}
        return lambda v: hint(**_values(fields, v))
    if hint is Path:
        return Path
    if hint is date:
        return date.fromisoformat
    return None


def _values(fields: dict[str, Decoder], data: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for name, value in data.items():
        decoder = fields[name]
        out[name] = value if decoder is None else decoder(value)
    return out
