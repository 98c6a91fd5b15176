"""/advisor reload | report | purge, and who may use them."""

from __future__ import annotations

import re
import shutil

import discord
import pytest
import simcord
from conftest import GUILD_ID
from discord import app_commands
from sim_helpers import embed_text, gate_done, reload_shown
from simcord import SetupError

from pact_advisor.resources import prompts_dir

EMPLOYERS = "how do we keep employers on board in a talent partnership"
REFUSED = "Only members with the **Manage Server** permission can use this."


async def test_admin_commands_are_hidden_from_members(channel, admin, user):
    assert "advisor purge" in admin.available_commands(channel)
    assert not [c for c in user.available_commands(channel) if c.startswith("advisor")]
    with pytest.raises(SetupError, match="not visible"):
        await user.slash(channel, "advisor purge")


async def test_admin_commands_refuse_members_without_manage_server(
    env, guild, channel, admin, user
):
    # A server admin may open the command to a member; the handler still checks.
    commands = await env.bot.tree.fetch_commands(guild=discord.Object(GUILD_ID))
    advisor = next(c for c in commands if c.name == "advisor")
    guild.set_command_permissions(advisor, {user: True})

    for command in ("advisor purge", "advisor reload", "advisor report"):
        result = await user.slash(channel, command)
        assert result.ephemeral
        assert result.response.content == REFUSED
        simcord.assert_error(env, app_commands.MissingPermissions)


#: A reload of edited guidance fits the engine's models again, which takes a few seconds: the
#: command defers ("thinking...") and the simulator waits for its follow-up.
FITTING = pytest.mark.simcord(settle_timeout=60)


@FITTING
async def test_reload_picks_up_edited_guidance(env, channel, admin, user, make_bot, guidance_copy):
    old_bot = env.bot
    await env.restart_bot(make_bot(guidance_dir=guidance_copy))
    await old_bot.close()
    old = env.bot.services.advisor.version

    path = guidance_copy / "talent-partnerships.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Bridge the public and private sectors", "Bring employers and authorities together"
        ),
        encoding="utf-8",
    )
    # Edited guidance refits the engine, which takes seconds on a busy two-core machine.
    env.settle_timeout = 60.0
    result = await admin.slash(channel, "advisor reload")
    assert result.ephemeral
    await gate_done(env)
    preview = result.response
    assert env.bot.services.advisor.version == old  # nothing served before the confirmation
    confirmed = await admin.click(preview, label="Serve the new guidance")
    new = env.bot.services.advisor.version
    assert new != old
    assert (
        confirmed.response.content
        == f"Reloaded: guidance {old} → {new}, 41 items in 7 collections."
    )

    answer = (await user.slash(channel, "ask", question=EMPLOYERS)).response
    assert answer.embeds[0].title == "Bring employers and authorities together"


async def test_reload_with_broken_guidance_keeps_serving_the_old_version(
    env, channel, admin, user, make_bot, guidance_copy
):
    old_bot = env.bot
    await env.restart_bot(make_bot(guidance_dir=guidance_copy))
    await old_bot.close()
    version = env.bot.services.advisor.version

    path = guidance_copy / "diaspora.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("id: diaspora.recognition", "id: diaspora.overview"), encoding="utf-8"
    )
    (guidance_copy / "rules.yaml").write_text("thresholds: [not, a, mapping\n", encoding="utf-8")

    result = await admin.slash(channel, "advisor reload")
    assert result.ephemeral
    await gate_done(env)
    shown = result.response
    assert shown.content == "Found 3 problems."
    embed = shown.embeds[0]
    assert embed.title == "Reload failed: nothing changed"
    # Parentheses are shown as they are: Discord only reads them in a link.
    assert re.match(
        r"• diaspora\.yaml:\d+: diaspora\.overview: id: duplicate id "
        r"\(first in diaspora\.yaml:\d+\)\n",
        embed.description,
    )
    assert "related: unknown item id 'diaspora.recognition'" in embed.description
    assert "rules.yaml" in embed.description and "YAML error" in embed.description
    assert embed.footer.text.startswith(f"Still serving guidance {version}.")
    assert env.bot.services.advisor.version == version

    question = "how do we recognise the work of diaspora organisations?"
    answer = (await user.slash(channel, "ask", question=question)).response
    assert answer.embeds[0].title == "Promote and recognise the work of diaspora"


async def test_reload_with_a_broken_template_names_it_and_keeps_serving(
    env, channel, admin, user, tmp_path
):
    prompts = tmp_path / "prompts"
    shutil.copytree(prompts_dir(), prompts)
    path = prompts / "answer.discord.j2"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{% set footer", "{% set footer }}"), encoding="utf-8")
    env.bot.services.prompts_dir = prompts

    shown = await reload_shown(env, admin, channel)
    assert shown.content == "Found 1 problem."
    assert re.fullmatch(
        r"• answer\.discord\.j2:\d+: TemplateSyntaxError: unexpected '}'",
        shown.embeds[0].description,
    )
    answer = (await user.slash(channel, "ask", question=EMPLOYERS)).response
    assert answer.embeds[0].title == "Bridge the public and private sectors"


async def test_reload_errors_are_trimmed_to_fit(env, channel, admin, make_bot, guidance_copy):
    old_bot = env.bot
    await env.restart_bot(make_bot(guidance_dir=guidance_copy))
    await old_bot.close()
    for path in guidance_copy.glob("*.yaml"):
        if path.name not in ("rules.yaml", "glossary.yaml", "context.yaml"):
            path.write_text(
                path.read_text(encoding="utf-8").replace("    examples:", "    exemples:"),
                encoding="utf-8",
            )

    shown = await reload_shown(env, admin, channel)
    embed = shown.embeds[0]
    assert shown.content.startswith("Found ") and len(embed.description) <= 4096
    assert "… and " in embed.description  # the rest are counted, not listed


async def not_helpful(member, answer, reason="wrong-topic"):
    """Click "Not helpful" and give the reason the form asks for."""
    shown = await member.click(answer, label="Not helpful")
    return await member.submit_modal(shown, {"reason": [reason]})


async def test_report_lists_unanswered_and_not_helpful_since_a_date(channel, admin, user):
    await user.slash(channel, "ask", question="how do I bake bread with diaspora")
    answer = (await user.slash(channel, "ask", question=EMPLOYERS)).response
    await not_helpful(user, answer)
    await admin.click(answer, label="Helpful")

    result = await admin.slash(channel, "advisor report", since="2026-01-01")
    assert result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == "Pact Advisor report since 2026-01-01"
    assert embed.description == "1 unanswered question(s), 1 answer(s) marked not helpful."
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Unanswered (1)"] == "• 2026-01-01 “how do I bake bread with diaspora”"
    assert fields["Not helpful (1)"] == (
        f"• 2026-01-01 `talent-partnerships.public-private` “{EMPLOYERS}” · Wrong topic"
    )
    assert fields["Votes per item (1)"] == (
        "• `talent-partnerships.public-private` 👍 1 · 👎 1 (Wrong topic 1)"
    )

    later = (await admin.slash(channel, "advisor report", since="2026-01-02")).response
    assert later.embeds[0].description.startswith("0 unanswered")


async def test_report_rejects_a_bad_date(env, channel, admin):
    result = await admin.slash(channel, "advisor report", since="last week")
    assert result.ephemeral
    assert result.response.content == "“last week” is not a date: use YYYY-MM-DD, e.g. 2026-01-31."
    simcord.assert_error(env, Exception)


async def test_purge_deletes_question_text_and_says_how_many(channel, admin, user):
    await user.slash(channel, "ask", question="how do I bake bread with diaspora")
    answer = (await user.slash(channel, "ask", question=EMPLOYERS)).response
    await not_helpful(user, answer)

    result = await admin.slash(channel, "advisor purge")
    assert result.ephemeral
    # Each question is stored with its answer; one was voted on, one was not answered.
    assert result.response.content == (
        "Deleted 4 stored copies of question text (in answers, votes and unanswered "
        "questions). Votes and counts are kept."
    )
    report = embed_text((await admin.slash(channel, "advisor report")).response)
    assert "bake bread" not in report and EMPLOYERS not in report
    assert report.count("*(question text purged)*") == 2
    assert "👎 1" in report

    # The answer no longer knows its question either: a new vote is recorded without it.
    await not_helpful(admin, answer)
    report = embed_text((await admin.slash(channel, "advisor report")).response)
    assert EMPLOYERS not in report and report.count("*(question text purged)*") == 3


@pytest.fixture
def bot_options():
    return {"settings_changes": {"retention_days": 2}}


async def test_question_text_expires_after_the_retention_period(env, channel, admin, user):
    await user.slash(channel, "ask", question="how do I bake bread with diaspora")
    await env.advance_time(86_400)
    assert "bake bread" in embed_text((await admin.slash(channel, "advisor report")).response)

    await env.advance_time(86_400 + 3_600)  # the hourly purge runs past the 2 days
    report = embed_text((await admin.slash(channel, "advisor report")).response)
    assert "bake bread" not in report and "*(question text purged)*" in report
