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
from pathlib import Path

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
    return _BLANK_LINES.sub("\n\n", _TRAILING_SPACE.sub("\n", text)).strip() + "\n"


def environment(
    prompts_dir: str | Path, bytecode_cache_dir: str | Path | None = None
) -> jinja2.Environment:
    """The environment over the templates in ``prompts_dir``.

    ``bytecode_cache_dir`` keeps compiled templates between runs (a faster start); it is
    created if missing, and an ``OSError`` doing so is the caller's to handle.
    """
    bytecode_cache = None
    if bytecode_cache_dir is not None:
        Path(bytecode_cache_dir).mkdir(parents=True, exist_ok=True)
        bytecode_cache = jinja2.FileSystemBytecodeCache(str(bytecode_cache_dir))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(prompts_dir)),
        bytecode_cache=bytecode_cache,
        # Templates change only through /advisor reload, which builds a new environment:
        # no need to stat every template file on every render.
        auto_reload=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        keep_trailing_newline=False,
        extensions=["jinja2.ext.do", "jinja2.ext.i18n"],
    )
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
    return env
