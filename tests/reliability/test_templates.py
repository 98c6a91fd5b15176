"""Advice text is a sandboxed template: one that loads can still fail, or run for a long
time, when rendered. Every item's advice and checklist is rendered before guidance is
accepted (by ``validate``, at load and at reload), and such guidance is refused with a
problem naming the file and the item; the bot keeps serving what it had."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest
from sim_helpers import reload_shown

from pact_advisor.app import Advisor
from pact_advisor.cli import main
from pact_advisor.knowledge import GuidanceError, load_guidance
from pact_advisor.knowledge.rendering import RENDER_BUDGET

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
from test_knowledge import ITEM, write_guidance  # noqa: E402

ADVICE = "Map the diaspora networks active between {{ partner }} and the EU."


def with_advice(advice: str) -> str:
    """The test item with ``advice`` (quoted: YAML reads a leading ``{%`` as syntax)."""
    return ITEM.replace(ADVICE, json.dumps(advice))


#: Advice that loads (its slots are known) but cannot be served, and what validate says.
BROKEN = {
    "a slot form in English": (
        "Talk to the diaspora {{ partner.de }}.",
        "advice: cannot be rendered without a context: UndefinedError: 'str object' has no "
        "attribute 'de'",
    ),
    "nested loops": (
        "{% for i in range(9999) %}{% for j in range(9999) %}{{ partner }}{% endfor %}{% endfor %}",
        f"advice: cannot be rendered without a context: took more than {RENDER_BUDGET:g} s",
    ),
    "a huge repetition": (
        "{{ partner * 999999999 }}",
        "advice: cannot be rendered without a context: SecurityError: repetition over",
    ),
    "a huge power": ("{{ 2 ** 999999999 }}", "SecurityError: exponent over 64"),
    "a huge width": ("{{ partner | center(999999999) }}", "SecurityError: argument over"),
    "a huge method argument": ("{{ partner.ljust(999999999) }}", "SecurityError: argument"),
    "a huge format width": ('{{ "{:999999999}".format(partner) }}', "SecurityError: format"),
    "a huge % width": ('{{ "%999999999s" % partner }}', "SecurityError: format width"),
    "a filter on nothing": ("{{ partner | int(1, 2, 3) }}", "TypeError"),
}


@pytest.mark.parametrize("kind", BROKEN)
def test_validate_refuses_advice_that_cannot_be_rendered(tmp_path, capsys, kind):
    advice, expected = BROKEN[kind]
    root = write_guidance(tmp_path / "g", with_advice(advice))
    load_guidance(root)  # it loads: the slots it names are known

    started = time.process_time()
    assert main(["validate", str(root)]) == 1
    assert time.process_time() - started < RENDER_BUDGET + 2
    out = capsys.readouterr().out
    assert "diaspora.yaml: diaspora.umbrella: advice: cannot be rendered " in out, out
    assert expected in out, out
    assert "FAILED: 1 problem in" in out and "Traceback" not in out


def test_a_checklist_step_broken_in_one_language_only_is_named_with_it(tmp_path, capsys):
    item = ITEM.replace(
        "    related: [diaspora.tools]\n",
        "    related: [diaspora.tools]\n"
        "    translations:\n"
        "      fr:\n"
        "        checklist:\n"
        "          - Lister les organisations faîtières.\n"
        "          - Prévoir un budget {{ 'x' * 100000 }}.\n",
    )
    root = write_guidance(tmp_path / "g", item)
    assert main(["validate", str(root)]) == 1
    out = capsys.readouterr().out
    assert (
        "diaspora.umbrella: translations.fr.checklist[1]: cannot be rendered without a "
        "context: SecurityError: repetition over 10000"
    ) in out, out


def test_every_text_with_the_same_broken_slot_is_named(tmp_path, capsys):
    """Texts with the same slots fail alike, and each one of them is reported."""
    item = with_advice("Talk to the diaspora {{ partner.de }}.")
    item = item.replace("- List the umbrella bodies.", "- List the bodies {{ partner.de }}.")
    item = item.replace("- Agree a funding line for them.", "- Fund {{ partner.de }} early.")
    root = write_guidance(tmp_path / "g", item)
    assert main(["validate", str(root)]) == 1
    out = capsys.readouterr().out
    for where in ("advice", "checklist[0]", "checklist[1]"):
        assert f"diaspora.umbrella: {where}: cannot be rendered without a context" in out, out
    assert "FAILED: 3 problems in" in out, out


def test_advice_that_fails_only_with_a_context_is_refused(tmp_path):
    advice = "{% if partner != 'the partner country' %}{{ partner.upper.x }}{% endif %}"
    root = write_guidance(tmp_path / "g", with_advice(advice))
    with pytest.raises(GuidanceError) as caught:
        Advisor.load(root, cache_dir=None)
    (problem,) = caught.value.problems
    assert problem.subject == "diaspora.umbrella" and problem.file.endswith("diaspora.yaml")
    assert problem.message.startswith("advice: cannot be rendered with a context: ")


def test_a_cached_start_refuses_advice_that_cannot_be_rendered_every_time(tmp_path):
    """The terminal's ``ask`` starts from the cache: a broken text is refused on the first
    start and is never written to the cache for a later start to skip the check."""
    advice, _ = BROKEN["a slot form in English"]
    root = write_guidance(tmp_path / "g", with_advice(advice))
    cache = tmp_path / "cache"
    for _ in range(2):
        with pytest.raises(GuidanceError) as caught:
            Advisor.load(root, cache_dir=cache, eager=True)
        (problem,) = caught.value.problems
        assert problem.message.startswith("advice: cannot be rendered without a context: ")
    assert not list(cache.glob("index-*"))
    fixed = write_guidance(tmp_path / "fixed", with_advice(ADVICE))
    Advisor.load(fixed, cache_dir=cache, eager=True)
    assert len(list(cache.glob("index-*"))) == 1
    advisor = Advisor.load(fixed, cache_dir=cache, eager=True)  # from the entry
    assert advisor.text(advisor.answer("how do we map diaspora networks?"))


def test_real_template_syntax_still_renders(tmp_path):
    advice = "{% if partner %}Work with {{ partner | upper }}{% endif %} ({{ 6 * 7 }})."
    root = write_guidance(tmp_path / "g", with_advice(advice))
    advisor = Advisor.load(root, cache_dir=None)
    assert advisor.renderer.fill(advice, {"partner": "Chad"}) == "Work with CHAD (42)."
    # The limits apply to the template's own numbers and formats, never to what a user typed.
    typed = {"partner": "ref: 1234567 %99999s {:99999}"}
    assert advisor.renderer.fill(advice, typed) == "Work with REF: 1234567 %99999S {:99999} (42)."


def test_the_bundled_guidance_renders_within_its_budget_in_every_language():
    assert main(["validate"]) == 0


# --------------------------------------------------------------------------------------------
# At reload
# --------------------------------------------------------------------------------------------

EMPLOYERS = "how do we keep employers on board in a talent partnership"


@pytest.mark.simcord(settle_timeout=60)  # the reload fits the engine again: seconds
async def test_reload_refuses_advice_that_loops_and_keeps_serving(
    env, channel, admin, user, make_bot, guidance_copy
):
    old_bot = env.bot
    await env.restart_bot(make_bot(guidance_dir=guidance_copy))
    await old_bot.close()
    version = env.bot.services.advisor.version
    before = (await user.slash(channel, "ask", question=EMPLOYERS)).response

    path = guidance_copy / "talent-partnerships.yaml"
    text = path.read_text(encoding="utf-8")
    loop = "{% for i in range(9999) %}{% for j in range(9999) %}.{% endfor %}{% endfor %}"
    assert text.count("{{ partner }}") > 1
    path.write_text(text.replace("{{ partner }}", loop, 1), encoding="utf-8")

    failed = await reload_shown(env, admin, channel)
    embed = failed.embeds[0]
    assert embed.title == "Reload failed: nothing changed"
    assert "talent-partnerships.yaml: talent-partnerships." in embed.description
    assert "cannot be rendered without a context: took more than" in embed.description
    assert env.bot.services.advisor.version == version

    after = (await user.slash(channel, "ask", question=EMPLOYERS)).response
    assert after.embeds[0].to_dict() == before.embeds[0].to_dict()


def test_the_start_refuses_guidance_whose_advice_cannot_be_rendered(guidance_copy):
    # The bot's start and the terminal's commands load guidance through Advisor.load.
    path = guidance_copy / "diaspora.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{{ partner }}", "{{ partner.nowhere }}", 1), encoding="utf-8")
    with pytest.raises(GuidanceError, match=r"diaspora\.yaml: diaspora\.[\w-]+: advice: "):
        Advisor.load(guidance_copy, cache_dir=None)


def _prompts_copy(tmp_path: Path) -> Path:
    import shutil

    from pact_advisor.resources import prompts_dir

    return Path(shutil.copytree(prompts_dir(), tmp_path / "prompts"))


def test_a_template_broken_after_a_passing_start_is_refused_on_the_next(tmp_path):
    """A start whose templates passed the check before does not render them again; one whose
    template changed since (a broken one here) is checked, and refused."""
    import jinja2

    prompts, cache = _prompts_copy(tmp_path), tmp_path / "cache"
    for _ in range(2):  # the second start is the one the stamp lets skip the check
        advisor = Advisor.load(prompts_dir=prompts, cache_dir=cache, eager=True)
        assert "Pact Advisor" in advisor.renderer.render_help("markdown")
    assert len(list(cache.glob("checked-*"))) == 1
    (prompts / "help.md.j2").write_text("{{ undefined_macro() }}", encoding="utf-8")
    with pytest.raises(jinja2.TemplateError):
        Advisor.load(prompts_dir=prompts, cache_dir=cache, eager=True)


def test_a_planted_stamp_never_skips_the_check(tmp_path):
    """A stamp this installation did not sign, named for exactly the broken templates."""
    import jinja2

    from pact_advisor.render import Renderer
    from pact_advisor.resources import guidance_dir

    prompts, cache = _prompts_copy(tmp_path), tmp_path / "cache"
    Advisor.load(prompts_dir=prompts, cache_dir=cache)  # the folder and its key
    (prompts / "help.md.j2").write_text("{{ undefined_macro() }}", encoding="utf-8")
    guidance = load_guidance(guidance_dir())
    name = Advisor(guidance, Renderer(guidance, prompts))._check_stamp()
    (cache / f"checked-{name}").write_bytes(b"\0" * 32)
    with pytest.raises(jinja2.TemplateError):
        Advisor.load(prompts_dir=prompts, cache_dir=cache)
