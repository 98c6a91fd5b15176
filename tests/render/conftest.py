"""Results shown as the front ends show them: made an answer by the application layer
(which decides its kind), then rendered."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from pact_advisor.app import Advisor
from pact_advisor.engine import Result
from pact_advisor.render import DiscordMessage


@dataclass(frozen=True)
class Shown:
    advisor: Advisor

    def text(self, result: Result, target: str = "terminal", detail: bool = False) -> str:
        return self.advisor.text(self.advisor.answer_of(result, detail=detail), target)  # type: ignore[arg-type]

    def message(self, result: Result, detail: bool = False) -> DiscordMessage:
        return self.advisor.message(self.advisor.answer_of(result, detail=detail))


@pytest.fixture(scope="session")
def show(guidance, renderer) -> Shown:
    return Shown(Advisor(guidance, renderer))
