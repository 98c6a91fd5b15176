"""Answers, buttons and commands in the member's language, as Discord shows them."""

from __future__ import annotations

import re

import pytest
import simcord.interactions as sim_interactions
from conftest import GUILD_ID
from sim_helpers import embed_text, labels

from pact_advisor.discord_bot.translator import command_texts

#: Discord's rule for command and option names (lowercase where a letter has a case).
NAME = re.compile(r"^[-_\w]{1,32}$")
SPANISH = ("es-ES", "es-419")


@pytest.fixture
def locales(monkeypatch) -> dict[int, str]:
    """Client locales by member id. SimCord's interactions always say en-US; this gives a
    member the client language a real one would have."""
    chosen: dict[int, str] = {}
    original = sim_interactions.base_payload

    def base_payload(backend, **kwargs):
        record, payload = original(backend, **kwargs)
        payload["locale"] = chosen.get(kwargs["user_id"], payload["locale"])
        return record, payload

    monkeypatch.setattr(sim_interactions, "base_payload", base_payload)
    return chosen


def _synced(env) -> dict[str, dict]:
    return {name: command for (name, _type), command in env.backend.commands[GUILD_ID].items()}


async def test_localised_command_names_and_descriptions_are_synced(env, guild):
    commands = _synced(env)
    ask = commands["ask"]
    assert ask["name_localizations"]["fr"] == "demander"
    assert all(ask["name_localizations"][locale] == "preguntar" for locale in SPANISH)
    assert ask["description_localizations"]["fr"].startswith("Posez une question")
    assert ask["description_localizations"]["es-419"].startswith("Haga una pregunta")
    options = {o["name"]: o for o in commands["checklist"]["options"]}
    assert options["partner"]["name_localizations"]["fr"] == "pays-partenaire"
    assert options["language"]["name_localizations"]["es-ES"] == "idioma"
    assert commands["checklist"]["name_localizations"]["fr"] == "liste-de-contrôle"
    assert commands["Ask Pact Advisor"]["name_localizations"]["fr"] == "Demander à Pact Advisor"


async def test_every_localised_name_is_one_discord_accepts(env, guild):
    for command in _synced(env).values():
        if command["type"] != 1:
            continue
        named = [command, *command.get("options", [])]
        named += [o for option in command.get("options", []) for o in option.get("options", [])]
        for part in named:
            for name in (part.get("name_localizations") or {}).values():
                assert NAME.match(name) and name == name.lower(), name


async def test_every_command_text_is_in_the_catalogues(env):
    listed = set(command_texts())
    shown = set()
    for command in env.bot.tree.walk_commands():
        shown |= {command.name, command.description}
        for parameter in getattr(command, "parameters", []):
            shown |= {parameter.name, parameter.description}
    for menu in env.bot.tree.get_commands(type=__import__("discord").AppCommandType.message):
        shown.add(menu.name)
    assert shown <= listed, sorted(shown - listed)


async def test_a_french_member_asking_a_short_question_gets_french(channel, user, locales):
    locales[user.id] = "fr"
    answer = (await user.slash(channel, "ask", question="diaspora networks")).response
    embed = answer.embeds[0]
    assert (
        embed.title == "Investir dans les organisations faîtières, les plateformes et les réseaux"
    )
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Source"].startswith("> “")
    assert "*Traduction non officielle :* « " in fields["Source"]
    assert labels(answer) == [
        "Liste de contrôle de cette réponse",
        "Utile",
        "Peu utile",
        "Plus",
        "Pourquoi ?",
    ]
    why = (await user.click(answer, label="Pourquoi ?")).response
    assert "**Q :** diaspora networks" in why.embeds[0].description
    assert "Fiabilité" in {f.name for f in why.embeds[0].fields}
    thanks = await user.click(answer, label="Utile")
    assert thanks.response.content.startswith("Merci pour votre retour")


async def test_a_spanish_question_gets_spanish_whatever_the_client(channel, user):
    question = "¿cómo podemos apoyar a las organizaciones de la diáspora de Marruecos?"
    answer = (await user.slash(channel, "ask", question=question)).response
    embed = answer.embeds[0]
    text = embed_text(answer)
    assert "**Para:** Marruecos (país socio)" in embed.description
    assert "Marruecos" in embed.description.split("(país socio)")[1]  # the advice
    assert "*Traducción no oficial:* «" in text
    assert labels(answer)[:3] == ["Lista de verificación de esta respuesta", "Útil", "Poco útil"]


async def test_an_english_question_from_a_french_client_stays_english(channel, user, locales):
    locales[user.id] = "fr"
    question = "how do we keep employers on board in a talent partnership"
    answer = (await user.slash(channel, "ask", question=question)).response
    assert answer.embeds[0].title == "Bridge the public and private sectors"
    assert labels(answer)[0] == "Checklist from this answer"


async def test_the_language_option_chooses_the_answer_language(channel, user):
    question = "how do we keep employers on board in a talent partnership"
    answer = (await user.slash(channel, "ask", question=question, language="es")).response
    assert answer.embeds[0].title == "Tender puentes entre los sectores público y privado"


async def test_a_french_checklist_keeps_its_language_when_ticked(channel, user, locales):
    locales[user.id] = "fr"
    posted = (
        await user.slash(
            channel, "checklist", topic="readiness", partner="Maroc", sector="agriculture"
        )
    ).response
    text = embed_text(posted)
    assert "Liste de contrôle : Examen de l'état de préparation du partenariat" in text
    assert "**Pour :** Maroc (pays partenaire) · agriculture (secteur)" in text
    assert "**0/25 effectuées**" in text
    assert (
        "☐ 1. Recenser dans un tableau unique les intérêts de chaque partie prenante, y compris le Maroc."
        in text
    )
    ticked = (await user.click(posted, label="1")).response
    assert "**1/25 effectuées**" in embed_text(ticked)
    assert "cochée par Bob" in embed_text(ticked)
    assert "Exporter" in labels(ticked)
