"""The Manage panel: a private message where a member picks a step of a checklist and sets
its owners (a user select), its due date, not applicable with a reason, or a note (modals),
or reopens it. Each change is saved first, then the public checklist message is redrawn for
everyone, then the panel shows the step as now stored.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from pact_advisor.discord_bot.checklist.components import change, option_label, render_run
from pact_advisor.discord_bot.checklist.items import ChecklistButton, ChecklistMenu, OwnerMenu
from pact_advisor.discord_bot.checklist.items import action as register
from pact_advisor.discord_bot.checklist.state import (
    advisor_of,
    guarded_run,
    say,
    step_in,
    today,
)
from pact_advisor.discord_bot.core.adapter import NO_MENTIONS, display_name, edit_kwargs
from pact_advisor.discord_bot.core.errors import AdvisorError, report_error
from pact_advisor.render.discord_target import clamp_page, page_of, page_steps
from pact_advisor.render.workplan import step_states
from pact_advisor.store import Change, Run, parse_due
from pact_advisor.store.plans import MAX_OWNERS, TEXT_MAX

log = logging.getLogger(__name__)


def _text(run: Run, interaction: discord.Interaction, name: str, **values: Any) -> str:
    return say(interaction, name, run.language, **values)


def panel_view(run: Run, interaction: discord.Interaction, page: int, step: int | None):
    """The panel's controls: the step menu (the page's steps), then for a picked step its
    owners and its buttons."""
    view = discord.ui.View(timeout=None)
    options = [
        discord.SelectOption(
            label=option_label(s + 1, run.steps[s].text), value=str(s), default=s == step
        )
        for s in page_steps(page, len(run.steps))
    ]
    view.add_item(
        ChecklistMenu(
            run.id, "pick", page, options=options, placeholder=_text(run, interaction, "menu_pick")
        )
    )
    if step is None:
        return view
    owners = [discord.Object(id=o.user_id) for o in run.owners.get(step, ())]
    view.add_item(
        OwnerMenu(
            run.id,
            "owners",
            step,
            min_values=0,
            max_values=MAX_OWNERS,
            default_values=owners,
            placeholder=_text(run, interaction, "menu_owners"),
            row=1,
        )
    )
    buttons = ["due", "reopen" if run.state(step) != "open" else "skip", "note"]
    for name in buttons:
        style = discord.ButtonStyle.danger if name == "skip" else discord.ButtonStyle.secondary
        label = _text(run, interaction, f"label_{name}")
        view.add_item(ChecklistButton(run.id, name, step, label=label, style=style, row=2))
    return view


def panel_text(run: Run, interaction: discord.Interaction, step: int | None) -> str:
    if step is None:
        return _text(run, interaction, "panel_pick", title=run.title)
    state = step_states(run, today(interaction))[step]
    return _text(
        run, interaction, "panel_step", number=step + 1, text=run.steps[step].text, **state
    )


async def show_panel(
    interaction: discord.Interaction, run: Run, page: int, step: int | None, *, edit: bool
) -> None:
    content = panel_text(run, interaction, step)
    view = panel_view(run, interaction, page, step)
    if edit and interaction.message is not None:
        await interaction.response.edit_message(
            content=content, embeds=[], view=view, allowed_mentions=NO_MENTIONS
        )
    else:
        await interaction.response.send_message(
            content, view=view, ephemeral=True, allowed_mentions=NO_MENTIONS
        )
    # Its controls are dynamic items, dispatched by custom_id: the view need not wait for
    # them (discord.py keeps a private message's view listening for 15 minutes).
    view.stop()


async def redraw_public(interaction: discord.Interaction, run: Run, step: int) -> None:
    """Redraw the checklist message for everyone, on the page of ``step``. The change is
    saved already; a message that cannot be edited is logged and shows it at its next edit."""
    if run.message_id is None or run.channel_id is None:
        return
    message, view = render_run(run, advisor_of(interaction), page_of(step), today(interaction))
    channel = interaction.client.get_partial_messageable(run.channel_id, guild_id=run.guild_id)
    try:
        await channel.get_partial_message(run.message_id).edit(**edit_kwargs(message), view=view)
    except discord.HTTPException as exc:
        log.warning("could not redraw the message of run %s: %s", run.id, exc)


async def changed(interaction: discord.Interaction, run_id: int, changes: list[Change]) -> None:
    """Save, redraw the checklist for everyone, show the step in the panel."""
    step = changes[0].step
    run = await change(interaction, run_id, changes)
    await redraw_public(interaction, run, step)
    await show_panel(interaction, run, page_of(step), step, edit=True)


@register("manage")
async def open_panel(control: ChecklistButton, interaction: discord.Interaction) -> None:
    run = await guarded_run(interaction, control.run_id)
    page = clamp_page(control.arg or 0, len(run.steps))
    await show_panel(interaction, run, page, None, edit=False)


@register("pick")
async def pick_step(control: ChecklistMenu, interaction: discord.Interaction) -> None:
    run = await guarded_run(interaction, control.run_id)
    page = clamp_page(control.arg or 0, len(run.steps))
    values = control.values
    picked = int(values[0]) if values and values[0].isdigit() else None
    step = step_in(interaction, run, picked if picked in page_steps(page, len(run.steps)) else None)
    await show_panel(interaction, run, page, step, edit=True)


def _step(interaction: discord.Interaction, step: int | None) -> int:
    if step is None:
        raise AdvisorError(say(interaction, "no_such_step"))
    return step


@register("owners")
async def set_owners(control: OwnerMenu, interaction: discord.Interaction) -> None:
    step = _step(interaction, control.arg)
    chosen = control.values
    if interaction.guild_id is not None and not all(isinstance(m, discord.Member) for m in chosen):
        raise AdvisorError(say(interaction, "owners_not_members"))
    owners = tuple((m.id, display_name(m)) for m in chosen[:MAX_OWNERS])
    await changed(interaction, control.run_id, [Change("assign", step, owners=owners)])


@register("reopen")
async def reopen(control: ChecklistButton, interaction: discord.Interaction) -> None:
    step = _step(interaction, control.arg)
    await changed(interaction, control.run_id, [Change("reopen", step)])


class StepModal(discord.ui.Modal):
    """A modal about one step; errors reach the member like a command's."""

    def __init__(self, run: Run, step: int, kind: str, title: str, field: discord.ui.TextInput):
        super().__init__(title=title[:45], timeout=600)
        self.run_id, self.step, self.kind, self.field = run.id, step, kind, field
        self.language = run.language
        self.add_item(field)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        value = self.field.value
        if self.kind == "due":
            try:
                due = parse_due(value)
            except ValueError:
                text = say(interaction, "bad_date", self.language, text=value)
                raise AdvisorError(text) from None
            change = Change("due", self.step, due=due)
        else:
            change = Change(self.kind, self.step, text=value.strip() or None)
        await changed(interaction, self.run_id, [change])

    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:
        await report_error(interaction, error, f"modal {self.kind} of run {self.run_id}")


def _field(run: Run, interaction: discord.Interaction, kind: str, default: str | None):
    return discord.ui.TextInput(
        custom_id={"due": "due", "skip": "reason", "note": "note"}[kind],
        label=_text(run, interaction, f"field_{kind}")[:45],
        default=default,
        required=kind == "skip",
        max_length=10 if kind == "due" else TEXT_MAX,
        style=discord.TextStyle.short if kind == "due" else discord.TextStyle.paragraph,
    )


@register("due")
@register("skip")
@register("note")
async def ask_in_modal(control: ChecklistButton, interaction: discord.Interaction) -> None:
    run = await guarded_run(interaction, control.run_id)
    step = step_in(interaction, run, control.arg)
    kind = control.action
    current = {"due": run.due.get(step), "note": run.notes.get(step), "skip": None}[kind]
    title = _text(run, interaction, f"modal_{kind}", number=step + 1)
    field = _field(run, interaction, kind, current)
    await interaction.response.send_modal(StepModal(run, step, kind, title, field))
