"""The languages Pact Advisor speaks, and the message catalogues of its fixed texts.

Every fixed text (template wording, labels, errors, command names) is English in the source
and translated through GNU gettext catalogues that Babel extracts, updates and compiles:

    pybabel extract -F babel.cfg -o pact_advisor/i18n/locale/messages.pot .
    pybabel update -i pact_advisor/i18n/locale/messages.pot -d pact_advisor/i18n/locale
    pybabel compile -d pact_advisor/i18n/locale

The compiled ``.mo`` files are committed next to their ``.po`` files, so a source checkout,
an sdist and a wheel all carry them and nothing is compiled at install time; reading them
needs only the standard library (``tests/test_catalogues.py`` checks they are complete and
current).

Which language a piece of output is in travels in a context variable for the duration of
one render (:func:`speaking`): templates imported without context and macros called from
Python render outside the calling template's context, so a template variable alone would
not reach them. English is the source language and needs no catalogue.
"""

from __future__ import annotations

import contextlib
import contextvars
import gettext as _gettext
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Final, Literal

Language = Literal["en", "fr", "es"]

#: The languages of answers, in the order lists show them; English is the source language.
LANGUAGES: Final[tuple[Language, ...]] = ("en", "fr", "es")
SOURCE: Final[Language] = "en"
#: Each language's own name, for option lists.
NAMES: Final[dict[Language, str]] = {"en": "English", "fr": "Français", "es": "Español"}

LOCALE_DIR: Final = Path(__file__).resolve().parent / "locale"
DOMAIN: Final = "messages"

_current: contextvars.ContextVar[Language] = contextvars.ContextVar("language", default=SOURCE)


def language_of(code: str | None) -> Language | None:
    """The language of a locale or language code (``fr``, ``fr_FR.UTF-8``, ``es-419``,
    ``ES``), or ``None`` when Pact Advisor does not speak it."""
    if not code:
        return None
    head = code.strip().replace("-", "_").split("_", 1)[0].split(".", 1)[0].lower()
    return head if head in LANGUAGES else None  # type: ignore[return-value]


def check(language: str) -> Language:
    """``language`` when it is one of :data:`LANGUAGES`; ``ValueError`` otherwise."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: use one of {', '.join(LANGUAGES)}")
    return language  # type: ignore[return-value]


@cache
def catalogue(language: str) -> _gettext.NullTranslations:
    """The compiled catalogue of ``language`` (English: no translation at all)."""
    if language == SOURCE:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[check(language)])


def current() -> Language:
    """The language of the output being rendered now."""
    return _current.get()


@contextlib.contextmanager
def speaking(language: str) -> Iterator[Language]:
    """Render in ``language`` inside the ``with`` block."""
    token = _current.set(check(language))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    return catalogue(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return catalogue(_current.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return catalogue(_current.get()).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return catalogue(_current.get()).npgettext(context, singular, plural, n)


def translate(language: str, message: str, context: str | None = None) -> str:
    """``message`` (in ``context``, if given) in ``language``, outside any render."""
    table = catalogue(language)
    return table.pgettext(context, message) if context else table.gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction only; it is translated where it is shown."""
    return message


__all__ = [
    "LANGUAGES",
    "LOCALE_DIR",
    "NAMES",
    "N_",
    "SOURCE",
    "Language",
    "catalogue",
    "check",
    "current",
    "gettext",
    "language_of",
    "ngettext",
    "npgettext",
    "pgettext",
    "speaking",
    "translate",
]
