"""/checklist: ticking by several people, paging, export, restarts and failed saves."""

from __future__ import annotations

import sqlite3

import discord
import pytest
import simcord
from sim_helpers import button, labels

from pact_advisor.discord_bot.core.adapter import safe_filename
from pact_advisor.discord_bot.core.errors import AdvisorError
from pact_advisor.knowledge import load_guidance
from pact_advisor.knowledge.review import as_of
from pact_advisor.resources import guidance_dir

UMBRELLA = "diaspora.umbrella-networks"
UMBRELLA_TITLE = "Invest in umbrella organisations, platforms and networks"


async def start(user, channel, topic=UMBRELLA, **options):
    return (await user.slash(channel, "checklist", topic=topic, **options)).response


def steps_text(message) -> str:
    return "\n".join(f.value for f in message.embeds[0].fields)


async def test_checklist_is_posted_with_a_button_per_step(channel, user):
    message = await start(user, channel, partner="Morocco")

    embed = message.embeds[0]
    assert embed.title == f"Checklist: {UMBRELLA_TITLE}"
    assert "**For:** Morocco (partner)" in embed.description
    assert "**0/3 done**" in embed.description
    assert (
        "☐ 1. Map existing umbrella organisations, platforms and networks of diaspora from Morocco."
        in steps_text(message)
    )
    assert labels(message) == ["1", "2", "3", "Export", "Manage"]
    assert channel.last_message.id == message.id  # public, so the team can tick it


async def test_topic_autocomplete_offers_collections_items_and_readiness(channel, user):
    everything = await user.autocomplete(channel, "checklist", "topic", "")
    assert len(everything) == 25  # Discord's maximum
    guidance = load_guidance(guidance_dir())
    assert [c["value"] for c in everything[:8]] == [*guidance.collections, "readiness"]
    assert everything[8]["value"] == next(iter(guidance.items))

    ready = await user.autocomplete(channel, "checklist", "topic", "readi")
    assert ready == [{"name": "Partnership readiness review (readiness)", "value": "readiness"}]

    umbrella = await user.autocomplete(channel, "checklist", "topic", "umbrella")
    assert [c["value"] for c in umbrella] == [UMBRELLA]
    diaspora = await user.autocomplete(channel, "checklist", "topic", "diaspora")
    assert diaspora[0]["value"] == "diaspora"  # the collection first
    assert all("diaspora" in (c["name"] + c["value"]).lower() for c in diaspora)


async def test_two_members_tick_and_everyone_sees_progress_and_names(channel, admin, user):
    message = await start(user, channel)

    first = await admin.click(message, label="1")
    assert first.response.id == message.id  # the checklist message itself is updated
    second = await user.click(message, label="3")
    assert not second.ephemeral

    shown = channel.last_message
    assert "**2/3 done**" in shown.embeds[0].description
    text = steps_text(shown)
    assert "☑ 1. Map existing umbrella organisations" in text and "— ticked by Ana" in text
    assert "☐ 2. Assess their reach" in text
    assert "☑ 3. Include funding or other support" in text and "— ticked by Bob" in text
    assert labels(shown) == ["✓ 1", "2", "✓ 3", "Export", "Manage"]
    assert button(shown, "✓ 1")["style"] == discord.ButtonStyle.success.value

    # Anyone can untick.
    undone = await user.click(message, label="✓ 1")
    assert "**1/3 done**" in undone.response.embeds[0].description
    assert "ticked by Ana" not in steps_text(undone.response)


async def test_long_checklists_are_paged(channel, admin, user):
    message = await start(user, channel, topic="readiness")

    assert labels(message) == [str(i) for i in range(1, 16)] + [
        "◀ Prev",
        "Next ▶",
        "Export",
        "Manage",
    ]
    assert button(message, "◀ Prev")["disabled"]
    assert "page 1/2" in message.embeds[0].footer.text

    page2 = (await user.click(message, label="Next ▶")).response
    assert labels(page2) == [str(i) for i in range(16, 26)] + [
        "◀ Prev",
        "Next ▶",
        "Export",
        "Manage",
    ]
    assert button(page2, "Next ▶")["disabled"]
    ticked = (await admin.click(page2, label="22")).response
    assert "**1/25 done**" in ticked.embeds[0].description
    assert "page 2/2" in ticked.embeds[0].footer.text  # still on the page being worked on
    back = (await user.click(ticked, label="◀ Prev")).response
    assert labels(back)[0] == "1" and "**1/25 done**" in back.embeds[0].description


async def test_state_survives_a_restart_and_old_controls_still_work(
    env, channel, admin, user, make_bot
):
    message = await start(user, channel)
    await admin.click(message, label="1")
    old_message = channel.last_message  # a snapshot fetched before the restart

    old_bot = env.bot
    await env.restart_bot(make_bot())
    await old_bot.close()

    result = await user.click(old_message, label="2")
    assert result.acknowledged
    shown = result.response
    assert "**2/3 done**" in shown.embeds[0].description
    assert "— ticked by Ana" in steps_text(shown) and "— ticked by Bob" in steps_text(shown)
    exported = await user.click(shown, label="Export")
    assert b"- [x] Map existing" in await exported.response.attachments[0].read()


async def test_export_is_a_markdown_file_with_who_ticked_what(env, channel, admin, user):
    message = await start(user, channel, partner="Morocco")
    await admin.click(message, label="1")
    await user.click(message, label="3")

    result = await user.click(message, label="Export")
    assert result.ephemeral
    assert result.response.content == "Checklist with its ticks, 2/3 done."
    attachment = result.response.attachments[0]
    assert attachment.filename == "checklist-diaspora-umbrella-networks-morocco.md"
    text = (await attachment.read()).decode("utf-8")
    assert text.split("\n## Audit")[0] == (
        f"# Checklist: {UMBRELLA_TITLE}\n"
        "\n"
        "For: Morocco (partner)\n"
        "\n"
        "## Diaspora engagement\n"
        "\n"
        "- [x] Map existing umbrella organisations, platforms and networks of diaspora from Morocco."
        " — ticked by Ana\n"
        "- [ ] Assess their reach and what support would strengthen them.\n"
        "- [x] Include funding or other support for them in the programme. — ticked by Bob\n"
        "\n"
        f"Drawn from: {UMBRELLA_TITLE} (`{UMBRELLA}`)\n"
        "\n"
        f"*Guidance as of {as_of(env.bot.services.advisor.guidance.items.values())}.*\n"
    )
    audit = text.split("\n## Audit\n")[1]
    assert "Made by Bob at 2026-01-01T00:00:00Z from guidance version " in audit
    assert "- State: done, by Ana at 2026-01-01T00:00:00Z" in audit
    assert "- State: open" in audit
    assert f"- Guidance: `{UMBRELLA}` — “" in audit


@pytest.mark.parametrize(
    ("partner", "filename"),
    [
        ("../../etc/passwd", "checklist-diaspora-umbrella-networks-etc-passwd.md"),
        ("CON", "checklist-diaspora-umbrella-networks-con.md"),
        ("Côte d'Ivoire", "checklist-diaspora-umbrella-networks-cote-d-ivoire.md"),
    ],
)
async def test_export_filenames_are_safe(channel, user, partner, filename):
    message = await start(user, channel, partner=partner)
    result = await user.click(message, label="Export")
    assert result.response.attachments[0].filename == filename


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("../../etc/passwd",), "checklist-etc-passwd.md"),
        (("C:\\Windows\\system32",), "checklist-c-windows-system32.md"),
        ((".hidden", "\x00nul"), "checklist-hidden-nul.md"),
        (("", None), "checklist.md"),
    ],
)
def test_safe_filename(parts, expected):
    assert safe_filename(*parts) == expected


def test_safe_filename_avoids_reserved_device_names():
    assert safe_filename("CON", prefix="") == "file-con.md"
    assert safe_filename(prefix="LPT1") == "file-lpt1.md"


async def test_a_tick_that_cannot_be_saved_is_not_shown_as_done(channel, user, tmp_path):
    message = await start(user, channel)

    other = sqlite3.connect(tmp_path / "advisor.db", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
    try:
        failed = await user.click(message, label="1")
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert failed.ephemeral
    assert failed.response.content.startswith(
        "That was not saved: could not save: the database is locked"
    )
    shown = channel.last_message
    assert "**0/3 done**" in shown.embeds[0].description
    assert labels(shown) == ["1", "2", "3", "Export", "Manage"]

    retried = await user.click(message, label="1")
    assert "**1/3 done**" in retried.response.embeds[0].description


async def test_unknown_topic_gets_a_private_hint(env, channel, user):
    result = await user.slash(channel, "checklist", topic="diaspra")
    assert result.ephemeral
    assert result.response.content.startswith(
        "There is no checklist for “diaspra”. Did you mean `diaspora`"
    )
    simcord.assert_error(env, AdvisorError)
