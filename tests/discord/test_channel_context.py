"""/context: a channel's or thread's partnership context, and answers written for it."""

from __future__ import annotations

import discord
import simcord
from sim_helpers import embed_text

from pact_advisor.discord_bot.core.errors import AdvisorError

EMPLOYERS = "how do we keep employers on board in a talent partnership"


async def new_thread(env, channel, name="Morocco pilot"):
    parent = env.bot.get_channel(channel.id)
    await parent.create_thread(name=name, type=discord.ChannelType.public_thread)
    await env.settle()
    return channel.threads[-1]


async def test_context_set_show_clear_and_an_answer_and_checklist_written_for_it(
    env, channel, user, make_bot
):
    result = await user.slash(channel, "context set", partner="Morocco", sector="agriculture")
    assert not result.ephemeral  # the channel sees what its answers are written for
    assert result.response.content == (
        "Answers and checklists in this channel are now written for "
        "Morocco (partner) · agriculture (sector)."
    )
    old = env.bot
    await env.restart_bot(make_bot())  # it survives restarts
    await old.close()

    shown = await user.slash(channel, "context show")
    assert shown.ephemeral
    assert "written for Morocco (partner) · agriculture (sector)" in shown.response.content

    answer = (await user.slash(channel, "ask", question=EMPLOYERS)).response
    description = answer.embeds[0].description
    assert description.startswith("**For Morocco · agriculture**, this channel's context")
    assert "Morocco" in description.split("context", 1)[1]  # the advice is filled for it

    checklist = (await user.slash(channel, "checklist", topic="talent-partnerships")).response
    written_for = "**For Morocco · agriculture**, this channel's context"
    assert written_for in checklist.embeds[0].description
    ticked = await user.click(checklist, label="1")  # every redraw still says so
    assert written_for in ticked.response.embeds[0].description
    # An option of /checklist overrides the channel's context for that checklist.
    other = (
        await user.slash(channel, "checklist", topic="talent-partnerships", partner="Senegal")
    ).response
    assert "**For:** Senegal (partner) · agriculture (sector)" in other.embeds[0].description

    cleared = await user.slash(channel, "context clear")
    assert cleared.response.content.startswith("Context cleared")
    plain = (await user.slash(channel, "ask", question=EMPLOYERS)).response
    assert "For" not in plain.embeds[0].description.split("\n")[0]


async def test_a_country_named_in_the_question_overrides_the_context(channel, user):
    await user.slash(channel, "context set", partner="Morocco")
    answer = (await user.slash(channel, "ask", question=f"{EMPLOYERS} with Senegal")).response
    description = answer.embeds[0].description
    assert "**For:** Senegal (partner)" in description
    assert "this channel's context" not in description


async def test_a_thread_inherits_its_channels_context_unless_it_has_its_own(env, channel, user):
    await user.slash(channel, "context set", partner="Morocco")
    thread = await new_thread(env, channel)
    inherited = await user.slash(thread, "context show")
    assert "the parent channel's context" in inherited.response.content
    answer = (await user.slash(thread, "ask", question=EMPLOYERS)).response
    assert "**For Morocco**, this channel's context" in answer.embeds[0].description

    await user.slash(thread, "context set", partner="Tunisia")
    own = (await user.slash(thread, "ask", question=EMPLOYERS)).response
    assert "**For Tunisia**, this thread's context" in own.embeds[0].description
    parent = (await user.slash(channel, "ask", question=EMPLOYERS)).response
    assert "**For Morocco**, this channel's context" in parent.embeds[0].description


async def test_an_eu_member_state_is_worded_as_one(channel, user):
    answer = (
        await user.slash(channel, "ask", question="how do we engage the diaspora in Spain?")
    ).response
    assert "**For:** Spain (EU member state)" in answer.embeds[0].description
    assert "(partner)" not in embed_text(answer)
    await user.slash(channel, "context set", partner="Spain")
    checklist = (await user.slash(channel, "checklist", topic="diaspora")).response
    description = checklist.embeds[0].description
    assert "**For Spain (EU member state)**, this channel's context" in description
    assert "(partner)" not in description


async def test_partner_autocomplete_offers_known_countries_and_keeps_the_spelling(channel, user):
    offered = await user.autocomplete(channel, "context set", "partner", "moroc")
    assert [c["value"] for c in offered][:2] == ["moroc", "Morocco"]
    typed = await user.autocomplete(channel, "context set", "partner", "Nigeria")
    assert [c["value"] for c in typed] == ["Nigeria"]  # never "Nigéria"
    sectors = await user.autocomplete(channel, "context set", "sector", "agri")
    assert "agriculture" in [c["value"] for c in sectors]


async def test_context_set_needs_a_value(env, channel, user):
    result = await user.slash(channel, "context set")
    assert result.ephemeral
    assert result.response.content == "Give at least one of partner, sector or programme."
    simcord.assert_error(env, AdvisorError)
