"""The daily digest and /checklists, as members see them: the digest comes at its time on the
bot's own loop (simulated time), mentions exactly the owners of what is due, survives a
restart, stays quiet when nothing is due; /checklists lists open checklists with links."""

from __future__ import annotations

import simcord
from sim_helpers import button, requests

from pact_advisor.discord_bot.core.errors import AdvisorError

UMBRELLA = "diaspora.umbrella-networks"
HOUR = 3600


async def start(member, channel, topic=UMBRELLA):
    return (await member.slash(channel, "checklist", topic=topic)).response


def run_of(message) -> int:
    return int(button(message, "Export")["custom_id"].split(":")[1])


async def plan(member, message, step: int, *, owners=(), due=None):
    """Set owners and a due date of step ``step`` (1-based) through the Manage panel."""
    run = run_of(message)
    panel = (await member.click(message, label="Manage")).response
    panel = await member.select(panel, [str(step - 1)], custom_id=f"checklist:{run}:pick:0")
    panel = panel.response
    if owners:
        owned = await member.select(
            panel, list(owners), custom_id=f"checklist:{run}:owners:{step - 1}"
        )
        panel = owned.response
    if due:
        shown = await member.click(panel, label="Due date")
        await member.submit_modal(shown, {"due": due})


def posts(env, channel) -> list:
    return requests(env, "POST", f"/channels/{channel.id}/messages")


async def test_the_digest_comes_at_its_time_and_mentions_exactly_the_owners(
    env, guild, channel, admin, user, make_bot
):
    carla = guild.add_member(env.create_user("carla", global_name="Carla"))
    message = await start(user, channel)
    await plan(user, message, 1, owners=(admin, carla), due="2025-12-30")  # overdue
    await plan(user, message, 2, due="2026-01-05")  # due within a week, nobody to ping
    await plan(user, message, 3, owners=(user,), due="2026-03-01")  # not due yet
    digests = guild.create_text_channel("digest")

    on = await admin.slash(channel, "advisor digest on", channel=digests, time="9:00")
    assert on.ephemeral and on.response.content.startswith(
        f"Daily digest on: <#{digests.id}> at 09:00 UTC"
    )
    # The schedule is stored: a new bot keeps it.
    old_bot = env.bot
    await env.restart_bot(make_bot())
    await old_bot.close()

    await env.advance_time(8 * HOUR + 59 * 60)
    assert posts(env, digests) == []
    await env.advance_time(2 * 60)
    sent = posts(env, digests)
    assert len(sent) == 1
    body = sent[0].json
    assert body["content"] == f"<@{admin.id}> <@{carla.id}>"
    assert sorted(body["allowed_mentions"]["users"]) == sorted([admin.id, carla.id])
    assert body["allowed_mentions"]["parse"] == []
    shown = digests.last_message
    assert shown.embeds[0].title == "Checklist digest for 2026-01-01"
    value = shown.embeds[0].fields[0].value
    assert "⚠️ **overdue** 1. Map existing umbrella" in value and "— 👤 Ana, Carla" in value
    assert "📅 2. Assess their reach" in value and "due 2026-01-05" in value
    assert "3. Include funding" not in value
    assert f"/channels/{guild.id}/{channel.id}/{message.id}" in value

    # Once a day.
    await env.advance_time(12 * HOUR)
    assert len(posts(env, digests)) == 1


async def test_the_digest_stays_quiet_when_nothing_is_due_and_can_be_turned_off(
    env, guild, channel, admin, user
):
    message = await start(user, channel)
    await plan(user, message, 1, owners=(admin,), due="2026-06-30")
    await admin.slash(channel, "advisor digest on", channel=channel, time="06:00")
    before = len(posts(env, channel))
    await env.advance_time(7 * HOUR)
    assert len(posts(env, channel)) == before

    off = await admin.slash(channel, "advisor digest off")
    assert off.response.content == "Daily digest off."
    again = await admin.slash(channel, "advisor digest off")
    assert again.response.content == "There was no daily digest to turn off."


async def test_a_bad_digest_time_gets_a_clear_private_message(env, channel, admin):
    bad = await admin.slash(channel, "advisor digest on", channel=channel, time="25:00")
    assert bad.response.content == "“25:00” is not a time: use HH:MM in UTC, e.g. 08:30."
    assert bad.ephemeral
    simcord.assert_error(env, AdvisorError)
    assert await env.bot.services.store.digests() == []


async def test_checklists_lists_the_open_ones_with_progress_and_links(env, guild, channel, user):
    first = await start(user, channel)
    second = await start(user, channel, topic="readiness")
    await plan(user, first, 2, due="2025-12-01")
    await user.click(second, label="1")
    done = await start(user, channel)
    for label in ("1", "2", "3"):
        done = (await user.click(done, label=label)).response
    pilot = guild.create_text_channel("pilot")
    elsewhere = await start(user, pilot)

    here = await user.slash(channel, "checklists")
    assert here.ephemeral
    embed = here.response.embeds[0]
    assert embed.title == "Open checklists in this channel"
    lines = embed.description.splitlines()
    assert len(lines) == 2  # the complete one is not open
    assert lines[0].startswith("• [Partnership readiness review](https://discord.com/channels/")
    assert f"/{channel.id}/{second.id}) — 1/25 done" in lines[0]
    assert lines[1].endswith("— 0/3 done · **1 overdue**")

    server = await user.slash(channel, "checklists", server=True)
    text = server.response.embeds[0].description
    assert server.response.embeds[0].title == "Open checklists in this server"
    assert f"<#{pilot.id}>" in text and f"/{pilot.id}/{elsewhere.id})" in text
    assert len(text.splitlines()) == 3
