"""Shared fixtures: the bundled guidance, an engine and a renderer, built once per test session."""

from __future__ import annotations

import os

import pytest

from pact_advisor.engine import Engine
from pact_advisor.knowledge import Guidance, load_guidance
from pact_advisor.render import Renderer
from pact_advisor.resources import guidance_dir


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Commands run by tests keep their start-up cache out of the user's cache folder."""
    previous = os.environ.get("PACT_ADVISOR_CACHE")
    os.environ["PACT_ADVISOR_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if previous is None:
        os.environ.pop("PACT_ADVISOR_CACHE", None)
    else:
        os.environ["PACT_ADVISOR_CACHE"] = previous


@pytest.fixture(autouse=True)
def _english_locale(monkeypatch):
    """Commands without a question answer in the terminal's language: tests start from an
    English one, whatever the machine's."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(scope="session")
def guidance() -> Guidance:
    return load_guidance(guidance_dir())


@pytest.fixture(scope="session")
def engine(guidance: Guidance) -> Engine:
    return Engine(guidance)


@pytest.fixture(scope="session")
def renderer(guidance: Guidance) -> Renderer:
    return Renderer(guidance)
