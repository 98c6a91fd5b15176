"""Guidance changes from Discord, behind the quality gate: ``/advisor reload`` with its
preview and confirm button, and "Add to guidance" (a question attached to the item that
should have answered it).

The slow part, loading, fitting and gating, runs on the guidance worker thread
(:meth:`Services.in_background`); the admin's deferred reply is completed when it is done,
and members are served meanwhile.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord

from pact_advisor.discord_bot.admin.parsing import describe_problem
from pact_advisor.discord_bot.core.adapter import message_kwargs
from pact_advisor.discord_bot.core.errors import AdvisorView, report_error
from pact_advisor.discord_bot.translator import member_language
from pact_advisor.gate import GateReport, Preview, preview_changes, run_gate
from pact_advisor.knowledge.curate import CurationError, add_example, clean_question

if TYPE_CHECKING:
    from pact_advisor.app import Advisor
    from pact_advisor.discord_bot.core.services import Services

log = logging.getLogger(__name__)

#: How many recently stored questions a reload preview replays.
RECENT = 200
#: A preview's buttons work this long.
PREVIEW_TIMEOUT = 900.0


def _gate(services: Services, current: Advisor | None) -> GateReport:
    directory = services.guidance_dir
    return run_gate(
        directory,
        current=current,
        prompts_dir=services.prompts_dir,
        describe=lambda p: describe_problem(p, directory),
    )


# -- /advisor reload ------------------------------------------------------------------------


class ReloadPreview(AdvisorView):
    """The preview's buttons: serve the checked guidance, or keep the current one."""

    def __init__(self, services: Services, base: Advisor, candidate: Advisor, language: str):
        super().__init__(timeout=PREVIEW_TIMEOUT)
        self.services, self.base, self.candidate, self.language = (
            services,
            base,
            candidate,
            language,
        )
        text = base.renderer.discord_text
        self.serve.label = text("label_serve", language)
        self.cancel.label = text("label_cancel", language)

    @discord.ui.button(style=discord.ButtonStyle.primary)
    async def serve(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        services, text = self.services, self.base.renderer.discord_text
        self.stop()
        if services.advisor is not self.base:  # another reload or a rollback came first
            reply = text("reload_stale", self.language)
        else:
            services.swap(self.candidate)
            counts = self.candidate.guidance.counts()
            reply = self.candidate.renderer.discord_text(
                "reloaded",
                self.language,
                old=self.base.version,
                new=self.candidate.version,
                items=sum(counts.values()),
                collections=len(counts),
            )
        await interaction.response.edit_message(content=reply, embeds=[], view=None)

    @discord.ui.button(style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        self.stop()
        reply = self.base.renderer.discord_text(
            "reload_cancelled", self.language, version=self.services.advisor.version
        )
        await interaction.response.edit_message(content=reply, embeds=[], view=None)


async def start_reload(interaction: discord.Interaction, services: Services) -> None:
    """Check the guidance on disk; the deferred reply becomes a preview or the problems."""
    language = member_language(interaction)
    current = services.advisor
    if services.busy:
        text = current.renderer.discord_text("guidance_busy", language)
        await interaction.response.send_message(text, ephemeral=True)
        return
    await interaction.response.defer(ephemeral=True, thinking=True)

    def work() -> tuple[GateReport, Preview | None]:
        report = _gate(services, None)
        if not report.passed:
            return report, None
        recent = [t.question for t in services.store.sync.recent_turns(RECENT) if t.question]
        return report, preview_changes(current, report.advisor, recent)

    async def done(outcome: Any) -> None:
        if isinstance(outcome, BaseException):
            log.error("reload check failed", exc_info=outcome)
            text = current.renderer.discord_text("curation_broken", language)
            await interaction.followup.send(text, ephemeral=True)
            return
        report, preview = outcome
        if preview is None:
            await _send_problems(interaction, current, report, language)
            return
        candidate = report.advisor
        counts = candidate.guidance.counts()
        text = current.renderer.discord_text(
            "reload_preview",
            language,
            old=current.version,
            new=candidate.version,
            items=sum(counts.values()),
            collections=len(counts),
            total=preview.total,
            changed=preview.changed,
            changes=preview.examples,
        )
        view = ReloadPreview(services, current, candidate, language)
        await interaction.followup.send(text, view=view, ephemeral=True)

    services.in_background(work, _reported("/advisor reload", interaction, done))


async def _send_problems(
    interaction: discord.Interaction, current: Advisor, report: GateReport, language: str
) -> None:
    problems = report.reasons()
    log.warning(
        "reload refused with %d problem(s); still serving %s", len(problems), current.version
    )
    message = current.renderer.discord_reload_problems(problems, current.version, language)
    await interaction.followup.send(**message_kwargs(message), ephemeral=True)


# -- "Add to guidance" --------------------------------------------------------------------------


class AddExample(discord.ui.Modal):
    """The item a question should get, and the question as it will be learnt."""

    def __init__(self, services: Services, question: str, item_id: str, language: str):
        text = services.advisor.renderer.discord_text
        super().__init__(title=text("modal_add", language)[:45], timeout=PREVIEW_TIMEOUT)
        self.services, self.language = services, language
        self.item = discord.ui.TextInput(
            label=text("field_item", language)[:45],
            default=item_id or None,
            max_length=100,
            custom_id="curate:item",
        )
        self.question = discord.ui.TextInput(
            label=text("field_question", language)[:45],
            default=question[:500],
            max_length=500,
            style=discord.TextStyle.paragraph,
            custom_id="curate:question",
        )
        self.add_item(self.item)
        self.add_item(self.question)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await curate(interaction, self.services, self.item.value.strip(), self.question.value)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await report_error(interaction, error, "modal 'Add to guidance'")


def _reported(where: str, interaction: discord.Interaction, done):
    """``done`` with any error it raises reported to the admin like a command error (the
    tree's handler is long gone when a background check finishes)."""

    async def guarded(outcome: Any) -> None:
        try:
            await done(outcome)
        except Exception as exc:
            await report_error(interaction, exc, where)

    return guarded


def best_guess(services: Services, question: str) -> str:
    """The item to offer first: the top match, else the first suggestion, else none."""
    result = services.advisor.engine.ask(question)
    found = result.matches or result.suggestions
    return found[0].id if found else ""


def _refusal(services: Services, item_id: str, question: str, language: str) -> str | None:
    """Why a curation cannot start, in words for the admin (``None``: it can)."""
    text = services.advisor.renderer.discord_text
    try:
        clean_question(question)
    except CurationError as exc:
        return text("curation_refused", language, reason=str(exc))
    items = services.advisor.guidance.items
    if item_id not in items:
        from pact_advisor.knowledge.lookup import suggest

        close = suggest(item_id, {i: i for i in items}, n=2)
        return text("unknown_item", language, item=item_id, suggestions=close)
    if services.busy:
        return text("guidance_busy", language)
    return None


async def curate(
    interaction: discord.Interaction, services: Services, item_id: str, question: str
) -> None:
    """Add ``question`` to ``item_id`` if the gate passes; the admin is told either way."""
    language = member_language(interaction)
    current = services.advisor
    text = current.renderer.discord_text
    refusal = _refusal(services, item_id, question, language)
    if refusal is not None:
        await interaction.response.send_message(refusal, ephemeral=True)
        return
    question = clean_question(question)
    await interaction.response.defer(ephemeral=True, thinking=True)

    def work() -> tuple[str | None, GateReport | None]:
        try:
            edit = add_example(services.guidance_dir, item_id, question)
        except CurationError as exc:
            return str(exc), None
        report = _gate(services, current)
        if not report.passed:
            edit.undo()
        return None, report

    async def done(outcome: Any) -> None:
        if isinstance(outcome, BaseException):
            log.error("curation failed", exc_info=outcome)
            await interaction.followup.send(text("curation_broken", language), ephemeral=True)
            return
        refused, report = outcome
        if refused is not None or report is None:
            reply = text("curation_refused", language, reason=refused or "")
        elif report.passed:
            services.swap(report.advisor)
            reply = text(
                "curated", language, item=item_id, question=question, version=report.advisor.version
            )
        else:
            reply = text(
                "curation_failed",
                language,
                item=item_id,
                reasons=report.reasons(),
                changes=report.changes,
            )
        await interaction.followup.send(reply, ephemeral=True)

    services.in_background(work, _reported("Add to guidance", interaction, done))


class MissedQuestions(AdvisorView):
    """Under ``/advisor report``: pick an unanswered question to attach to an item."""

    def __init__(self, services: Services, questions: list[tuple[str, str]], language: str):
        super().__init__(timeout=PREVIEW_TIMEOUT)
        self.services, self.language = services, language
        self.pick.placeholder = services.advisor.renderer.discord_text("pick_missed", language)
        self.suggested = {}
        for index, (question, suggestion) in enumerate(questions[:25]):
            self.suggested[str(index)] = (question, suggestion)
            self.pick.add_option(label=question[:100], value=str(index))

    @discord.ui.select(min_values=1, max_values=1)
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        question, suggestion = self.suggested[select.values[0]]
        modal = AddExample(self.services, question, suggestion, self.language)
        await interaction.response.send_modal(modal)
