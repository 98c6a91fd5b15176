"""What counts as personal data in a question."""

from __future__ import annotations

import pytest

from pact_advisor.knowledge import load_guidance
from pact_advisor.knowledge.privacy import has_personal_data, redact
from pact_advisor.resources import guidance_dir


@pytest.mark.parametrize(
    "text",
    [
        "please write to amina.benali@example.org about the pilot",
        "call me on +212 612 345 678",
        "her number is 0612345678",
        "passport no. X1234567 expired",
        "DNI 12345678Z",
        "born on 12/03/1990 in Rabat",
        "date of birth: 1990-03-12",
        "what about AB1234567?",
    ],
)
def test_personal_data_is_found(text):
    assert has_personal_data(text)
    assert "[…]" in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "how do we keep employers on board in a talent partnership",
        "what did the 2018 evaluation of the MPF find?",
        "between 2015 and 2020, 12 projects ran with 3,000,000 euros",
        "ID cards for returnees",
        "<@1456074443980800014> what is the 3I approach?",  # a Discord mention is no phone
    ],
)
def test_ordinary_questions_are_not_personal_data(text):
    assert not has_personal_data(text)


def test_no_example_question_of_the_guidance_looks_personal():
    guidance = load_guidance(guidance_dir())
    flagged = [q for item in guidance.items.values() for q in item.examples if has_personal_data(q)]
    assert flagged == []
