"""The application layer: one Advisor, loaded and checked once, answering every question into
one Answer that says what kind of answer it is."""

from __future__ import annotations

import shutil
from dataclasses import replace

import jinja2
import pytest

from pact_advisor.app import Advisor, Answer, answer_kind
from pact_advisor.checklists import UnknownTopic, build_checklist, checklist_from_result
from pact_advisor.engine import Context, Match, Result, Turn
from pact_advisor.resources import guidance_dir, prompts_dir


@pytest.fixture(scope="module")
def advisor(guidance, renderer, engine) -> Advisor:
    return Advisor(guidance, renderer, engine)


def _answered(guidance, ids, **extra) -> Result:
    matches = tuple(
        Match(i, guidance.items[i].title, guidance.items[i].quote, guidance.items[i].source, s, ())
        for i, s in zip(ids, (0.6, 0.55, 0.3), strict=False)
    )
    fields = (
        dict(question="q", intent="answer", answered=True, matches=matches, searched="q") | extra
    )
    return Result(guidance_version=guidance.version, **fields)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("help", "help"),
        ("thanks", "thanks"),
        ("list topics", "topics"),
        ("what are the five success factors?", "answer"),
        ("who funds EUDiF", "programme"),
        ("give me a checklist for diaspora engagement", "checklist"),
        ("what's the weather like in Brussels tomorrow?", "not_covered"),
        ("", "not_covered"),
    ],
)
def test_each_question_is_answered_as_one_kind(advisor, question, kind):
    answer = advisor.answer(question)
    assert answer.kind == kind
    assert (answer.checklist is not None) == (kind == "checklist")


def test_a_checklist_answer_carries_the_checklist_of_the_result(advisor, guidance, renderer):
    answer = advisor.answer("give me a checklist for diaspora engagement", context=None)
    assert answer.checklist == checklist_from_result(guidance, answer.result, filler=renderer)
    assert answer.item_id is None and answer.checklist.topic == answer.result.top.id


def test_a_checklist_follow_up_turns_the_last_answer_into_its_checklist(advisor):
    first = advisor.answer("how do we involve employers in a talent partnership?")
    morocco = advisor.answer("what about Morocco?", first.result.turn())
    follow = advisor.answer("checklist", morocco.result.turn())
    assert follow.kind == "checklist"
    assert follow.checklist.topic == first.item_id
    assert follow.checklist.context.partner == "Morocco"


def test_a_close_call_offers_both_candidates_until_tell_me_more(advisor, guidance):
    close = _answered(guidance, ["programmes.mpf", "programmes.eudif"], ambiguous=True)
    assert advisor.answer_of(close).kind == "ambiguous"
    assert advisor.answer_of(close).candidates == ("programmes.mpf", "programmes.eudif")
    more = advisor.answer_of(replace(close, followup="more"))
    assert (more.kind, more.detail, more.item_id) == ("programme", True, "programmes.mpf")
    # The buttons still offer both, as they always did after "tell me more".
    assert more.candidates == ("programmes.mpf", "programmes.eudif")


def test_a_checklist_request_without_an_answer_is_not_covered(advisor, guidance):
    unanswered = Result("zzz", "checklist", False, (), guidance.version, reason="low-score")
    answer = advisor.answer_of(unanswered)
    assert (answer.kind, answer.checklist, answer.item_id) == ("not_covered", None, None)
    assert answer.unanswered
    assert not advisor.answer_of(replace(unanswered, reason="empty")).unanswered


def test_answer_kind_needs_no_engine(guidance):
    result = _answered(guidance, ["diaspora.overview", "diaspora.recognition"])
    assert answer_kind(result, guidance) == "answer"
    assert answer_kind(replace(result, intent="help"), guidance) == "help"


def test_the_checklist_button_rebuilds_the_answers_checklist_while_it_leads(advisor):
    first = advisor.answer("how do we invest in diaspora umbrella networks?")
    turn = first.result.turn()
    checklist = advisor.answer_checklist(first.item_id, turn)
    assert checklist.topic == first.item_id
    assert checklist == advisor.answer_of(replace(first.result, intent="checklist")).checklist


def test_the_checklist_button_falls_back_to_the_items_own_steps(advisor, guidance):
    turn = Turn("how do we invest in diaspora umbrella networks?", (), Context(partner="Peru"))
    checklist = advisor.answer_checklist("three-i.ideas", turn)
    assert checklist == build_checklist(guidance, "three-i.ideas", Context(partner="Peru"))
    assert advisor.answer_checklist("three-i.ideas") == build_checklist(guidance, "three-i.ideas")
    with pytest.raises(UnknownTopic):
        advisor.answer_checklist("three-i.gone", turn)


def test_an_answer_is_shown_for_each_target(advisor):
    answer = advisor.answer("what are the five success factors?", context=Context("_Mali_"))
    assert advisor.text(answer).startswith("**Q:** what are the five success factors?")
    assert "partnership with _Mali_" in advisor.text(answer)
    assert r"partnership with \_Mali\_" in advisor.text(answer, "markdown")
    assert advisor.message(answer).embeds[0].title == advisor.guidance.items[answer.item_id].title


def test_an_answer_is_a_frozen_value(advisor):
    answer = advisor.answer("help")
    assert isinstance(answer, Answer)
    with pytest.raises(AttributeError):
        answer.kind = "thanks"  # type: ignore[misc]


@pytest.mark.parametrize("eager", [True, False])
def test_the_engine_answers_from_the_guidance_the_advisor_shows(eager, tmp_path):
    advisor = Advisor.load(eager=eager, cache_dir=tmp_path / "cache")
    assert advisor.engine.guidance is advisor.guidance
    assert advisor.answer("what is MIEUX+").result.guidance_version == advisor.version


def test_an_eager_load_fills_the_start_up_and_template_caches(tmp_path):
    Advisor.load(guidance_dir(), eager=True, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("index-*.entry"))) == 1
    assert list((tmp_path / "templates").iterdir())
    again = Advisor.load(guidance_dir(), eager=True, cache_dir=tmp_path)
    assert again.answer("what are the success factors?").kind == "answer"


@pytest.mark.parametrize(
    ("template", "eager"),
    [
        ("help.md.j2", False),
        ("topics.discord.j2", False),
        ("checklist.txt.j2", False),
        ("answer.discord.j2", True),
        ("not_covered.md.j2", True),
    ],
)
def test_a_broken_template_fails_the_load(tmp_path, template, eager):
    prompts = tmp_path / "prompts"
    shutil.copytree(prompts_dir(), prompts)
    (prompts / template).write_text("{{ no_such_variable }}\n", encoding="utf-8")
    with pytest.raises(jinja2.TemplateError):
        Advisor.load(prompts_dir=prompts, cache_dir=None, eager=eager)


def test_a_broken_answer_template_fails_the_first_question_of_a_lazy_advisor(tmp_path):
    prompts = tmp_path / "prompts"
    shutil.copytree(prompts_dir(), prompts)
    (prompts / "answer.md.j2").write_text("{{ no_such_variable }}\n", encoding="utf-8")
    advisor = Advisor.load(prompts_dir=prompts, cache_dir=None)
    assert advisor.renderer.render_topics()
    with pytest.raises(jinja2.TemplateError):
        advisor.answer("what are the success factors?")
