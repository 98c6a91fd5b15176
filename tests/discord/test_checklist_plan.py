"""Checklists as a team's work plan, as members see them in Discord: owners, due dates, not
applicable, notes, the tick menu, restarts, the export, and controls that only work on
their own checklist."""

from __future__ import annotations

import csv
import io
import json

import simcord
from sim_helpers import button, components, embed_text, labels

from pact_advisor.discord_bot.core.errors import AdvisorError

UMBRELLA = "diaspora.umbrella-networks"


async def start(member, channel, topic=UMBRELLA, **options):
    return (await member.slash(channel, "checklist", topic=topic, **options)).response


def run_of(message) -> int:
    return int(button(message, "Export")["custom_id"].split(":")[1])


def steps_text(message) -> str:
    return "\n".join(f.value for f in message.embeds[0].fields)


async def manage(member, message, step: int):
    """Open the Manage panel of ``message`` and pick step ``step`` (1-based)."""
    run = run_of(message)
    panel = (await member.click(message, label="Manage")).response
    picked = await member.select(panel, [str(step - 1)], custom_id=f"checklist:{run}:pick:0")
    return picked.response


async def in_modal(member, panel, label: str, values: dict):
    shown = await member.click(panel, label=label)
    assert shown.modal is not None, shown.response and shown.response.content
    return await member.submit_modal(shown, values)


async def test_two_owners_and_a_past_due_date_are_shown_to_everyone(env, channel, admin, user):
    message = await start(user, channel)
    run = run_of(message)
    panel = (await user.click(message, label="Manage")).response
    assert panel.content.startswith("Manage “Invest in umbrella organisations")
    picked = (await user.select(panel, ["0"], custom_id=f"checklist:{run}:pick:0")).response
    assert "Open." in picked.content and "No owners yet." in picked.content

    owned = await user.select(picked, [admin, user], custom_id=f"checklist:{run}:owners:0")
    assert "Owners: Ana, Bob" in owned.response.content
    dated = await in_modal(user, owned.response, "Due date", {"due": "2025-12-20"})
    assert "Due: 2025-12-20 **overdue**" in dated.response.content

    shown = channel.last_message  # the checklist message, redrawn for everyone
    assert shown.id == message.id
    assert "**0/3 done** · 1 overdue" in shown.embeds[0].description
    assert "↳ 👤 Ana, Bob · 📅 2025-12-20 **overdue**" in steps_text(shown)

    # Done steps are not overdue.
    await admin.click(shown, label="1")
    assert "overdue" not in channel.last_message.embeds[0].description


async def test_a_bad_due_date_gets_a_clear_private_message(env, channel, user):
    message = await start(user, channel)
    panel = await manage(user, message, 2)
    refused = await in_modal(user, panel, "Due date", {"due": "31/12/2026"})
    assert refused.ephemeral
    assert refused.response.content == (
        "“31/12/2026” is not a date: use YYYY-MM-DD, e.g. 2026-01-31."
    )
    assert "📅" not in steps_text(channel.last_message)
    simcord.assert_error(env, AdvisorError, contains="is not a date")


async def test_not_applicable_with_a_reason_changes_progress_and_can_be_reopened(channel, user):
    message = await start(user, channel)
    panel = await manage(user, message, 2)
    skipped = await in_modal(user, panel, "Not applicable", {"reason": "No networks exist yet"})
    assert "Not applicable (Bob): No networks exist yet" in skipped.response.content

    shown = channel.last_message
    assert "**0/3 done** · 1 not applicable ▰▰▰▱▱▱▱▱▱▱" in shown.embeds[0].description
    assert (
        "⊘ 2. ~~Assess their reach and what support would strengthen them.~~"
        " — not applicable (Bob): No networks exist yet"
    ) in steps_text(shown)

    reopened = await user.click(skipped.response, label="Reopen")
    assert "Open." in reopened.response.content
    assert "**0/3 done**" in channel.last_message.embeds[0].description
    assert "not applicable" not in channel.last_message.embeds[0].description


async def test_a_note_is_shown_under_its_step(channel, user):
    message = await start(user, channel)
    panel = await manage(user, message, 3)
    noted = await in_modal(user, panel, "Note", {"note": "Budget line 4.2"})
    assert "Note: Budget line 4.2" in noted.response.content
    assert "↳ 📝 Budget line 4.2" in steps_text(channel.last_message)


async def test_the_tick_menu_ticks_and_unticks_several_steps_at_once(channel, admin, user):
    message = await start(user, channel)
    run = run_of(message)
    menu = next(c for c in components(message) if c.get("custom_id") == f"checklist:{run}:ticks:0")
    assert menu["max_values"] == 3 and menu["min_values"] == 0
    assert menu["options"][0]["label"].startswith("1. Map existing umbrella")

    ticked = (await admin.select(message, ["0", "2"], custom_id=menu["custom_id"])).response
    assert "**2/3 done**" in ticked.embeds[0].description
    assert labels(ticked)[:3] == ["✓ 1", "2", "✓ 3"]
    assert "— ticked by Ana" in steps_text(ticked)

    changed = (await user.select(ticked, ["1"], custom_id=menu["custom_id"])).response
    assert labels(changed)[:3] == ["1", "✓ 2", "3"]
    assert "**1/3 done**" in changed.embeds[0].description


async def test_the_tick_menu_pages_with_long_checklists(channel, user):
    message = await start(user, channel, topic="readiness")
    page2 = (await user.click(message, label="Next ▶")).response
    run = run_of(page2)
    menu = next(c for c in components(page2) if c.get("custom_id") == f"checklist:{run}:ticks:1")
    assert [o["value"] for o in menu["options"]] == [str(i) for i in range(15, 25)]
    ticked = (await user.select(page2, ["15", "24"], custom_id=menu["custom_id"])).response
    assert "**2/25 done**" in ticked.embeds[0].description
    assert "page 2/2" in ticked.embeds[0].footer.text


async def test_the_work_plan_survives_a_restart(env, channel, admin, user, make_bot):
    message = await start(user, channel)
    panel = await manage(user, message, 1)
    run = run_of(message)
    await user.select(panel, [admin], custom_id=f"checklist:{run}:owners:0")
    old_message = channel.last_message

    old_bot = env.bot
    await env.restart_bot(make_bot())
    await old_bot.close()

    panel = await manage(user, old_message, 2)
    await in_modal(user, panel, "Not applicable", {"reason": "Covered by the pilot"})
    shown = channel.last_message
    assert "↳ 👤 Ana" in steps_text(shown)
    assert "not applicable (Bob): Covered by the pilot" in steps_text(shown)
    ticked = await admin.click(shown, label="3")
    assert "**1/3 done** · 1 not applicable" in ticked.response.embeds[0].description


async def test_the_export_carries_what_an_auditor_needs(env, channel, admin, user):
    message = await start(user, channel, partner="Morocco")
    run = run_of(message)
    panel = await manage(user, message, 1)
    await user.select(panel, [admin, user], custom_id=f"checklist:{run}:owners:0")
    await in_modal(user, panel, "Due date", {"due": "2026-03-31"})
    panel = await manage(user, message, 2)
    await in_modal(admin, await manage(admin, message, 2), "Not applicable", {"reason": "n/a"})
    await user.click(channel.last_message, label="3")

    exported = await user.click(channel.last_message, label="Export")
    markdown = (await exported.response.attachments[0].read()).decode("utf-8")
    assert "- Owners: Ana, Bob\n- Due: 2026-03-31\n" in markdown
    assert "- State: not applicable, by Ana at 2026-01-01T00:00:00Z\n- Reason: n/a" in markdown
    version = env.bot.services.advisor.version
    assert f"Made by Bob at 2026-01-01T00:00:00Z from guidance version {version}." in markdown
    assert labels(exported.response) == ["CSV", "JSON with history", "MD with history"]

    as_csv = await user.click(exported.response, label="CSV")
    assert as_csv.response.attachments[0].filename == (
        "checklist-diaspora-umbrella-networks-morocco.csv"
    )
    rows = list(csv.DictReader(io.StringIO((await as_csv.response.attachments[0].read()).decode())))
    assert [r["state"] for r in rows] == ["open", "not_applicable", "done"]
    assert rows[0]["owners"] == "Ana; Bob" and rows[0]["due"] == "2026-03-31"
    assert rows[1]["by"] == "Ana" and rows[1]["reason"] == "n/a"
    assert rows[2]["at"] == "2026-01-01T00:00:00Z" and rows[2]["item_id"] == UMBRELLA
    quote = env.bot.services.advisor.guidance.items[UMBRELLA].quote
    assert all(r["quote"] == quote for r in rows)

    as_json = await user.click(exported.response, label="JSON with history")
    data = json.loads(await as_json.response.attachments[0].read())
    assert data["guidance_version"] == version and data["created_by"] == "Bob"
    assert data["steps"][1]["state"] == "not_applicable"
    assert [e["change"] for e in data["history"]] == ["assign", "due", "skip", "tick"]
    assert data["history"][0]["detail"] == "Ana, Bob"


def forge(env, channel, message, old: str, new: str) -> None:
    """What a modified client does: make a control send another custom_id."""
    stored = env.backend.get_message(channel.id, message.id)
    for row in stored.components:
        for c in row.get("components", []):
            if c.get("custom_id") == old:
                c["custom_id"] = new


async def test_a_member_of_another_server_cannot_touch_a_run(env, guild, channel, user):
    victim = await start(user, channel)
    victim_run = run_of(victim)
    other = env.create_guild("Elsewhere")
    elsewhere = other.create_text_channel("ops")
    mallory = other.add_member(env.create_user("mallory", global_name="Mallory"))
    await env.bot.tree.sync()  # the commands everywhere, not only in the development server
    own = await start(mallory, elsewhere)
    own_run = run_of(own)

    forge(env, elsewhere, own, f"checklist:{own_run}:tick:0", f"checklist:{victim_run}:tick:0")
    refused = await mallory.click(own, custom_id=f"checklist:{victim_run}:tick:0")
    assert refused.ephemeral
    assert refused.response.content == (
        "That control does not belong to a checklist of this channel, so nothing was changed."
    )
    forge(env, elsewhere, own, f"checklist:{own_run}:export", f"checklist:{victim_run}:export")
    refused = await mallory.click(own, custom_id=f"checklist:{victim_run}:export")
    assert refused.ephemeral and not refused.response.attachments

    # Out of range: a step the run does not have, a run id SQLite cannot hold.
    forge(env, elsewhere, own, f"checklist:{own_run}:tick:1", f"checklist:{own_run}:tick:99")
    refused = await mallory.click(own, custom_id=f"checklist:{own_run}:tick:99")
    assert refused.response.content == "This checklist has no such step, so nothing was changed."
    huge = "checklist:99999999999999999999:page:0"
    forge(env, elsewhere, own, f"checklist:{own_run}:tick:2", huge)
    refused = await mallory.click(own, custom_id=huge)
    assert refused.response.content == "This checklist is no longer stored, so it can't be changed."

    stored = await env.bot.services.store.get_run(victim_run)
    assert stored.ticks == {} and await env.bot.services.store.run_events(victim_run) == []


async def test_a_control_copied_onto_another_message_of_the_channel_is_refused(env, channel, user):
    first = await start(user, channel)
    second = await start(user, channel)
    first_run, second_run = run_of(first), run_of(second)
    forge(env, channel, second, f"checklist:{second_run}:tick:0", f"checklist:{first_run}:tick:0")
    refused = await user.click(second, custom_id=f"checklist:{first_run}:tick:0")
    assert refused.ephemeral
    assert (await env.bot.services.store.get_run(first_run)).ticks == {}


async def test_members_are_limited_in_making_checklists_and_exports(
    env, guild, channel, user, admin
):
    for _ in range(5):
        message = await start(user, channel)
    refused = await user.slash(channel, "checklist", topic=UMBRELLA)
    assert refused.ephemeral
    assert refused.response.content.startswith("That is a lot at once (5 per 60 seconds).")
    assert len(await env.bot.services.store.list_runs()) == 5
    simcord.assert_error(env, AdvisorError, contains="a lot at once")
    # Others are not held back; exports count too; the member may go on after a minute.
    assert not (await admin.slash(channel, "checklist", topic=UMBRELLA)).ephemeral
    carla = guild.add_member(env.create_user("carla", global_name="Carla"))
    for _ in range(5):
        assert (await carla.click(message, label="Export")).response.attachments
    refused = await carla.click(message, label="Export")
    assert refused.ephemeral and not refused.response.attachments
    await env.advance_time(61)
    assert (await user.click(message, label="Export")).response.attachments


async def test_a_tick_menu_value_that_is_not_on_the_page_is_refused(env, channel, user):
    message = await start(user, channel)
    run = run_of(message)
    stored = env.backend.get_message(channel.id, message.id)
    for row in stored.components:
        for c in row.get("components", []):
            if c.get("custom_id") == f"checklist:{run}:ticks:0":
                c["options"].append({"label": "forged", "value": "7"})
    refused = await user.select(message, ["7"], custom_id=f"checklist:{run}:ticks:0")
    assert refused.ephemeral
    assert refused.response.content.startswith("This checklist has no such step")
    assert "**0/3 done**" in embed_text(channel.last_message)
