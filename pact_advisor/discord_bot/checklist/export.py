"""Export: the checklist as a file, privately. Markdown first (its task list and the audit:
every step's state, who and when in UTC, owners, due date, reason, note, guidance item and
quote, guidance version, who made it and when), with buttons for CSV, JSON and Markdown with
the history of every change. Each file counts against the member's checklist limit.
"""

from __future__ import annotations

import io

import discord

from pact_advisor.discord_bot.checklist.items import ChecklistButton, action
from pact_advisor.discord_bot.checklist.state import guarded_run, limit, say, services_of
from pact_advisor.discord_bot.core.adapter import NO_MENTIONS, safe_filename
from pact_advisor.discord_bot.core.errors import AdvisorError
from pact_advisor.store import Run

#: The formats of the buttons under an export, by their custom_id argument:
#: (format, with the history).
FORMATS = (("csv", False), ("json", True), ("md", True))


async def export_file(
    interaction: discord.Interaction, run: Run, fmt: str, history: bool
) -> discord.File:
    """The run's audit export as a file named after its topic and partner."""
    services = services_of(interaction)
    events = await services.store.run_events(run.id) if history else None
    now = interaction.created_at.timestamp()
    text = services.advisor.renderer.render_export(run, fmt, now=now, events=events)
    stem = [run.topic, run.context.partner] + (["history"] if history and fmt == "md" else [])
    name = safe_filename(*stem, ext=fmt)
    return discord.File(io.BytesIO(text.encode("utf-8")), filename=name)


def formats_view(run: Run, interaction: discord.Interaction) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for index, (fmt, history) in enumerate(FORMATS):
        label = say(interaction, "label_format", run.language, fmt=fmt, history=history)
        view.add_item(
            ChecklistButton(run.id, "fmt", index, label=label, style=discord.ButtonStyle.secondary)
        )
    return view


@action("export")
async def export_markdown(control: ChecklistButton, interaction: discord.Interaction) -> None:
    run = await guarded_run(interaction, control.run_id)
    limit(interaction, "checklist_limiter")
    file = await export_file(interaction, run, "md", False)
    view = formats_view(run, interaction)
    await interaction.response.send_message(
        say(interaction, "exported", run.language, done=run.ticked_count, total=len(run.steps)),
        file=file,
        view=view,
        ephemeral=True,
        allowed_mentions=NO_MENTIONS,
    )
    view.stop()  # its buttons are dynamic items (see panel.show_panel)


@action("fmt")
async def export_other(control: ChecklistButton, interaction: discord.Interaction) -> None:
    run = await guarded_run(interaction, control.run_id)
    if control.arg is None or not 0 <= control.arg < len(FORMATS):
        raise AdvisorError(say(interaction, "no_such_format"))
    limit(interaction, "checklist_limiter")
    fmt, history = FORMATS[control.arg]
    file = await export_file(interaction, run, fmt, history)
    await interaction.response.send_message(
        say(interaction, "exported_as", run.language, fmt=fmt.upper(), history=history),
        file=file,
        ephemeral=True,
        allowed_mentions=NO_MENTIONS,
    )
