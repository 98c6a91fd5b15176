"""Load: 50 members on 5 checklist messages, a few hundred interleaved interactions (ticks,
unticks, pages, exports, owners, due dates, not applicable and reopen through the Manage
panel, questions, votes) in a seeded order. At the end SQLite and every
message equal what an independent model worked out from the actions: no tick lost, doubled
or invented. The scenario is ``benchmarks.scenario``; the load benchmark
(``python -m benchmarks.load``) runs it with thousands."""

from __future__ import annotations

import discord
import pytest

from benchmarks.scenario import (
    CHECKLISTS,
    MEMBERS,
    build_world,
    check_final_state,
    refresh,
    run_scenario,
)

INTERACTIONS = 320


@pytest.fixture
def bot_options():
    # /ask allows 5 questions per 30 s per member (tested in tests/discord/test_ask.py); here
    # virtual time stands still (or nearly), so the limit would only turn questions away.
    # The same holds for the per-member limits on checklists, exports and step changes.
    return {
        "settings_changes": {
            "ask_rate": 1_000_000,
            "checklist_rate": 1_000_000,
            "change_rate": 1_000_000,
        }
    }


async def test_interleaved_load_leaves_exactly_the_modelled_state(env, guild, channel, db_path):
    world = build_world(env, guild, channel)
    model = await run_scenario(world, INTERACTIONS, seed=20260101)

    assert model.interactions >= 300 and len(world.members) == MEMBERS
    assert len(model.checklists) == len(CHECKLISTS)
    assert model.actions["tick"] > 70 and model.actions["untick"] > 15
    assert min(model.actions[k] for k in ("ask", "export", "vote", "page")) > 5
    assert min(model.actions[k] for k in ("assign", "due", "na")) > 2
    check_final_state(model, db_path)
    assert env.errors == []


async def test_load_with_discord_failures_and_restarts_loses_nothing(
    env, guild, channel, db_path, make_bot
):
    async def restart():
        old = env.bot
        await env.restart_bot(make_bot())
        await old.close()

    world = build_world(env, guild, channel)
    model = await run_scenario(
        world,
        INTERACTIONS,
        seed=7,
        fault_rate=0.08,
        restart_at=(110, 220),
        restart=restart,
        pace=10.0,  # 53 virtual minutes: private answers' buttons expire meanwhile
    )
    # A failed edit leaves a message behind the database until its next successful edit.
    await refresh(model, world)

    assert model.faults >= 15 and model.restarts == 2
    check_final_state(model, db_path)
    # The only errors are the injected ones, each answered with an apology (checked per action).
    errors = env.errors
    assert all(
        isinstance(getattr(e, "original", e), discord.HTTPException)
        and getattr(e, "original", e).status == 500
        for e in errors
    ), errors
