"""Fill guidance advice and checklist steps with a context (partner, sector, programme).

Advice and steps are Jinja2 templates from the trusted guidance files. They are compiled in a
sandbox all the same, and what a user typed is only ever passed in as a value: a partner named
``{{ 7*7 }}`` prints ``{{ 7*7 }}``.

English slots are plain text. French and Spanish ones are :class:`~.grammar.Slot` s, which
know their article and prepositions, and name countries and sectors in the answer's language.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Mapping
from typing import Any

from jinja2 import StrictUndefined, Template
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from pact_advisor import i18n
from pact_advisor.i18n import N_
from pact_advisor.knowledge import names
from pact_advisor.knowledge.context import context_values
from pact_advisor.knowledge.grammar import Phrase, Slot

#: What a missing slot reads as, so that advice stays natural without context (translated
#: through the catalogues, article included: "le pays partenaire", "el país socio").
DEFAULTS: Mapping[str, str] = {
    "partner": N_("the partner country"),
    "sector": N_("the sectors concerned"),
    "programme": N_("the programme"),
}

_AT_SENTENCE_START = re.compile(
    r"(^|[.!?]\s+)(" + "|".join(re.escape(v) for v in DEFAULTS.values()) + r")"
)
_LOWER_AT_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-zà-ÿ])")

_NAMED = {"partner": names.countries, "sector": names.sectors, "programme": names.programme}


def _names(text: str, name: str) -> bool:
    """Whether ``text`` names ``name`` itself, as a word, outside its slots."""
    outside = re.sub(r"\{\{.*?\}\}", " ", text)
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", outside, re.IGNORECASE) is not None


def slot_values(context: Any) -> dict[str, str]:
    """Every slot filled: the user's value, or its natural default (English)."""
    return {slot: value or DEFAULTS[slot] for slot, value in context_values(context).items()}


def slots(context: Any, language: str = "en") -> dict[str, Any]:
    """Every slot filled for ``language``: text in English, a :class:`Slot` otherwise."""
    if language == i18n.SOURCE:
        return slot_values(context)
    out: dict[str, Any] = {}
    for slot, value in context_values(context).items():
        if value:
            phrases = _NAMED[slot](value, language)
        else:
            default = i18n.translate(language, DEFAULTS[slot])
            phrases = (Phrase.parse(language, default),)
        out[slot] = Slot(language, phrases)
    return out


#: A text whose only template syntax is plain slots (``{{ partner }}``, ``{{ partner.de }}``).
_PLAIN_SLOT = re.compile(r"\{\{\s*([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?\s*\}\}")

#: The most a guidance template may repeat a text, or raise a number to: far beyond any real
#: advice, far below what would exhaust memory in one step.
MAX_REPEAT = 10_000
MAX_EXPONENT = 64


@functools.lru_cache(maxsize=8192)
def is_plain(text: str) -> bool:
    """Whether ``text`` has no template syntax but plain slots: filling it is a substitution
    (no Jinja2 compile, nothing that can loop or fail beyond a missing slot form)."""
    if "{" not in text:
        return True
    if "{%" in text or "{#" in text:
        return False
    return text.count("{{") == len(_PLAIN_SLOT.findall(text))


def plain_slots(text: str) -> tuple[tuple[str, str], ...] | None:
    """The distinct ``(name, form)`` slots of a plain text (see :func:`is_plain`), in the
    order they first appear; ``None`` for a text with other template syntax. Filling a plain
    text can only fail on one of these, so two texts with the same slots fail alike."""
    if not is_plain(text):
        return None
    return tuple(dict.fromkeys(_PLAIN_SLOT.findall(text)))


#: A format width or precision of five digits or more ("%99999s", "{:99999}").
_WIDE_FORMAT = re.compile(r"[%{:][-+#0 <>^=]*\.?\d{5,}")


def _capped(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    """Refuse a count or width past :data:`MAX_REPEAT` (``'x'|center(10**9)``)."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_REPEAT:
            raise SecurityError(f"argument over {MAX_REPEAT}")


def _narrow_format(pattern: Any) -> None:
    """Refuse a format string with a width past :data:`MAX_REPEAT` (``'%999999999s'``).
    Only ever applied to the template's own format strings, never to a slot's value."""
    if isinstance(pattern, str) and _WIDE_FORMAT.search(pattern):
        raise SecurityError(f"format width over {MAX_REPEAT}")


def _capped_filter(name: str, function: Any) -> Any:
    @functools.wraps(function)  # keeps Jinja2's pass_context and friends
    def capped(*args: Any, **kwargs: Any) -> Any:
        _capped(args, kwargs)
        if name == "format":  # 'pattern'|format(...): the value is the pattern
            _narrow_format(next((a for a in args if isinstance(a, str)), None))
        return function(*args, **kwargs)

    return capped


class GuidanceSandbox(SandboxedEnvironment):
    """The sandbox guidance templates run in: strict about missing slots, and refusing what
    can exhaust memory or time in one step: ``"x" * 10**9``, ``9 ** 99999999``, a filter or
    method given a huge count or width (``'x'|center(10**9)``, ``partner.ljust(10**9)``).
    Jinja2 would evaluate some of those while compiling, before any time budget applies."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=False)
        self.filters = {name: _capped_filter(name, f) for name, f in self.filters.items()}
        self.globals.pop("lipsum", None)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        numbers = all(isinstance(x, int | float) for x in (left, right))
        if operator == "%":
            _narrow_format(left)
            return left % right
        if operator == "**":
            if isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
                raise SecurityError(f"exponent over {MAX_EXPONENT}")
            return left**right
        if not numbers and any(isinstance(x, int) and x > MAX_REPEAT for x in (left, right)):
            raise SecurityError(f"repetition over {MAX_REPEAT}")
        return left * right

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _capped(args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Any:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:  # "{:999999999}".format(...)
            _narrow_format(value.__self__)
        return wrapped


class SlotFiller:
    """Compiles guidance strings once (sandboxed, strict) and fills them with a context.

    A text of plain slots (all bundled guidance) is filled by substitution, with Jinja2's own
    attribute lookup and strictness, so it costs no compile.
    """

    def __init__(self) -> None:
        self._env = GuidanceSandbox()
        self._cache: dict[str, Template] = {}
        #: The slots of recent contexts: naming a partner or sector in a language costs more
        #: than filling a text, and one answer fills many texts for the same context.
        self._slots: dict[tuple[Any, ...], dict[str, Any]] = {}
        self._lock = threading.Lock()

    def _compile(self, text: str) -> Template:
        template = self._cache.get(text)
        if template is None:
            template = self._env.from_string(text)
            with self._lock:
                self._cache[text] = template
        return template

    def fill(self, text: str, context: Any = None, language: str = "en") -> str:
        """``text`` with ``{{ partner }}``, ``{{ sector }}`` and ``{{ programme }}`` filled in,
        worded for ``language`` (the language ``text`` is written in)."""
        if "{" not in text:
            return text
        given_values = context_values(context)
        values = self._slots_for(given_values, language)
        given = given_values["programme"]
        if given and _names(text, given):
            # "Plan how EUDiF will connect with these EUDiF instruments": when the text
            # already names the programme given, its slot reads as the default.
            default = i18n.translate(language, DEFAULTS["programme"])
            values["programme"] = (
                default
                if language == i18n.SOURCE
                else Slot(language, (Phrase.parse(language, default),))
            )
        rendered = self._render(text, values)
        if language != i18n.SOURCE:
            # A slot that opens a sentence gets a capital ("Le Maroc …", "El país socio …").
            return _LOWER_AT_SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), rendered)
        # A default that opens a sentence gets a capital ("The programme …").
        return _AT_SENTENCE_START.sub(
            lambda m: m.group(1) + m.group(2)[0].upper() + m.group(2)[1:], rendered
        )

    def substitute(self, text: str, context: Any = None, language: str = "en") -> str:
        """``text`` with its slots filled, without the finishing touches of :meth:`fill`
        (capitals, a programme named twice), which cannot fail: what checking that a text
        renders needs, at a fraction of the cost."""
        if "{" not in text:
            return text
        return self._render(text, self._slots_for(context_values(context), language))

    def _slots_for(self, given: Mapping[str, str | None], language: str) -> dict[str, Any]:
        key = (language, *given.values())
        found = self._slots.get(key)
        if found is None:
            found = slots(given, language)
            with self._lock:
                if len(self._slots) >= 256:
                    self._slots.clear()
                self._slots[key] = found
        return dict(found)  # a copy: fill may replace the programme's slot

    def _render(self, text: str, values: Mapping[str, Any]) -> str:
        if not is_plain(text):
            return self._compile(text).render(values)
        return _PLAIN_SLOT.sub(lambda m: self._slot(values, m.group(1), m.group(2)), text)

    def _slot(self, values: Mapping[str, Any], name: str, form: str | None) -> str:
        """What ``{{ name }}`` or ``{{ name.form }}`` prints, as Jinja2 would print it (a
        missing slot or form raises Jinja2's own ``UndefinedError``)."""
        value = values[name] if name in values else self._env.undefined(name=name)
        if form is not None:
            value = self._env.getattr(value, form)
        return str(value)
