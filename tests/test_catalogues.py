"""The message catalogues: complete, current, compiled, and every template renders with them.

The catalogues are extracted from the templates and the code by Babel (``babel.cfg``); a
wording added to a template without a translation fails here, not in front of a user.
"""

from __future__ import annotations

import gettext
import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from pact_advisor import i18n

ROOT = Path(__file__).resolve().parents[1]
TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != i18n.SOURCE]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _po(language: str):
    path = i18n.LOCALE_DIR / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def _key(context, msgid) -> tuple:
    return (context, msgid if isinstance(msgid, str) else tuple(msgid))


@pytest.fixture(scope="module")
def source_messages() -> set[tuple]:
    """Every message the templates and the code mark, extracted now as ``pybabel`` would."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        ROOT, method_map, options_map
    ):
        found.add(_key(context, message))
    return found


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_marked_text_is_translated(language, source_messages):
    catalogue = {_key(m.context, m.id): m for m in _po(language) if m.id}
    missing = sorted(str(k) for k in source_messages - set(catalogue))
    assert not missing, f"not in the {language} catalogue (run pybabel update): {missing}"
    untranslated = [
        str(k)
        for k in source_messages
        if not all(
            catalogue[k].string if isinstance(catalogue[k].string, tuple) else [catalogue[k].string]
        )
        or catalogue[k].fuzzy
    ]
    assert not untranslated, f"untranslated or fuzzy in {language}: {untranslated}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_catalogue_keeps_texts_the_code_no_longer_has(language, source_messages):
    kept = {_key(m.context, m.id) for m in _po(language) if m.id}
    assert kept <= source_messages, sorted(str(k) for k in kept - source_messages)


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder(language):
    for message in _po(language):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) <= wanted | {"num"}, (message.id, string)
            assert set(PLACEHOLDER.findall(string)) >= set(PLACEHOLDER.findall(ids[0])) - {"num"}


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_is_current(language):
    compiled_path = i18n.LOCALE_DIR / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    with compiled_path.open("rb") as handle:
        compiled = {_key(m.context, m.id): m.string for m in read_mo(handle) if m.id}
    fresh = BytesIO()
    write_mo(fresh, _po(language))
    fresh.seek(0)
    expected = {_key(m.context, m.id): m.string for m in read_mo(fresh) if m.id}
    assert compiled == expected, "run: pybabel compile -d pact_advisor/i18n/locale"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_standard_library_reads_the_compiled_catalogue(language):
    table = gettext.translation(i18n.DOMAIN, i18n.LOCALE_DIR, languages=[language])
    assert table.gettext("Unofficial translation:") != "Unofficial translation:"
    assert table.npgettext is not None and table.pgettext("command", "ask") != "ask"


def test_command_names_are_translated_in_their_own_context():
    assert i18n.translate("fr", "checklist", "command") == "liste-de-contrôle"
    assert i18n.translate("fr", "checklist") == "liste de contrôle"
    assert i18n.translate("es", "partner", "command") == "país-socio"
