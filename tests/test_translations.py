"""French and Spanish guidance: complete in the bundled files, checked on load (missing text
or different slots are warnings with file and line), and worded with correct grammar."""

from __future__ import annotations

import io
import shutil

import pytest
from babel import Locale

from pact_advisor.cli import main
from pact_advisor.knowledge import Context, SlotFiller, load_guidance, names
from pact_advisor.knowledge.grammar import Phrase, Slot
from pact_advisor.knowledge.models import TRANSLATED
from pact_advisor.knowledge.translations import item_text
from pact_advisor.resources import guidance_dir


@pytest.fixture
def guidance_copy(tmp_path):
    """A private copy of the bundled guidance, safe to edit."""
    target = tmp_path / "guidance"
    shutil.copytree(guidance_dir(), target)
    return target


def _line_of(path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), stdout=out), out.getvalue()


def test_the_bundled_guidance_has_every_translation_and_no_warning(guidance):
    assert guidance.warnings == ()
    for item in guidance.items.values():
        for language in TRANSLATED:
            text = item_text(item, language)
            assert text.untranslated == (), (item.id, language)
            assert text.quote_translation and len(text.checklist) == len(item.checklist)
    for collection in guidance.collections.values():
        for language in TRANSLATED:
            translation = collection.translations[language]
            assert translation.title and translation.description


def test_validate_is_clean_on_the_bundled_guidance():
    code, out = run("validate", "--strict")
    assert code == 0 and "warning" not in out and out.startswith("OK: 41 items")


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_missing_translation_is_a_warning_with_file_and_line(guidance_copy):
    path = guidance_copy / "capacity-building.yaml"
    first_item = _line_of(path, "- id: capacity-building.overview")
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n in range(first_item, len(lines)) if lines[n - 1] == "      fr:")
    _edit(path, "        evidence: expérience de l'initiative MIEUX+ depuis 2008\n", "")
    loaded = load_guidance(guidance_copy)
    (warning,) = loaded.warnings
    assert str(warning).endswith(
        "capacity-building.overview: translations.fr: missing evidence; shown in English"
    )
    assert warning.file.endswith("capacity-building.yaml") and warning.line == line
    code, out = run("validate", str(guidance_copy))
    assert code == 0 and f"warning: {warning}" in out and "1 warning)" in out
    assert run("validate", "--strict", str(guidance_copy))[0] == 1


def test_a_translation_with_different_slots_is_a_warning_and_shown_in_english(guidance_copy):
    path = guidance_copy / "success-factors.yaml"
    line = _line_of(path, "Convenez avec {{ partner }}") - 1  # the advice: key
    _edit(path, "d'objectifs précis pour {{ programme }},", "d'objectifs précis pour le programme,")
    loaded = load_guidance(guidance_copy)
    (warning,) = loaded.warnings
    assert warning.line == line and warning.subject == "success-factors.clear-objectives"
    assert "translations.fr.advice: uses the slots {{ partner }}, the English" in warning.message
    item = loaded.items["success-factors.clear-objectives"]
    text = item_text(item, "fr")
    assert text.advice == item.advice and text.untranslated == ("advice",)
    assert text.title == item.translations["fr"].title


def test_an_unknown_slot_form_is_a_warning(guidance_copy):
    path = guidance_copy / "success-factors.yaml"
    _edit(path, "Convenez avec {{ partner }}", "Convenez avec {{ partner.avec }}")
    (warning,) = load_guidance(guidance_copy).warnings
    assert "unknown slot form .avec (allowed: .de, .en, .a)" in warning.message


@pytest.mark.parametrize(
    ("name", "language", "forms"),
    [
        ("Morocco", "fr", ("le Maroc", "du Maroc", "au Maroc", "au Maroc")),
        ("Tunisia", "fr", ("la Tunisie", "de la Tunisie", "en Tunisie", "à la Tunisie")),
        ("Egypt", "fr", ("l'Égypte", "de l'Égypte", "en Égypte", "à l'Égypte")),
        ("Netherlands", "fr", ("les Pays-Bas", "des Pays-Bas", "aux Pays-Bas", "aux Pays-Bas")),
        ("Cuba", "fr", ("Cuba", "de Cuba", "à Cuba", "à Cuba")),
        ("Israel", "fr", ("Israël", "d'Israël", "en Israël", "à Israël")),
        ("Maroc", "es", ("Marruecos", "de Marruecos", "en Marruecos", "a Marruecos")),
        (
            "United Kingdom",
            "es",
            ("el Reino Unido", "del Reino Unido", "en el Reino Unido", "al Reino Unido"),
        ),
        (
            "Morocco and Tunisia",
            "fr",
            (
                "le Maroc et la Tunisie",
                "du Maroc et de la Tunisie",
                "au Maroc et en Tunisie",
                "au Maroc et à la Tunisie",
            ),
        ),
        (
            "Marruecos y Italia",
            "es",
            (
                "Marruecos e Italia",
                "de Marruecos y de Italia",
                "en Marruecos y en Italia",
                "a Marruecos y a Italia",
            ),
        ),
    ],
)
def test_country_slots_take_their_article_and_preposition(name, language, forms):
    slot = Slot(language, names.countries(name, language))
    assert (str(slot), slot.de, slot.en, slot.a) == forms


def test_sector_and_missing_slots_read_naturally():
    fill = SlotFiller().fill
    step = "Les employeurs {{ sector.de }} {{ partner.en }} et {{ programme }}."
    assert fill(step, Context(sector="agriculture", partner="Senegal"), "fr") == (
        "Les employeurs de l'agriculture au Sénégal et le programme."
    )
    assert fill(step, Context(), "fr") == (
        "Les employeurs des secteurs concernés dans le pays partenaire et le programme."
    )
    assert fill("{{ partner }} y {{ sector }}.", Context(), "es") == (
        "El país socio y los sectores pertinentes."
    )
    assert (
        fill("{{ partner }} et l'UE.", Context(partner="Ruritanie"), "fr")
        == "La Ruritanie et l'UE."
    )


def test_a_typed_value_is_never_evaluated_in_french():
    filled = SlotFiller().fill("Avec {{ partner }}.", Context(partner="{{ 7*7 }}"), "fr")
    assert "49" not in filled and "{{ 7*7 }}" in filled


def test_every_country_the_guidance_knows_has_french_and_spanish_names(guidance):
    unknown = [n for n in guidance.names.countries if not names.known_country(n)]
    assert not unknown
    unknown = [n for n in guidance.names.sectors if not names.known_sector(n)]
    assert not unknown


#: Where the names differ from CLDR's on purpose: what practitioners write.
OVERRIDES = {"CD", "CG", "PS", "MM", "CI"}


@pytest.mark.parametrize("language", ["fr", "es"])
def test_country_names_are_cldrs(language):
    territories = Locale.parse(language).territories
    entries, _ = names._table("countries")
    for code, entry in entries.items():
        if code in OVERRIDES:
            continue
        bare = Phrase.parse(language, entry[language]).bare
        assert bare == territories[code].replace("’", "'"), code


def test_eu_member_states_have_their_role_and_the_spelling_typed_is_kept():
    from pact_advisor.knowledge import names

    assert names.country_role("Spain") == "eu" and names.country_role("Espagne") == "eu"
    assert names.country_role("Morocco") == "partner"
    assert names.country_role("Spain and Morocco") == "partner"
    assert sum(names.eu_member(n) for n in names.country_names()) == 27
    assert names.shown("partner", "Nigeria", "fr") == "Nigeria"  # not "Nigéria"
    assert names.shown("partner", "Morocco", "fr") == "Maroc"
