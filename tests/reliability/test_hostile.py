"""Hostile input through Discord: template syntax stays text, mentions ping nobody, unsafe
YAML is refused on reload.

Already covered elsewhere, not repeated here: export file names for ``../../etc/passwd`` and
``CON`` (tests/discord/test_checklist.py); admin commands refused server-side to a member
the command was opened to (test_admin.py); the token on a login failure (test_run.py, and
test_startup.py here through a real HTTP exchange); the Message Content intent missing
(test_intents.py); retention on virtual time (test_admin.py); arbitrary Unicode through the
engine and renderer (tests/test_fuzz.py).
"""

from __future__ import annotations

import pytest
import simcord
from sim_helpers import embed_text, gate_done

from pact_advisor.discord_bot.core.errors import AdvisorError

#: Jinja2 that would visibly change if it were ever evaluated.
TEMPLATES = (
    "{{ 7*191 }}",  # 1337
    "{% for x in 'xyz' %}Q{% endfor %}",  # QQQ
    "{{ 'ab' * 3 }}",  # ababab
)
EVALUATED = ("1337", "QQQ", "ababab")


def everything_shown(message) -> str:
    return embed_text(message)


def assert_literal(text: str) -> None:
    for evaluated in EVALUATED:
        assert evaluated not in text, f"template evaluated: {evaluated!r} in {text!r}"
    assert "{{" in text or "{%" in text, text


async def test_template_syntax_in_questions_names_and_context_stays_literal(
    env, guild, channel, user
):
    question = f"{TEMPLATES[0]} diaspora umbrella networks {TEMPLATES[1]}"
    answer = (await user.slash(channel, "ask", question=question)).response
    assert_literal(everything_shown(answer))

    private = await user.slash(channel, "ask", question=f"{TEMPLATES[2]} bake bread")
    assert private.ephemeral
    assert_literal(everything_shown(private.response))

    await user.send(channel, f"{env.bot.user.mention} {TEMPLATES[0]} what is the 3I approach?")
    assert_literal(everything_shown(channel.last_message))
    await user.send(channel, f"what about {TEMPLATES[2]}?", reply_to=channel.last_message)
    assert_literal(everything_shown(channel.last_message))

    checklist = (
        await user.slash(
            channel,
            "checklist",
            topic="diaspora.umbrella-networks",
            partner=TEMPLATES[0],
            sector=TEMPLATES[1],
            programme=TEMPLATES[2],
        )
    ).response
    shown = everything_shown(checklist)
    assert_literal(shown)
    assert "{{ 7\\*191 }}" in shown  # shown as typed (the * escaped for Discord)

    jinja_fan = guild.add_member(env.create_user("jinja", global_name=TEMPLATES[0]))
    ticked = (await jinja_fan.click(checklist, label="1")).response
    assert "ticked by {{ 7\\*191 }}" in everything_shown(ticked)

    exported = await user.click(checklist, label="Export")
    text = (await exported.response.attachments[0].read()).decode("utf-8")
    assert_literal(text)
    assert (
        exported.response.attachments[0].filename == "checklist-diaspora-umbrella-networks-7-191.md"
    )

    unknown = await user.slash(channel, "checklist", topic=TEMPLATES[1])
    assert unknown.ephemeral and "{% for x in" in unknown.response.content
    assert_literal(unknown.response.content)
    simcord.assert_error(env, AdvisorError)


async def test_python_object_tags_in_guidance_are_refused_on_reload(
    env, channel, admin, user, make_bot, guidance_copy, tmp_path
):
    old_bot = env.bot
    await env.restart_bot(make_bot(guidance_dir=guidance_copy))
    await old_bot.close()
    version = env.bot.services.advisor.version
    marker = tmp_path / "pwned"
    (guidance_copy / "evil.yaml").write_text(
        f'!!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8"
    )
    (guidance_copy / "evil2.yaml").write_text(
        f"items:\n  - !!python/object/new:builtins.exec [\"open('{marker}', 'w')\"]\n",
        encoding="utf-8",
    )

    result = await admin.slash(channel, "advisor reload")
    assert result.ephemeral
    await gate_done(env)
    assert result.response.content == "Found 2 problems."
    embed = result.response.embeds[0]
    assert embed.title == "Reload failed: nothing changed"
    assert "evil.yaml:1: YAML error: unsafe or unknown YAML tag" in embed.description
    assert "evil2.yaml:2: YAML error: unsafe or unknown YAML tag" in embed.description
    assert not marker.exists()
    assert env.bot.services.advisor.version == version
    answer = (await user.slash(channel, "ask", question="diaspora umbrella networks")).response
    assert f"guidance {version}" in answer.embeds[0].footer.text


# --------------------------------------------------------------------------------------------
# Mentions: every message the bot sends in a scenario full of them pings nobody
# --------------------------------------------------------------------------------------------


def _bodies(env) -> list[tuple[str, dict]]:
    """Every message the bot sent or edited, as (request, body) from the REST log."""
    out = []
    for e in env.http_requests:
        body = e.json
        if not isinstance(body, dict):
            continue
        if e.path.endswith("/callback"):
            body = body.get("data") or {}
        if e.method in ("POST", "PATCH") and ({"content", "embeds", "attachments"} & set(body)):
            out.append((f"{e.method} {e.path}", body))
    return out


@pytest.fixture
def team(guild):
    return guild.create_role("Team", mentionable=True)


async def test_mentions_in_anything_echoed_ping_nobody(env, guild, channel, admin, user, team):
    # The bot's role has every permission but administrator, Mention Everyone included, and
    # the role is mentionable: only the bot's own care stands between an echo and a ping.
    assert guild.me.guild_permissions.mention_everyone
    pings = f"@everyone @here {team.mention} {admin.mention} <@!{admin.id}>"
    here = guild.add_member(env.create_user("here", global_name="@here"))
    everyone = guild.add_member(env.create_user("everyone", global_name="@everyone"))

    answer = await user.slash(channel, "ask", question=f"{pings} what is the 3I approach?")
    await user.slash(channel, "ask", question=f"{pings} how do I bake bread")
    await user.send(channel, f"{env.bot.user.mention} {pings} diaspora umbrella networks")
    await user.send(channel, f"and for {pings}?", reply_to=channel.last_message)
    await user.send(channel, f"make that a checklist {pings}", reply_to=channel.last_message)
    said = await user.send(channel, f"{pings} what are the five success factors?")
    await admin.context_menu(channel, "Ask Pact Advisor", said)
    checklist = (
        await user.slash(
            channel,
            "checklist",
            topic="diaspora.umbrella-networks",
            partner="@everyone",
            sector=team.mention,
            programme=f"<@{admin.id}>",
        )
    ).response
    await here.click(checklist, label="1")
    await everyone.click(checklist, label="2")
    await user.click(checklist, label="Export")
    shown = await user.click(answer.response, label="Not helpful")
    await user.submit_modal(shown, {"reason": ["other"], "note": pings})
    await user.click(answer.response, label="Checklist from this answer")
    await user.slash(channel, "checklist", topic="@everyone")
    await user.slash(channel, "guidance", item=team.mention)
    await admin.slash(channel, "advisor report", since="@here")
    await admin.slash(channel, "advisor report")
    dana = env.create_user("dana")
    await dana.send_dm(f"{pings} diaspora umbrella networks")
    simcord.assert_error(env, AdvisorError)

    sent = _bodies(env)
    assert len(sent) == 17  # one message (or edit) per action above
    for request, body in sent:
        mentions = body.get("allowed_mentions")
        assert mentions is not None, f"{request} sent without allowed_mentions"
        assert mentions.get("parse") == [], (request, mentions)
        assert not mentions.get("users") and not mentions.get("roles"), (request, mentions)
        assert not mentions.get("replied_user"), (request, mentions)

    # What Discord did with them: nobody was pinged (SimCord's record of the delivery). The
    # echoed text is also escaped, so this holds even without allowed_mentions.
    bot_messages = [
        m
        for ch, viewer in ((channel, user), (channel, admin), (dana.dm_channel, dana))
        for m in ch.history(viewer=viewer)
        if m.author.id == env.bot.user.id
    ]
    assert len({m.id for m in bot_messages}) >= 12
    for message in bot_messages:
        assert message.mention_everyone is False
        stored = env.backend.get_message(message.channel.id, message.id)
        assert stored.ping_user_ids == [] and stored.ping_role_ids == [], message.content
        assert "@everyone" not in (message.content or "") and "@here" not in (message.content or "")
