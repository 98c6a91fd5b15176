"""Interactive checklists: one tick button per step on the page, Prev/Next, Export.

State lives in the store; a button's ``custom_id`` names the run and the step
(``checklist:12:tick:3``), so the controls of any checklist message keep working after a
restart. Every change is saved first; the message is edited only once the save succeeded.
"""

from __future__ import annotations

import io
import re
from typing import Any

import discord

from pact_advisor.app import Advisor
from pact_advisor.checklists import Checklist
from pact_advisor.discord_bot.core.adapter import (
    NO_MENTIONS,
    display_name,
    edit_kwargs,
    message_kwargs,
    safe_filename,
)
from pact_advisor.discord_bot.core.errors import AdvisorError, AdvisorView, SafeDynamicItem
from pact_advisor.discord_bot.core.services import Services
from pact_advisor.discord_bot.translator import member_language
from pact_advisor.render import DiscordMessage, Renderer
from pact_advisor.render.discord_target import (
    PAGE_SIZE,
    clamp_page,
    page_count,
    page_of,
    page_steps,
)
from pact_advisor.store import Run, UnknownRunError

#: Tick buttons per row; a page (``PAGE_SIZE`` steps) fills four rows, the fifth holds
#: Prev / Next / Export.
ROW_SIZE = 5


def checklist_of(run: Run, advisor: Advisor) -> Checklist:
    """The checklist a stored run snapshotted (section titles from the current guidance)."""
    return run.checklist(advisor.guidance)


def tick_names(run: Run) -> dict[int, str]:
    return {step: tick.user_name for step, tick in run.ticks.items()}


def render_run(run: Run, advisor: Advisor, page: int = 0) -> tuple[DiscordMessage, discord.ui.View]:
    """The message (one page) and its controls for ``run`` as stored now."""
    page = clamp_page(page, len(run.steps))
    renderer = advisor.renderer
    message = renderer.discord_checklist(checklist_of(run, advisor), tick_names(run), page=page)
    return message, checklist_view(run, page, renderer)


def checklist_view(run: Run, page: int, renderer: Renderer) -> discord.ui.View:
    """The controls of one page, labelled in the run's language."""

    def text(name: str, **values: Any) -> str:
        return renderer.discord_text(name, run.language, **values)

    view = AdvisorView(timeout=None)
    for step in page_steps(page, len(run.steps)):
        ticked = run.is_ticked(step)
        label = text("label_step", number=step + 1, ticked=ticked)
        view.add_item(ChecklistButton.tick(run.id, step, ticked, label))
    last = page_count(len(run.steps)) - 1
    if last > 0:
        previous, following = max(page - 1, 0), min(page + 1, last)
        view.add_item(ChecklistButton.nav(run.id, previous, text("label_prev"), disabled=page == 0))
        view.add_item(
            ChecklistButton.nav(run.id, following, text("label_next"), disabled=page == last)
        )
    view.add_item(ChecklistButton.export(run.id, text("label_export")))
    return view


async def create_run(
    services: Services,
    checklist: Checklist,
    *,
    guild_id: int | None,
    channel_id: int | None,
    user_id: int,
) -> Run:
    """Save a new run for ``checklist`` (before anything is posted) and return it."""
    return await services.store.create_run(
        checklist, guild_id=guild_id, channel_id=channel_id, created_by=user_id
    )


async def post_run(
    interaction: discord.Interaction, services: Services, run: Run
) -> discord.Message:
    """Answer ``interaction`` with the checklist message."""
    message, view = render_run(run, services.advisor)
    await interaction.response.send_message(**message_kwargs(message), view=view)
    return await interaction.original_response()


def _gone(advisor: Advisor, interaction: discord.Interaction) -> AdvisorError:
    text = advisor.renderer.discord_text("checklist_gone", member_language(interaction))
    return AdvisorError(text)


def export_file(run: Run, advisor: Advisor) -> discord.File:
    """The run as a Markdown task list, with who ticked each step."""
    text = advisor.renderer.render_checklist(
        checklist_of(run, advisor), "md", ticks=tick_names(run)
    )
    name = safe_filename(run.topic, run.context.partner)
    return discord.File(io.BytesIO(text.encode("utf-8")), filename=name)


class ChecklistButton(
    SafeDynamicItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"checklist:(?P<run>\d+):(?P<action>tick|page|export)(?::(?P<arg>\d+))?",
):
    """Every checklist control; ``action`` says which and ``arg`` is the step or page."""

    def __init__(self, run_id: int, action: str, arg: int | None = None, **button: Any) -> None:
        custom_id = f"checklist:{run_id}:{action}" + (f":{arg}" if arg is not None else "")
        super().__init__(discord.ui.Button(custom_id=custom_id, **button))
        self.run_id, self.action, self.arg = run_id, action, arg

    @classmethod
    def tick(cls, run_id: int, step: int, ticked: bool, label: str) -> ChecklistButton:
        return cls(
            run_id,
            "tick",
            step,
            label=label,
            style=discord.ButtonStyle.success if ticked else discord.ButtonStyle.secondary,
            row=(step % PAGE_SIZE) // ROW_SIZE,
        )

    @classmethod
    def nav(cls, run_id: int, page: int, label: str, *, disabled: bool) -> ChecklistButton:
        return cls(
            run_id,
            "page",
            page,
            label=label,
            disabled=disabled,
            style=discord.ButtonStyle.primary,
            row=4,
        )

    @classmethod
    def export(cls, run_id: int, label: str) -> ChecklistButton:
        return cls(
            run_id,
            "export",
            None,
            label=label,
            emoji="📄",
            style=discord.ButtonStyle.secondary,
            row=4,
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> ChecklistButton:
        arg = int(match["arg"]) if match["arg"] is not None else None
        button = cls(int(match["run"]), match["action"], arg, label=item.label, style=item.style)
        # What the user saw: a green button is a ticked step, so clicking it unticks.
        button.seen_ticked = item.style == discord.ButtonStyle.success
        return button

    seen_ticked: bool = False

    async def handle(self, interaction: discord.Interaction) -> None:
        services: Services = interaction.client.services  # type: ignore[attr-defined]
        store = services.store
        advisor = services.advisor
        if self.action == "export":
            run = await store.get_run(self.run_id)
            if run is None:
                raise _gone(advisor, interaction)
            file = export_file(run, advisor)
            await interaction.response.send_message(
                advisor.renderer.discord_text(
                    "exported", run.language, done=run.ticked_count, total=len(run.steps)
                ),
                file=file,
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )
            return
        if self.action == "page":
            run = await store.get_run(self.run_id)
            page = self.arg or 0
        else:
            step = self.arg or 0
            # Save first: the message shows the tick only once it is stored.
            try:
                run = await store.set_tick(
                    self.run_id,
                    step,
                    ticked=not self.seen_ticked,
                    user_id=interaction.user.id,
                    user_name=display_name(interaction.user),
                )
            except UnknownRunError:
                raise _gone(advisor, interaction) from None
            page = page_of(step)
        if run is None:
            raise _gone(advisor, interaction)
        message, view = render_run(run, advisor, page)
        await interaction.response.edit_message(**edit_kwargs(message), view=view)
