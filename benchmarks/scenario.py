"""A seeded load scenario for SimCord, with an independent model of what it must leave behind.

Fifty members work on five checklist messages: they tick and untick steps, turn pages, export,
assign owners, set due dates, mark steps not applicable (or reopen them) through the Manage
panel, ask questions and rate answers, one interaction at a time in a seeded random order. Optionally
some interactions hit an injected Discord 500. The :class:`Model` works out from the sequence
of actions alone what SQLite must hold and what each message must show; the bot is never asked.

Used by ``tests/reliability/test_load.py`` (a few hundred interactions) and by
``benchmarks/load.py`` (thousands, timed). What a message shows and what SQLite holds is read
by :mod:`benchmarks.observe`.

The model's rules are the checklist's contract:

* a step button shows what is stored, so clicking it asks for the opposite of what the member
  *sees*: a grey button ticks, a green one unticks;
* ticking a step that is already ticked keeps the first ticker (no double tick); ticking a
  step marked not applicable makes it done;
* the Manage panel offers "Not applicable" for an open step and "Reopen" for a done or not
  applicable one; owners are stored in the order chosen; an empty due date clears it;
* a panel change is saved, then the checklist message is redrawn for everyone (on the page
  of the step), then the panel answers;
* a change is saved before the message is edited, so when the edit fails (a 500 from Discord)
  the change is stored although the message still shows the old state;
* a "not covered" question is recorded before it is answered, a vote before it is thanked;
* each member has one vote per answer, kept across restarts and changed by the other button.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord

from benchmarks.observe import (
    integrity,
    run_id_of,
    shown_progress,
    shown_steps,
    step_buttons,
    stored_plans,
    stored_ticks,
    stored_unanswered,
    stored_votes,
)
from pact_advisor.store.channel import REASONS

#: The five checklists: (channel index, topic, partner). Three of them have two pages.
CHECKLISTS = (
    (0, "readiness", "Morocco"),
    (0, "talent-partnerships", None),
    (1, "diaspora", "Senegal"),
    (1, "three-i", None),
    (0, "diaspora.umbrella-networks", "Tunisia"),
)
#: Questions asked with /ask: answered, ambiguous, greeting, not covered. No checklist
#: requests: those would post checklists the model does not track.
QUESTIONS = (
    "what are the five success factors?",
    "how do we keep employers on board in a talent partnership",
    "who funds the MPF?",
    "what is the 3I approach?",
    "diaspora umbrella networks",
    "governance",
    "hello",
    "how do I bake bread with diaspora",
    "what is the weather in Paris",
)
#: Relative weights of the actions.
WEIGHTS = {
    "click": 55,
    "page": 5,
    "export": 10,
    "ask": 18,
    "vote": 12,
    "assign": 3,
    "due": 3,
    "na": 3,
}
PAGE_SIZE = 15
#: Due dates a member types (the empty one clears a date); reasons for "not applicable".
DUE_DATES = ("2025-12-01", "2026-01-15", "2026-03-31", "")
SKIP_REASONS = ("Not part of this pilot", "Covered by the partner ministry", "n/a")
MEMBERS = 50
UNEXPECTED_PREFIX = "Sorry, something went wrong"

# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------


@dataclass
class ChecklistModel:
    """One posted checklist: what is stored, and what its message shows."""

    topic: str
    run_id: int
    steps: int
    message: Any  # a live simcord.ResponseMessage
    #: What the database must hold: step -> name of whoever ticked it.
    ticks: dict[int, str] = field(default_factory=dict)
    #: What the message shows (equal to ``ticks`` unless an edit failed).
    shown: dict[int, str] = field(default_factory=dict)
    page: int = 0
    #: step -> owners' names, due date, (name, reason) of a step not applicable.
    owners: dict[int, list[str]] = field(default_factory=dict)
    due: dict[int, str] = field(default_factory=dict)
    skips: dict[int, tuple[str, str]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return -(-self.steps // PAGE_SIZE)

    def on_page(self, page: int | None = None) -> range:
        page = self.page if page is None else page
        return range(page * PAGE_SIZE, min((page + 1) * PAGE_SIZE, self.steps))

    def click(self, step: int, name: str) -> str:
        """Apply a click on ``step`` by ``name`` to the stored state; returns tick/untick."""
        if step in self.shown:  # a green button: untick
            self.ticks.pop(step, None)
            return "untick"
        if step not in self.ticks:  # a ticked step keeps its first ticker
            self.ticks[step] = name
            self.skips.pop(step, None)
        return "tick"

    def plan(self, kind: str, step: int, name: str, value: Any) -> str:
        """Apply a Manage panel change to the stored state; returns what it was."""
        if kind == "assign":
            owners = list(dict.fromkeys(value))
            if owners:
                self.owners[step] = owners
            else:
                self.owners.pop(step, None)
        elif kind == "due":
            if value:
                self.due[step] = value
            else:
                self.due.pop(step, None)
        elif step in self.ticks or step in self.skips:
            self.ticks.pop(step, None)
            self.skips.pop(step, None)
            return "reopen"
        else:
            self.skips[step] = (name, value)
            return "na"
        return kind

    def redrawn(self, page: int) -> None:
        """The message was edited successfully: it shows the stored state on ``page``."""
        self.shown = dict(self.ticks)
        self.page = page


@dataclass
class Model:
    checklists: list[ChecklistModel] = field(default_factory=list)
    #: (answer message id, member id) -> (item id, helpful): one vote per member per answer,
    #: kept by the database across restarts, changed by clicking the other button.
    ballots: dict[tuple[int, int], tuple[str, bool]] = field(default_factory=dict)
    unanswered: int = 0
    #: Public answers that can be rated: (message, item id).
    answers: list[tuple[Any, str]] = field(default_factory=list)
    actions: Counter = field(default_factory=Counter)
    faults: int = 0
    restarts: int = 0
    interactions: int = 0

    @property
    def votes(self) -> Counter:
        """(item id, helpful) -> votes the database must hold."""
        return Counter(self.ballots.values())


# --------------------------------------------------------------------------------------------
# Running it
# --------------------------------------------------------------------------------------------

Timer = Callable[[str, float], None]


@dataclass
class World:
    env: Any
    guild: Any
    channels: list[Any]
    members: list[Any]
    #: The name the bot shows for each member (their global name), by member id.
    names: dict[int, str]


def build_world(env: Any, guild: Any, channel: Any, members: int = MEMBERS) -> World:
    """A second channel and ``members`` members (display names "Member 00" …)."""
    channels = [channel, guild.create_text_channel("pilot")]
    names = {}
    people = []
    for i in range(members):
        name = f"Member {i:02d}"
        member = guild.add_member(env.create_user(f"member{i:02d}", global_name=name))
        names[member.id] = name
        people.append(member)
    return World(env, guild, channels, people, names)


async def _timed(kind: str, timer: Timer | None, coro: Any) -> Any:
    start = time.perf_counter()
    result = await coro
    if timer is not None:
        timer(kind, time.perf_counter() - start)
    return result


def _expect_answer(engine: Any, question: str) -> tuple[bool, str | None, bool]:
    """(private, item id that can be rated, recorded as unanswered) for ``question``."""
    result = engine.ask(question)
    if result.answered and result.matches:
        return False, result.matches[0].id, False
    if result.intent in ("help", "thanks", "topics"):
        return False, None, False
    return True, None, result.reason != "empty"


async def run_scenario(
    world: World,
    interactions: int,
    *,
    seed: int,
    fault_rate: float = 0.0,
    restart_at: Sequence[int] = (),
    restart: Callable[[], Awaitable[None]] | None = None,
    pace: float = 0.0,
    timer: Timer | None = None,
    check_every_step: bool = True,
) -> Model:
    """Post the five checklists, then run interactions in a seeded order until there have
    been ``interactions`` in all.

    ``fault_rate``: the share of interactions whose Discord callback fails once with a 500
    (the bot must then answer with its apology, and keep serving). ``restart``: called when
    the count reaches each of ``restart_at`` (it replaces the bot; its in-memory state is
    gone, while who voted what on which answer is kept by the database). ``pace``: virtual seconds between two
    interactions, so that timers run as they would (private answers' buttons expire after 15
    minutes, the retention purge runs hourly). Returns the model.
    """
    rng = random.Random(seed)
    model = Model()
    engine = world.env.bot.services.advisor.engine
    expectations = {q: _expect_answer(engine, q) for q in QUESTIONS}
    await _post_checklists(world, model, timer)
    restarts = sorted(restart_at)
    while model.interactions < interactions:
        if restarts and model.interactions >= restarts[0] and restart is not None:
            restarts.pop(0)
            await restart()
            model.restarts += 1
        if pace:
            await world.env.advance_time(pace)
        kind, member, faulted = _draw(model, rng, world, fault_rate)
        if kind == "click":
            await _click(model, rng, world, member, faulted, timer, check_every_step)
        elif kind == "page":
            await _page(model, rng, member, faulted, timer)
        elif kind == "export":
            await _export(model, rng, member, faulted, timer)
        elif kind == "ask":
            await _ask(model, rng, world, member, faulted, timer, expectations)
        elif kind == "vote":
            await _vote(model, rng, member, faulted, timer)
        else:
            await _manage(model, rng, world, member, kind, faulted, timer)
        model.interactions += 1
    return model


async def _post_checklists(world: World, model: Model, timer: Timer | None) -> None:
    """The first members post the five checklists, each with nothing ticked yet."""
    for i, (channel_index, topic, partner) in enumerate(CHECKLISTS):
        options = {"partner": partner} if partner else {}
        result = await _timed(
            "post",
            timer,
            world.members[i].slash(
                world.channels[channel_index], "checklist", topic=topic, **options
            ),
        )
        model.interactions += 1
        message = result.response
        done, total = shown_progress(message)
        assert done == 0
        model.checklists.append(ChecklistModel(topic, run_id_of(message), total, message))


def _draw(
    model: Model, rng: random.Random, world: World, fault_rate: float
) -> tuple[str, Any, bool]:
    """The next interaction: its kind, the member, and whether Discord fails it with a 500."""
    kinds, weights = zip(*WEIGHTS.items(), strict=True)
    kind = rng.choices(kinds, weights)[0]
    member = rng.choice(world.members)
    faulted = rng.random() < fault_rate
    if kind == "vote" and not model.answers:
        kind = "ask"
    if kind == "page" and all(c.pages == 1 for c in model.checklists):
        kind = "click"
    if faulted:
        world.env.inject_error("POST", "/interactions/*/*/callback", status=500)
        model.faults += 1
    return kind, member, faulted


def _apology(result: Any) -> None:
    assert result.ephemeral, "a failure must be answered privately"
    assert result.response.content.startswith(UNEXPECTED_PREFIX), result.response.content


async def _click(model, rng, world, member, faulted, timer, check) -> None:
    checklist = rng.choice(model.checklists)
    step = rng.choice(checklist.on_page())
    message = checklist.message
    shown_button = step_buttons(message)[step]
    # The member sees what the model says the message shows.
    assert (shown_button["style"] == discord.ButtonStyle.success.value) == (
        step in checklist.shown
    ), f"step {step + 1} of {checklist.topic} is not shown as the model says"
    action = checklist.click(step, world.names[member.id])
    model.actions[action] += 1
    result = await _timed(action, timer, member.click(message, custom_id=shown_button["custom_id"]))
    if faulted:
        _apology(result)
        if rng.random() < 0.5:
            # A teammate sees the step still shown as before and clicks it: the change was
            # saved already, so this must neither double it nor take the tick over.
            teammate = rng.choice(world.members)
            checklist.click(step, world.names[teammate.id])
            model.actions["retry"] += 1
            model.interactions += 1
            result = await _timed(
                action, timer, teammate.click(message, custom_id=shown_button["custom_id"])
            )
        else:
            return
    assert not result.ephemeral and result.response.id == message.id
    checklist.redrawn(step // PAGE_SIZE)
    if check:
        check_message(checklist)


async def _page(model, rng, member, faulted, timer) -> None:
    checklist = rng.choice([c for c in model.checklists if c.pages > 1])
    forward = checklist.page == 0 or (checklist.page < checklist.pages - 1 and rng.random() < 0.5)
    label, target = ("Next ▶", checklist.page + 1) if forward else ("◀ Prev", checklist.page - 1)
    model.actions["page"] += 1
    result = await _timed("page", timer, member.click(checklist.message, label=label))
    if faulted:
        _apology(result)
        return
    checklist.redrawn(target)
    check_message(checklist)


async def _export(model, rng, member, faulted, timer) -> None:
    checklist = rng.choice(model.checklists)
    model.actions["export"] += 1
    result = await _timed("export", timer, member.click(checklist.message, label="Export"))
    if faulted:
        _apology(result)
        return
    assert result.ephemeral
    attachment = result.response.attachments[0]
    assert re.fullmatch(r"[a-z0-9-]+\.md", attachment.filename), attachment.filename
    check_export((await attachment.read()).decode("utf-8"), checklist)


async def _manage(model, rng, world, member, kind, faulted, timer) -> None:
    """Open the Manage panel on the page shown, pick a step, and change it."""
    checklist = rng.choice(model.checklists)
    step = rng.choice(checklist.on_page())
    name = world.names[member.id]
    run = checklist.run_id
    result = await _timed("manage", timer, member.click(checklist.message, label="Manage"))
    if faulted:
        _apology(result)
        return
    panel = result.response
    picked = member.select(panel, [str(step)], custom_id=f"checklist:{run}:pick:{checklist.page}")
    panel = (await _timed("manage", timer, picked)).response
    model.interactions += 2
    if kind == "assign":
        owners = rng.sample(world.members, rng.randint(0, 3))
        action = checklist.plan("assign", step, name, [world.names[m.id] for m in owners])
        menu = f"checklist:{run}:owners:{step}"
        result = await _timed(action, timer, member.select(panel, owners, custom_id=menu))
    else:
        opens_modal = kind == "due" or not (step in checklist.ticks or step in checklist.skips)
        value = rng.choice(DUE_DATES if kind == "due" else SKIP_REASONS)
        action = checklist.plan(kind, step, name, value)
        label = {"due": "Due date", "na": "Not applicable", "reopen": "Reopen"}[action]
        result = await _timed(action, timer, member.click(panel, label=label))
        if opens_modal:
            assert result.modal is not None, label
            model.interactions += 1
            field = "due" if kind == "due" else "reason"
            result = await _timed(action, timer, member.submit_modal(result, {field: value}))
    model.actions[action] += 1
    shown = result.response  # the private panel, showing the step as now stored
    assert shown.id != checklist.message.id and not shown.embeds, shown
    checklist.redrawn(step // PAGE_SIZE)  # redrawn for everyone before the panel answered


async def _ask(model, rng, world, member, faulted, timer, expectations) -> None:
    question = rng.choice(QUESTIONS)
    private, item, recorded = expectations[question]
    channel = rng.choice(world.channels)
    model.actions["ask"] += 1
    result = await _timed("ask", timer, member.slash(channel, "ask", question=question))
    if recorded:
        model.unanswered += 1  # recorded before the answer is sent, so even when that fails
    if faulted:
        _apology(result)
        return
    assert result.ephemeral == private, question
    assert result.response.embeds and result.response.embeds[0].title
    if item is not None:
        model.answers.append((result.response, item))


async def _vote(model, rng, member, faulted, timer) -> None:
    answer, item = rng.choice(model.answers)
    helpful = rng.random() < 0.6
    model.actions["vote"] += 1
    label = "Helpful" if helpful else "Not helpful"
    result = await _timed("vote", timer, member.click(answer, label=label))
    key = (answer.id, member.id)
    before = model.ballots.get(key)
    if faulted:
        _apology(result)
        if helpful:  # saved before the thanks is sent; "Not helpful" asks first
            model.ballots[key] = (item, True)
        return
    if helpful:
        assert result.ephemeral
        kept = before is not None and before[1]
        assert ("already marked this answer helpful" in result.response.content) == kept
        model.ballots[key] = (item, True)
        return
    assert result.modal is not None  # why not helpful, in one step
    submitted = await member.submit_modal(result, {"reason": [rng.choice(REASONS)]})
    assert submitted.ephemeral
    model.ballots[key] = (item, False)


async def refresh(model: Model, world: World) -> None:
    """Redraw every message whose last edit failed, with two clicks that cancel out."""
    member = world.members[0]
    for checklist in model.checklists:
        if checklist.shown == checklist.ticks:
            continue
        step = checklist.on_page()[0]
        for _ in range(2):
            shown_button = step_buttons(checklist.message)[step]
            checklist.click(step, world.names[member.id])
            await member.click(checklist.message, custom_id=shown_button["custom_id"])
            model.interactions += 1
            checklist.redrawn(checklist.page)


# --------------------------------------------------------------------------------------------
# Checking what the bot left behind against the model
# --------------------------------------------------------------------------------------------


def check_message(checklist: ChecklistModel) -> None:
    """The message shows the stored progress, and the page's steps, buttons and names."""
    message = checklist.message
    assert shown_progress(message) == (len(checklist.shown), checklist.steps), checklist.topic
    page = checklist.on_page()
    names = shown_steps(message)
    assert sorted(names) == list(page), f"{checklist.topic}: wrong page shown"
    buttons = step_buttons(message)
    assert sorted(buttons) == list(page)
    for step in page:
        ticked = step in checklist.shown
        assert names[step] == checklist.shown.get(step), (checklist.topic, step)
        assert buttons[step]["label"] == (f"✓ {step + 1}" if ticked else str(step + 1))
        assert (buttons[step]["style"] == discord.ButtonStyle.success.value) == ticked


def check_export(text: str, checklist: ChecklistModel) -> None:
    """The exported Markdown has one task per step, ticked (with the name) as stored."""
    tasks = [line for line in text.splitlines() if line.startswith(("- [x] ", "- [ ] "))]
    assert len(tasks) == checklist.steps, checklist.topic
    for step, line in enumerate(tasks):
        name = checklist.ticks.get(step)
        if name is None:
            assert line.startswith("- [ ] ") and "ticked by" not in line, (step, line)
        else:
            assert line.startswith("- [x] ") and line.endswith(f"— ticked by {name}"), line


def check_final_state(model: Model, path: Path) -> None:
    """SQLite and every message agree with the model: no tick lost, doubled or invented."""
    assert integrity(path) == "ok"
    expected = {c.run_id: c.ticks for c in model.checklists if c.ticks}
    assert stored_ticks(path) == expected
    plans = {
        c.run_id: {"owners": c.owners, "due": c.due, "skips": c.skips} for c in model.checklists
    }
    assert stored_plans(path, list(plans)) == plans
    for checklist in model.checklists:
        assert checklist.shown == checklist.ticks, f"{checklist.topic} was not redrawn"
        check_message(checklist)
    assert stored_votes(path) == +model.votes
    assert stored_unanswered(path) == model.unanswered
