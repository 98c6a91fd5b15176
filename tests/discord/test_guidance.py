"""/topics, /guidance item: and /help."""

from __future__ import annotations

import simcord
from sim_helpers import embed_text, labels

from pact_advisor.discord_bot.core.errors import AdvisorError
from pact_advisor.knowledge import load_guidance
from pact_advisor.render import discord_escape
from pact_advisor.resources import guidance_dir


async def test_topics_lists_every_collection(channel, user):
    result = await user.slash(channel, "topics")
    assert result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == "What the guidance covers"
    assert embed.description.startswith("41 items in 7 collections.")
    guidance = load_guidance(guidance_dir())
    assert [f.name for f in embed.fields] == [
        f"{discord_escape(c.title)} ({len(guidance.items_in(cid))})"
        for cid, c in guidance.collections.items()
    ]
    assert "`diaspora.umbrella-networks`" in embed_text(result.response)


async def test_guidance_item_shows_everything_on_it(channel, user):
    result = await user.slash(channel, "guidance", item="diaspora.umbrella-networks")
    assert not result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == "Invest in umbrella organisations, platforms and networks"
    assert [f.name for f in embed.fields][:2] == ["Checklist", "Source"]
    assert "Checklist from this answer" in labels(result.response)

    # It is a turn of the conversation too: a reply continues from the item.
    await user.send(channel, "make that a checklist", reply_to=result.response.message)
    assert channel.last_message.embeds[0].title.startswith("Checklist: Invest in umbrella")


async def test_guidance_without_an_item_lists_the_topics(channel, user):
    result = await user.slash(channel, "guidance")
    assert result.response.embeds[0].title == "What the guidance covers"


async def test_unknown_item_gets_a_private_hint(env, channel, user):
    result = await user.slash(channel, "guidance", item="talent partnership")
    assert result.ephemeral
    assert "There is no guidance item “talent partnership”. Did you mean `talent-partnerships." in (
        result.response.content
    )
    simcord.assert_error(env, AdvisorError)


async def test_guidance_item_by_its_title_or_a_few_of_its_words(channel, user):
    by_title = await user.slash(
        channel, "guidance", item="invest in umbrella organisations platforms and networks"
    )
    by_words = await user.slash(channel, "guidance", item="umbrella networks")
    for result in (by_title, by_words):
        assert not result.ephemeral
        title = result.response.embeds[0].title
        assert title == "Invest in umbrella organisations, platforms and networks"


async def test_members_see_no_keywords_or_examples_admins_do_privately(channel, admin, user):
    member = await user.slash(channel, "guidance", item="diaspora.umbrella-networks")
    names = [f.name for f in member.response.embeds[0].fields]
    assert "Keywords" not in names and "Example questions" not in names

    shown = await admin.slash(channel, "guidance", item="diaspora.umbrella-networks")
    assert shown.ephemeral
    names = [f.name for f in shown.response.embeds[0].fields]
    assert "Keywords" in names and "Example questions" in names


async def test_item_autocomplete_matches_ids_and_titles(channel, user):
    by_id = await user.autocomplete(channel, "guidance", "item", "three-i.")
    assert [c["value"] for c in by_id] == [
        "three-i.overview",
        "three-i.institutions",
        "three-i.interests",
        "three-i.ideas",
    ]
    by_title = await user.autocomplete(channel, "guidance", "item", "umbrella")
    assert by_title == [
        {
            "name": "Invest in umbrella organisations, platforms and networks (diaspora.umbrella-networks)",
            "value": "diaspora.umbrella-networks",
        }
    ]
    assert len(await user.autocomplete(channel, "guidance", "item", "")) == 25


async def test_help_explains_the_bot(channel, user):
    result = await user.slash(channel, "help")
    assert result.ephemeral
    text = embed_text(result.response)
    assert result.response.embeds[0].title == "Pact Advisor"
    assert "/ask question:" in text and "/checklist topic:" in text
