"""The JSON columns: how contexts, steps and id lists are written, and read back.

Reading is lenient: rows written by earlier releases may lack a step's item id or
collection, or hold context keys that are no longer slots.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import fields
from typing import Any

from pact_advisor.checklists import Step
from pact_advisor.engine import Context

_SLOTS = tuple(f.name for f in fields(Context))


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def context_json(context: Context) -> str:
    """``{"partner": ..., "sector": ..., "programme": ...}``."""
    return dumps({slot: getattr(context, slot) for slot in _SLOTS})


def read_context(text: str) -> Context:
    raw = json.loads(text)
    if not isinstance(raw, dict):
        return Context()
    return Context(**{slot: _text(raw.get(slot)) for slot in _SLOTS})


def steps_json(steps: Iterable[Step]) -> str:
    """A list of ``{"text", "item_id", "collection"}`` objects."""
    return dumps(
        [{"text": s.text, "item_id": s.item_id, "collection": s.collection} for s in steps]
    )


def read_steps(text: str) -> tuple[Step, ...]:
    return tuple(_step(raw) for raw in json.loads(text))


def _step(raw: dict[str, Any]) -> Step:
    item_id = _text(raw.get("item_id")) or ""
    collection = _text(raw.get("collection")) or item_id.split(".", 1)[0]
    return Step(str(raw["text"]), item_id, collection)


def ids_json(ids: Iterable[str]) -> str:
    return dumps([str(i) for i in ids])


def read_ids(text: str) -> tuple[str, ...]:
    return tuple(str(i) for i in json.loads(text))


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None
