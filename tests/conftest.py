"""Shared fixtures: the bundled guidance, an engine and a renderer, built once per test session."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.knowledge import Guidance, load_guidance
from bot.render import Renderer
from bot.resources import guidance_dir


@pytest.fixture(scope="session")
def guidance() -> Guidance:
    return load_guidance(guidance_dir())


@pytest.fixture(scope="session")
def engine(guidance: Guidance) -> Engine:
    return Engine(guidance)


@pytest.fixture(scope="session")
def renderer(guidance: Guidance) -> Renderer:
    return Renderer(guidance)
