"""Many regular expressions searched in one pass: which of them match a text anywhere.

The rules of ``rules.yaml`` are some sixty patterns, and a message's sentences are searched
with most of them. One by one, with :mod:`re`, that is most of the cost of reading a message;
an RE2 set (google-re2) answers "which of these match?" for all of them in one linear pass.

The verdict stays Python's own. Each pattern is read with Python's regular-expression parser
and written out again for RE2 only when every part of it means the same to both engines on
printable ASCII text (literals, classes, ``\\d \\w \\s``, alternation, groups, greedy and lazy
repetition, ``^ $ \\A \\Z \\b \\B``, and no flags); anything else (lookaround,
backreferences, atomic groups, possessive repetition, inline flags) is searched with
:mod:`re`. So is every text that is not printable ASCII (folded text always is), where the
engines' ideas of a word character or a line end could differ.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

try:  # Python 3.11+: the parser behind ``re.compile``.
    from re import _constants as _c
    from re import _parser
except ImportError:  # pragma: no cover - a Python whose ``re`` is laid out otherwise
    _parser = _c = None

try:
    import re2
except ImportError:  # pragma: no cover - every pattern is then searched with ``re``
    re2 = None


class _Untranslatable(Exception):
    """A part of a pattern that RE2 might read otherwise."""


_AT = {}
_CATEGORIES = {}
if _c is not None:
    _AT = {
        _c.AT_BEGINNING: "^",
        # ``$`` also matches before a final newline in Python; printable text has none.
        _c.AT_END: "$",
        _c.AT_BEGINNING_STRING: r"\A",
        _c.AT_END_STRING: r"\z",
        _c.AT_BOUNDARY: r"\b",
        _c.AT_NON_BOUNDARY: r"\B",
    }
    _CATEGORIES = {
        _c.CATEGORY_DIGIT: r"\d",
        _c.CATEGORY_NOT_DIGIT: r"\D",
        _c.CATEGORY_WORD: r"\w",
        _c.CATEGORY_NOT_WORD: r"\W",
        _c.CATEGORY_SPACE: r"\s",
        _c.CATEGORY_NOT_SPACE: r"\S",
    }


def _char(code: int) -> str:
    character = chr(code)
    return character if character.isascii() and character.isalnum() else f"\\x{{{code:x}}}"


def _class(items: list) -> str:
    parts = []
    for op, av in items:
        if op is _c.NEGATE:
            parts.insert(0, "^")
        elif op is _c.LITERAL:
            parts.append(_char(av))
        elif op is _c.RANGE:
            parts.append(f"{_char(av[0])}-{_char(av[1])}")
        elif op is _c.CATEGORY and av in _CATEGORIES:
            parts.append(_CATEGORIES[av])
        else:
            raise _Untranslatable(op)
    return "[" + "".join(parts) + "]"


def _repeat(op, av) -> str:
    low, high, sub = av
    if high == _c.MAXREPEAT:
        count = {0: "*", 1: "+"}.get(low, f"{{{low},}}")
    elif (low, high) == (0, 1):
        count = "?"
    else:
        count = f"{{{low}}}" if low == high else f"{{{low},{high}}}"
    return f"(?:{_emit(sub)}){count}{'?' if op is _c.MIN_REPEAT else ''}"


def _emit(sequence) -> str:
    out = []
    for op, av in sequence:
        if op is _c.LITERAL:
            out.append(_char(av))
        elif op is _c.NOT_LITERAL:
            out.append(f"[^{_char(av)}]")
        elif op is _c.ANY:
            out.append(".")
        elif op is _c.IN:
            out.append(_class(av))
        elif op is _c.BRANCH:
            out.append("(?:" + "|".join(_emit(branch) for branch in av[1]) + ")")
        elif op is _c.SUBPATTERN and not av[1] and not av[2]:
            out.append(f"(?:{_emit(av[3])})")
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            out.append(_repeat(op, av))
        elif op is _c.AT and av in _AT:
            out.append(_AT[av])
        else:
            raise _Untranslatable(op)
    return "".join(out)


def translate(pattern: str) -> str | None:
    """``pattern`` written for RE2 with the meaning Python gives it on printable ASCII text,
    or None when some part of it might mean something else to RE2."""
    if _parser is None:
        return None
    try:
        parsed = _parser.parse(pattern)
        if parsed.state.flags != _c.SRE_FLAG_UNICODE:
            return None
        return _emit(parsed)
    except (_Untranslatable, re.error, AttributeError, TypeError):
        return None


class PatternSet:
    """Patterns added one by one (each gets an id), then searched all at once with
    :meth:`scan`."""

    def __init__(
        self, patterns: Sequence[str] = (), *, translated: Mapping[str, str | None] | None = None
    ):
        """``translated`` holds patterns already written for RE2 (:attr:`translated` of a set
        built before by this code), so that a start from the cache does not parse them."""
        #: Each pattern as written for RE2 (None: searched with ``re``), once compiled.
        self.translated: dict[str, str | None] = dict(translated or {})
        self._sources: list[str] = []
        self._python: list[re.Pattern[str]] | None = None  # compiled on first need
        self._rest: list[int] = []  # ids searched with ``re`` on every text
        self._set = None
        self._ids: list[int] = []  # RE2 index -> id
        self._compiled = False
        for pattern in patterns:
            self.add(pattern)

    def add(self, pattern: str) -> int:
        """The id of ``pattern``. It is compiled with ``re`` only when a text needs it (text
        RE2 cannot read, or a pattern RE2 cannot take): a start that answers plain ASCII
        questions never pays for it. Rules from the guidance were compiled once when loaded,
        so a bad pattern fails there."""
        self._sources.append(pattern)
        self._python = None
        self._compiled = False
        return len(self._sources) - 1

    @property
    def _regexes(self) -> list[re.Pattern[str]]:
        if self._python is None:
            self._python = [re.compile(p) for p in self._sources]
        return self._python

    def compile(self) -> None:
        """Build the RE2 set (done on the first :meth:`scan` after an :meth:`add`)."""
        self._rest, self._ids, self._set = [], [], None
        self._compiled = True
        if re2 is None:
            self._rest = list(range(len(self._sources)))
            return
        options = re2.Options()
        options.never_capture = True
        options.log_errors = False
        found = re2.Set.SearchSet(options)
        for i, source in enumerate(self._sources):
            if source in self.translated:
                written = self.translated[source]
            else:
                written = self.translated[source] = translate(source)
            try:
                if written is None:
                    raise re2.error("kept for re")
                found.Add(written)
                self._ids.append(i)
            except re2.error:
                self._rest.append(i)
        if self._ids:
            found.Compile()
            self._set = found

    def __len__(self) -> int:
        return len(self._sources)

    def scan(self, text: str) -> frozenset[int]:
        """The ids of the patterns that match somewhere in ``text``."""
        if not self._compiled:
            self.compile()
        if not (text.isascii() and text.isprintable()) or self._set is None:
            return self.search(text)
        hits = self._set.Match(text)
        found = [self._ids[i] for i in hits] if hits else []
        if self._rest:
            regexes = self._regexes
            found.extend(i for i in self._rest if regexes[i].search(text))
        return frozenset(found)

    def search(self, text: str) -> frozenset[int]:
        """:meth:`scan` with ``re`` alone, one pattern at a time: the reference."""
        return frozenset(i for i, p in enumerate(self._regexes) if p.search(text))
