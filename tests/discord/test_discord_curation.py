"""Curation from Discord behind the quality gate, driven through SimCord: the reload preview
and its confirmation, rollback, "Add to guidance" (passing and refused), the report's
review list and missed questions, "Why this answer?", and members served while guidance is
being checked.

Every edit here is the same one (APPS attached to tools-technology), so the engine is fitted
for it once and the start-up cache serves it to every later test of the session.
"""

from __future__ import annotations

import asyncio
import functools
import threading

import pytest
import simcord
from sim_helpers import gate_done, labels, reload_shown
from simcord import SetupError

from pact_advisor.discord_bot.admin import curation
from pact_advisor.discord_bot.core.errors import AdvisorError
from pact_advisor.knowledge.curate import add_example

APPS = "what software can a diaspora network use to run its activities?"
TOOLS = "diaspora.tools-technology"
NETWORKS = "diaspora.umbrella-networks"
EMPLOYERS = "how do we keep employers on board in a talent partnership"

pytestmark = pytest.mark.simcord(settle_timeout=120)


@pytest.fixture
async def served_copy(env, make_bot, guidance_copy):
    """The bot serving a private copy of the guidance (edited by the test)."""
    old_bot = env.bot
    await env.restart_bot(make_bot(guidance_dir=guidance_copy))
    await old_bot.close()
    return guidance_copy


@functools.cache
def _item_by_title() -> dict[str, str]:
    from pact_advisor.knowledge import load_guidance
    from pact_advisor.resources import guidance_dir

    return {item.title: item.id for item in load_guidance(guidance_dir()).items.values()}


def top_item(answer) -> str:
    """The item an answer gives, from the title a member sees."""
    return _item_by_title()[answer.embeds[0].title]


async def ask(user, channel, question=APPS):
    return (await user.slash(channel, "ask", question=question)).response


async def test_reload_preview_counts_changed_answers_and_cancel_keeps_serving(
    env, channel, admin, user, served_copy
):
    old = env.bot.services.advisor.version
    assert top_item(await ask(user, channel)) == NETWORKS
    await ask(user, channel, EMPLOYERS)
    add_example(served_copy, TOOLS, APPS)

    preview = await reload_shown(env, admin, channel)
    assert "passed the quality gate: 41 items in 7 collections." in preview.content
    assert "Of the 2 most recent stored questions, 1 would get a different top answer." in (
        preview.content
    )
    assert f"• “{APPS}”: `{NETWORKS}` → `{TOOLS}`" in preview.content
    assert preview.content.endswith(f"Confirm to serve it instead of {old}.")
    assert labels(preview) == ["Serve the new guidance", "Cancel"]
    assert env.bot.services.advisor.version == old  # nothing is served before confirming

    cancelled = await admin.click(preview, label="Cancel")
    assert cancelled.response.content == f"Nothing changed: still serving guidance {old}."
    assert top_item(await ask(user, channel)) == NETWORKS


async def test_a_confirmed_reload_is_served_and_rollback_returns_to_the_snapshot(
    env, channel, admin, user, served_copy
):
    nothing = (await admin.slash(channel, "advisor rollback")).response
    assert nothing.content == "There is no previous guidance to return to since the bot started."
    old = env.bot.services.advisor.version
    add_example(served_copy, TOOLS, APPS)
    preview = await reload_shown(env, admin, channel)
    served = await admin.click(preview, label="Serve the new guidance")
    new = env.bot.services.advisor.version
    assert served.response.content.startswith(f"Reloaded: guidance {old} → {new}")
    assert top_item(await ask(user, channel)) == TOOLS

    back = (await admin.slash(channel, "advisor rollback")).response
    assert back.content.startswith(f"Rolled back: guidance {new} → {old}. The files are unchanged")
    assert top_item(await ask(user, channel)) == NETWORKS
    # The snapshot is now the one left: a second rollback undoes the first.
    again = (await admin.slash(channel, "advisor rollback")).response
    assert again.content.startswith(f"Rolled back: guidance {old} → {new}.")


async def test_why_this_answer_says_when_todays_guidance_answers_differently(
    env, channel, admin, user, served_copy
):
    old = env.bot.services.advisor.version
    answer = await ask(user, channel)
    before = await user.context_menu(channel, "Why this answer?", answer)
    assert before.ephemeral
    assert before.response.content.startswith(f"Given under guidance {old}, with {NETWORKS}")
    assert "\nWhy: " in before.response.content
    assert before.response.content.endswith(f"Today's guidance ({old}) gives the same answer.")

    add_example(served_copy, TOOLS, APPS)
    await admin.click(await reload_shown(env, admin, channel), label="Serve the new guidance")
    new = env.bot.services.advisor.version
    after = (await user.context_menu(channel, "Why this answer?", answer)).response.content
    assert after.startswith(f"Given under guidance {old}, with {NETWORKS}")
    assert f"Today's guidance ({new}) answers differently: {TOOLS}" in after

    mine = await user.send(channel, "just a message from a member")
    refused = await user.context_menu(channel, "Why this answer?", mine)
    assert refused.response.content == (
        "That message is not one of my answers, or its record was purged."
    )
    simcord.assert_error(env, AdvisorError)


async def test_add_to_guidance_on_a_members_message_goes_live_through_the_gate(
    env, channel, admin, user, served_copy
):
    asked = await user.send(channel, APPS)
    shown = await admin.context_menu(channel, "Add to guidance", asked)
    fields = {
        c["custom_id"]: c.get("value")
        for row in shown.modal["components"]
        for c in row.get("components", [row.get("component", row)])
    }
    assert fields == {"curate:item": NETWORKS, "curate:question": APPS}  # today's answer

    submitted = await admin.submit_modal(shown, {"curate:item": TOOLS, "curate:question": APPS})
    await gate_done(env)
    new = env.bot.services.advisor.version
    assert submitted.response.content == (
        f"Added “{APPS}” to `{TOOLS}`. Guidance {new} passed the quality gate and is now "
        "served: the question is answered with that item."
    )
    assert top_item(await ask(user, channel)) == TOOLS
    assert f'      - "{APPS}"' in (served_copy / "diaspora.yaml").read_text(encoding="utf-8")
    assert f'"{APPS}": {TOOLS}' in (served_copy / "regressions.yaml").read_text(encoding="utf-8")


async def test_members_cannot_add_to_guidance(env, channel, user):
    asked = await user.send(channel, APPS)
    with pytest.raises(SetupError, match="not visible"):
        await user.context_menu(channel, "Add to guidance", asked)


@pytest.fixture
def pinned_copy(tmp_path, guidance_copy):
    """The guidance after APPS was attached to tools-technology, with a near-duplicate of a
    new question pinned to it in the regression file."""
    add_example(guidance_copy, TOOLS, APPS)
    with (guidance_copy / "regressions.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f'"{PINNED}": {TOOLS}\n')
    return guidance_copy


PINNED = "what apps help diaspora associations to run their projects"


async def test_add_to_guidance_that_would_regress_is_undone_and_says_why(
    env, channel, admin, user, make_bot, pinned_copy
):
    old_bot = env.bot
    await env.restart_bot(make_bot(guidance_dir=pinned_copy))
    await old_bot.close()
    version = env.bot.services.advisor.version
    files = {p.name: p.read_bytes() for p in pinned_copy.glob("*.yaml")}
    question = PINNED + "?"

    asked = await user.send(channel, question)
    shown = await admin.context_menu(channel, "Add to guidance", asked)
    submitted = await admin.submit_modal(
        shown, {"curate:item": NETWORKS, "curate:question": question}
    )
    await gate_done(env)
    reply = submitted.response.content
    assert reply.startswith(
        f"Not added to `{NETWORKS}`: the quality gate failed, so the guidance files are as "
        "they were."
    )
    assert f"• regression: “{PINNED}”: {TOOLS} → {NETWORKS} (must be {TOOLS})" in reply
    assert "Answers that would change:" in reply
    assert {p.name: p.read_bytes() for p in pinned_copy.glob("*.yaml")} == files
    assert env.bot.services.advisor.version == version


async def test_report_offers_missed_questions_and_lists_items_due_for_review(
    env, channel, admin, user
):
    missed = "which visa rules apply to seasonal workers coming from Georgia to Poland?"
    reply = await ask(user, channel, missed)
    assert reply is None or "not" in (reply.content or "") or reply.embeds
    report = (await admin.slash(channel, "advisor report")).response
    assert "Items due for review:" not in (report.content or "")  # all reviewed this year
    shown = await admin.select(report, ["0"])
    assert shown.modal is not None
    values = [c.get("value") for row in shown.modal["components"] for c in row["components"]]
    assert missed in values

    await env.advance_time(800 * 86400)  # two years later, every item is due
    later = (await admin.slash(channel, "advisor report")).response
    assert later.content.startswith(
        "Items due for review:\n• `capacity-building.local-governance`: due since 2027-12-02"
    )
    assert later.content.endswith("… and 31 more")


async def test_members_are_served_while_a_reload_is_checked(
    env, channel, admin, user, served_copy, monkeypatch
):
    # The check is held at its start until the member has been served: nothing on the event
    # loop waits for it.
    release, started = threading.Event(), threading.Event()
    real_gate = curation._gate

    def held_gate(services, current):
        started.set()
        assert release.wait(60)
        return real_gate(services, current)

    monkeypatch.setattr(curation, "_gate", held_gate)
    try:
        add_example(served_copy, TOOLS, APPS)
        result = await admin.slash(channel, "advisor reload")
        assert await asyncio.to_thread(started.wait, 30)
        checklist = (await user.slash(channel, "checklist", topic="diaspora")).response
        ticked = await user.click(checklist, label="1")
        assert ticked.response is not None
        assert top_item(await ask(user, channel)) == NETWORKS
        assert env.bot.services.busy  # still being checked
        busy = (await admin.slash(channel, "advisor rollback")).response
        assert busy.content.startswith("The guidance is already being checked")
    finally:
        release.set()
    await gate_done(env)
    assert "passed the quality gate" in result.response.content
