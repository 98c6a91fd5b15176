"""The controls of a checklist and of its private Manage panel, as persistent dynamic items.

Each control's ``custom_id`` names the run, the action and its argument
(``checklist:12:tick:3``), so the controls of any checklist message keep working after a
restart. What an action does lives in the module that registers it (:func:`action`):
``components`` (ticks, pages, the tick menu), ``panel`` (owners, due dates, not applicable,
notes) and ``export``. A custom_id can be forged by a modified client: every handler loads the
run through :func:`~pact_advisor.discord_bot.checklist.state.guarded_run` first.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from pact_advisor.discord_bot.core.errors import SafeDynamicItem

#: Numbers are any digits: a forged one out of range gets a clear refusal, not silence.
#: What a control does, by action name: ``handler(control, interaction)``.
Handler = Callable[[Any, discord.Interaction], Awaitable[None]]
ACTIONS: dict[str, Handler] = {}

_RUN = r"checklist:(?P<run>\d+)"
_ARG = r"(?::(?P<arg>\d+))?"
BUTTON_ACTIONS = ("tick", "page", "export", "manage", "due", "skip", "note", "reopen", "fmt")
MENU_ACTIONS = ("ticks", "pick")
USER_ACTIONS = ("owners",)


def action(name: str) -> Callable[[Handler], Handler]:
    """Register ``handler`` as what the controls named ``name`` do."""

    def register(handler: Handler) -> Handler:
        ACTIONS[name] = handler
        return handler

    return register


def custom_id(run_id: int, name: str, arg: int | None = None) -> str:
    return f"checklist:{run_id}:{name}" + (f":{arg}" if arg is not None else "")


class _Control(SafeDynamicItem):
    run_id: int
    action: str
    arg: int | None

    async def handle(self, interaction: discord.Interaction) -> None:
        await ACTIONS[self.action](self, interaction)


class ChecklistButton(
    _Control,
    discord.ui.DynamicItem[discord.ui.Button],
    template=_RUN + rf":(?P<action>{'|'.join(BUTTON_ACTIONS)}){_ARG}",
):
    """A button: tick a step, turn a page, export, open the Manage panel, or one of the
    panel's buttons; ``seen_ticked`` is whether the member saw a ticked (green) step."""

    seen_ticked: bool = False

    def __init__(self, run_id: int, name: str, arg: int | None = None, **button: Any) -> None:
        super().__init__(discord.ui.Button(custom_id=custom_id(run_id, name, arg), **button))
        self.run_id, self.action, self.arg = run_id, name, arg

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> ChecklistButton:
        arg = int(match["arg"]) if match["arg"] is not None else None
        button = cls(int(match["run"]), match["action"], arg, label=item.label, style=item.style)
        # What the user saw: a green button is a ticked step, so clicking it unticks.
        button.seen_ticked = item.style == discord.ButtonStyle.success
        return button


class ChecklistMenu(
    _Control,
    discord.ui.DynamicItem[discord.ui.Select],
    template=_RUN + rf":(?P<action>{'|'.join(MENU_ACTIONS)}){_ARG}",
):
    """A menu of steps: tick several at once, or pick the step to manage."""

    def __init__(self, run_id: int, name: str, arg: int | None = None, **select: Any) -> None:
        super().__init__(discord.ui.Select(custom_id=custom_id(run_id, name, arg), **select))
        self.run_id, self.action, self.arg = run_id, name, arg

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Select, match: re.Match[str], /
    ) -> ChecklistMenu:
        arg = int(match["arg"]) if match["arg"] is not None else None
        return cls(int(match["run"]), match["action"], arg, options=item.options)

    @property
    def values(self) -> list[str]:
        return self.item.values


class OwnerMenu(
    _Control,
    discord.ui.DynamicItem[discord.ui.UserSelect],
    template=_RUN + rf":(?P<action>{'|'.join(USER_ACTIONS)}){_ARG}",
):
    """The members responsible for a step."""

    def __init__(self, run_id: int, name: str, arg: int | None = None, **select: Any) -> None:
        super().__init__(discord.ui.UserSelect(custom_id=custom_id(run_id, name, arg), **select))
        self.run_id, self.action, self.arg = run_id, name, arg

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.UserSelect, match: re.Match[str], /
    ) -> OwnerMenu:
        arg = int(match["arg"]) if match["arg"] is not None else None
        return cls(int(match["run"]), match["action"], arg, max_values=item.max_values)

    @property
    def values(self) -> list[discord.Member | discord.User]:
        return self.item.values


#: Every dynamic item class the checklist cog registers.
DYNAMIC_ITEMS = (ChecklistButton, ChecklistMenu, OwnerMenu)
