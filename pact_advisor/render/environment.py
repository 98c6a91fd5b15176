"""The one Jinja2 environment every target renders through, with the filters templates use.

Strict (a missing variable is an error, never an empty string), no autoescaping (each
template escapes user data for its target with ``esc``, ``md_escape`` or ``discord_escape``).

Fixed wording goes through Jinja2's i18n extension (``{% trans %}``, ``_()``), new-style and
trimmed, with the Babel catalogues of :mod:`pact_advisor.i18n`: the language is the one the
renderer is :func:`~pact_advisor.i18n.speaking` at the time.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Any

import jinja2

from pact_advisor import i18n
from pact_advisor.knowledge.names import country_role
from pact_advisor.render.filters import (
    discord_escape,
    first_sentences,
    md_escape,
    plain,
    truncate_sentence,
)
from pact_advisor.render.parts import ItemParts

_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


#: The text target being rendered (``terminal`` or ``markdown``), for ``esc``: a context
#: variable, like the language, so that macros imported without the template's context (and
#: so compiled into a module once, not once per render) see it too.
text_target: contextvars.ContextVar[str] = contextvars.ContextVar("target", default="terminal")


def _esc(value: object) -> str:
    """Escape data for the text target being rendered (:data:`text_target`)."""
    return md_escape(value) if text_target.get() == "markdown" else plain(value)


def _gettext(message: str, /, **variables: object) -> str:
    return i18n.catalogue(i18n.current()).gettext(message) % variables


def _ngettext(singular: str, plural: str, num: int, /, **variables: object) -> str:
    variables.setdefault("num", num)
    return i18n.catalogue(i18n.current()).ngettext(singular, plural, num) % variables


def _pgettext(context: str, message: str, /, **variables: object) -> str:
    variables.setdefault("context", context)
    return i18n.catalogue(i18n.current()).pgettext(context, message) % variables


def _npgettext(context: str, singular: str, plural: str, num: int, /, **variables: object) -> str:
    variables.setdefault("context", context)
    variables.setdefault("num", num)
    table = i18n.catalogue(i18n.current())
    return table.npgettext(context, singular, plural, num) % variables


def tidy(text: str) -> str:
    """Rendered text without trailing spaces or runs of blank lines, ending in one newline."""
    # Each pattern is looked for first: most texts need one of the two substitutions at most.
    if " \n" in text or "\t\n" in text:
        text = _TRAILING_SPACE.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip() + "\n"


class _Environment(jinja2.Environment):
    """Jinja2's environment, with each template's globals as a plain dict."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        # Jinja2 chains a template's globals to the environment's so that globals added
        # later still show; every render then reads through the chain (a tenth of an
        # answer's rendering). All globals are set in environment(), before any template.
        return {**self.globals, **(d or {})}


def _install_gettext(env: jinja2.Environment) -> None:
    """Fixed wording translated with the catalogues of :mod:`pact_advisor.i18n`."""
    # Whitespace inside {% trans %} blocks is collapsed, so that catalogue entries do not
    # depend on how a template is indented (Babel's extractor reads the same policy).
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=i18n.gettext,
        ngettext=i18n.ngettext,
        pgettext=i18n.pgettext,
        npgettext=i18n.npgettext,
        newstyle=True,
    )
    # The same callables without Jinja2's wrappers, which pass the template context through
    # two more calls for every text (a fifth of an answer's rendering): new-style, so every
    # text is a format string, and never marked safe (the environment does not autoescape).
    env.globals.update(
        _=_gettext,
        gettext=_gettext,
        ngettext=_ngettext,
        pgettext=_pgettext,
        npgettext=_npgettext,
    )


def environment(
    prompts_dir: str | Path,
    bytecode_cache_dir: str | Path | None = None,
    *,
    values: Mapping[str, Any] | None = None,
) -> jinja2.Environment:
    """The environment over the templates in ``prompts_dir``.

    ``bytecode_cache_dir`` keeps compiled templates between runs (a faster start); it is
    created if missing, and an ``OSError`` doing so is the caller's to handle. ``values``
    are globals every template sees (set here: a template loaded later sees no new ones).
    """
    bytecode_cache = None
    if bytecode_cache_dir is not None:
        Path(bytecode_cache_dir).mkdir(parents=True, exist_ok=True)
        bytecode_cache = jinja2.FileSystemBytecodeCache(str(bytecode_cache_dir))
    env = _Environment(
        loader=jinja2.FileSystemLoader(Path(prompts_dir)),
        bytecode_cache=bytecode_cache,
        # Templates change only through /advisor reload, which builds a new environment:
        # no need to stat every template file on every render.
        auto_reload=False,
        # Every template stays loaded (a plain dict, not a locked LRU on every import): there
        # are as many as prompts/ holds.
        cache_size=-1,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        keep_trailing_newline=False,
        extensions=["jinja2.ext.do", "jinja2.ext.i18n"],
    )
    _install_gettext(env)
    env.filters.update(
        discord_escape=discord_escape,
        md_escape=md_escape,
        plain=plain,
        esc=_esc,
        truncate_sentence=truncate_sentence,
        first_sentences=first_sentences,
        # The role a country plays: "eu" for an EU member state, else "partner".
        country_role=country_role,
        # A part that depends on one item only, rendered once (see render/parts.py).
        per_item=ItemParts(text_target.get),
    )
    env.globals.update(values or {})
    return env
