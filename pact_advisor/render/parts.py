"""Parts of a message that depend on one guidance item only, rendered once and reused.

A quote block with its citation, the line of related items, the note on untranslated fields:
each answer showing an item renders them the same way, in its language, for its target. The
``per_item`` filter renders such a part with its macro the first time and then reuses it::

    {{ m.quote|per_item(top, full=detail) }}

is ``m.quote(top, full=detail)``, computed once per item, options, language and target. The
macro must read only the item's guidance fields (never its advice or steps, which the
context fills, nor the question's data), and the options must be plain values.

An environment (one guidance version's renderer) has its own parts, so there are at most a
few per item, macro, language and target: bounded by the guidance.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pact_advisor import i18n

#: A guard only: the bundled guidance needs a few thousand parts at most.
MAX_PARTS = 65536


class ItemParts:
    """The ``per_item`` filter of one environment, with the parts it has rendered.

    ``target`` says which text target is being rendered (see
    :data:`pact_advisor.render.environment.text_target`).
    """

    def __init__(self, target: Callable[[], str]) -> None:
        self._target = target
        self._parts: dict[tuple[Any, ...], str] = {}

    def __call__(
        self, macro: Callable[..., Any], item: Mapping[str, Any] | str, /, **options: Any
    ) -> str:
        """``macro(item, **options)`` as text, rendered once per item (a view with an
        ``id``, or an id), ``options``, language and target."""
        item_id = item if isinstance(item, str) else item["id"]
        key = (macro, item_id, i18n.current(), self._target(), *sorted(options.items()))
        found = self._parts.get(key)
        if found is None:
            found = str(macro(item, **options))
            if len(self._parts) >= MAX_PARTS:
                self._parts.clear()
            self._parts[key] = found
        return found

    def __len__(self) -> int:
        return len(self._parts)
