"""A checklist message: one tick button per step on the page, a menu that ticks several
steps at once, Prev / Next, Export and Manage.

State lives in the store; every change is saved first, and the message is edited only once
the save succeeded. What a control does is registered here for ticks, pages and the tick
menu (see :mod:`~pact_advisor.discord_bot.checklist.items`).
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from pact_advisor.app import Advisor
from pact_advisor.checklists import Checklist
from pact_advisor.discord_bot.checklist.items import ChecklistButton, ChecklistMenu, action
from pact_advisor.discord_bot.checklist.state import (
    MAX_ID,
    advisor_of,
    gone,
    guarded_run,
    limit,
    refused,
    say,
    services_of,
    today,
)
from pact_advisor.discord_bot.core.adapter import display_name, edit_kwargs, message_kwargs
from pact_advisor.discord_bot.core.errors import AdvisorError, AdvisorView
from pact_advisor.discord_bot.core.services import Services
from pact_advisor.render import DiscordMessage, Renderer
from pact_advisor.render.discord_target import (
    PAGE_SIZE,
    clamp_page,
    page_count,
    page_of,
    page_steps,
)
from pact_advisor.render.workplan import step_states, today_of
from pact_advisor.store import (
    Change,
    Place,
    Run,
    RunElsewhere,
    StepOutOfRange,
    StoreError,
    UnknownRunError,
)

log = logging.getLogger(__name__)

#: Tick buttons per row; a page (``PAGE_SIZE`` steps) fills three rows, the fourth holds the
#: tick menu, the fifth Prev / Next / Export / Manage.
ROW_SIZE = 5
MENU_ROW, NAV_ROW = 3, 4
#: Discord's limit on a select option's label.
OPTION_LABEL = 100


def checklist_of(run: Run, advisor: Advisor) -> Checklist:
    """The checklist a stored run snapshotted (section titles from the current guidance)."""
    return run.checklist(advisor.guidance)


def tick_names(run: Run) -> dict[int, str]:
    return {step: tick.user_name for step, tick in run.ticks.items()}


def render_run(
    run: Run, advisor: Advisor, page: int = 0, day: str | None = None
) -> tuple[DiscordMessage, discord.ui.View]:
    """The message (one page) and its controls for ``run`` as stored now; ``day`` (UTC,
    YYYY-MM-DD) is the day due dates are overdue against (default: today)."""
    page = clamp_page(page, len(run.steps))
    day = day or today_of(discord.utils.utcnow().timestamp())
    renderer = advisor.renderer
    message = renderer.discord_checklist(
        checklist_of(run, advisor),
        page=page,
        states=step_states(run, day),
        context_note=run.context_note,
    )
    return message, checklist_view(run, page, renderer)


def option_label(number: int, text: str) -> str:
    label = f"{number}. {text}"
    return label if len(label) <= OPTION_LABEL else label[: OPTION_LABEL - 1] + "…"


def checklist_view(run: Run, page: int, renderer: Renderer) -> discord.ui.View:
    """The controls of one page, labelled in the run's language."""

    def text(name: str, **values: Any) -> str:
        return renderer.discord_text(name, run.language, **values)

    view = AdvisorView(timeout=None)
    steps = page_steps(page, len(run.steps))
    for step in steps:
        ticked = run.is_ticked(step)
        label = text("label_step", number=step + 1, ticked=ticked)
        view.add_item(tick_button(run.id, step, ticked, label))
    if steps:
        options = [
            discord.SelectOption(
                label=option_label(step + 1, run.steps[step].text),
                value=str(step),
                default=run.is_ticked(step),
            )
            for step in steps
        ]
        menu = ChecklistMenu(
            run.id,
            "ticks",
            page,
            options=options,
            min_values=0,
            max_values=len(options),
            placeholder=text("menu_tick"),
            row=MENU_ROW,
        )
        view.add_item(menu)
    last = page_count(len(run.steps)) - 1
    if last > 0:
        previous, following = max(page - 1, 0), min(page + 1, last)
        view.add_item(nav_button(run.id, previous, text("label_prev"), disabled=page == 0))
        view.add_item(nav_button(run.id, following, text("label_next"), disabled=page == last))
    look = {"style": discord.ButtonStyle.secondary, "row": NAV_ROW}
    view.add_item(ChecklistButton(run.id, "export", label=text("label_export"), emoji="📄", **look))
    view.add_item(ChecklistButton(run.id, "manage", page, label=text("label_manage"), **look))
    return view


def tick_button(run_id: int, step: int, ticked: bool, label: str) -> ChecklistButton:
    return ChecklistButton(
        run_id,
        "tick",
        step,
        label=label,
        style=discord.ButtonStyle.success if ticked else discord.ButtonStyle.secondary,
        row=(step % PAGE_SIZE) // ROW_SIZE,
    )


def nav_button(run_id: int, page: int, label: str, *, disabled: bool) -> ChecklistButton:
    return ChecklistButton(
        run_id,
        "page",
        page,
        label=label,
        disabled=disabled,
        style=discord.ButtonStyle.primary,
        row=NAV_ROW,
    )


async def create_run(
    services: Services,
    checklist: Checklist,
    *,
    guild_id: int | None,
    channel_id: int | None,
    user_id: int,
    user_name: str | None = None,
    context_note: str | None = None,
) -> Run:
    """Save a new run for ``checklist`` (before anything is posted) and return it;
    ``context_note`` (``channel`` or ``thread``): written for the context set there."""
    return await services.store.create_run(
        checklist,
        guild_id=guild_id,
        channel_id=channel_id,
        created_by=user_id,
        created_by_name=user_name,
        guidance_version=services.advisor.version,
        context_note=context_note,
    )


async def post_checklist(
    interaction: discord.Interaction,
    services: Services,
    checklist: Checklist,
    context_note: str | None = None,
) -> discord.Message:
    """Save a run of ``checklist`` made by the member (within their limit) and post it."""
    limit(interaction, "checklist_limiter")  # each one stores a new run
    run = await create_run(
        services,
        checklist,
        guild_id=interaction.guild_id,
        channel_id=interaction.channel_id,
        user_id=interaction.user.id,
        user_name=display_name(interaction.user),
        context_note=context_note,
    )
    return await post_run(interaction, services, run)


async def post_run(
    interaction: discord.Interaction, services: Services, run: Run
) -> discord.Message:
    """Answer ``interaction`` with the checklist message, and remember which message it is:
    its controls are honoured on that message only."""
    message, view = render_run(run, services.advisor, day=today(interaction))
    await interaction.response.send_message(**message_kwargs(message), view=view)
    posted = await interaction.original_response()
    try:
        await services.store.set_run_message(run.id, posted.id)
    except StoreError as exc:  # the controls still check the channel
        log.warning("could not remember the message of run %s: %s", run.id, exc)
    return posted


async def change(interaction: discord.Interaction, run_id: int, changes: list[Change]) -> Run:
    """Save ``changes`` by the member (rate-limited), only if the run is in this server and
    channel and, for a control on a public message, shown by that message (checked in the
    same transaction); the run as now stored."""
    limit(interaction, "change_limiter")
    if not 0 < run_id <= MAX_ID:
        raise gone(interaction)
    message = interaction.message
    public = message is not None and not message.flags.ephemeral
    place = Place(interaction.guild_id, interaction.channel_id, message.id if public else None)
    try:
        return await services_of(interaction).store.change_run(
            run_id,
            changes,
            user_id=interaction.user.id,
            user_name=display_name(interaction.user),
            place=place,
        )
    except UnknownRunError:
        raise gone(interaction) from None
    except RunElsewhere:
        raise refused(interaction, run_id) from None
    except StepOutOfRange:
        raise AdvisorError(say(interaction, "no_such_step")) from None
    except ValueError as exc:  # a forged value the checks above let through
        log.info("refused a change to run %s: %s", run_id, exc)
        raise AdvisorError(str(exc)) from None


async def redraw(interaction: discord.Interaction, run: Run, page: int) -> None:
    """Show ``run`` on the message the control was on."""
    message, view = render_run(run, advisor_of(interaction), page, today(interaction))
    await interaction.response.edit_message(**edit_kwargs(message), view=view)


@action("page")
async def turn_page(control: ChecklistButton, interaction: discord.Interaction) -> None:
    run = await guarded_run(interaction, control.run_id)
    await redraw(interaction, run, control.arg or 0)


@action("tick")
async def tick(control: ChecklistButton, interaction: discord.Interaction) -> None:
    if control.arg is None:
        raise AdvisorError(say(interaction, "no_such_step"))
    # Save first: the message shows the tick only once it is stored.
    kind = "untick" if control.seen_ticked else "tick"
    run = await change(interaction, control.run_id, [Change(kind, control.arg)])
    await redraw(interaction, run, page_of(control.arg))


@action("ticks")
async def tick_several(control: ChecklistMenu, interaction: discord.Interaction) -> None:
    """The tick menu: the steps chosen are done, the menu's other steps are not (ticking a
    ticked step or unticking an open one changes nothing)."""
    offered = {int(o.value) for o in control.item.options if o.value.isdigit()}
    chosen = set()
    for value in control.values:
        if not value.isdigit() or int(value) not in offered:
            raise AdvisorError(say(interaction, "no_such_step"))  # a forged value
        chosen.add(int(value))
    changes = [Change("tick" if s in chosen else "untick", s) for s in sorted(offered)]
    if not changes:
        raise AdvisorError(say(interaction, "no_such_step"))
    run = await change(interaction, control.run_id, changes)
    await redraw(interaction, run, page_of(min(offered)))
