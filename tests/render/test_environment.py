"""One Jinja2 environment over prompts/: strict, with the filters, and every template in it compiles; a content editor changes wording without code."""

from __future__ import annotations

import shutil

import jinja2
from render_helpers import not_covered

from pact_advisor.engine import Result
from pact_advisor.render import Renderer
from pact_advisor.resources import prompts_dir


def test_one_strict_environment_with_the_filters(renderer):
    env = renderer.env
    assert env.undefined is jinja2.StrictUndefined
    assert env.trim_blocks and env.lstrip_blocks and not env.autoescape
    assert {"discord_escape", "md_escape", "truncate_sentence"} <= set(env.filters)
    assert renderer.prompts_dir == prompts_dir()


def test_every_template_compiles(renderer):
    names = renderer.env.list_templates(extensions=["j2"])
    assert len(names) >= 18
    for name in names:
        renderer.env.get_template(name)


def test_a_content_editor_changes_wording_without_code(guidance, tmp_path):
    shutil.copytree(prompts_dir(), tmp_path / "prompts")
    (tmp_path / "prompts" / "thanks.md.j2").write_text("Avec plaisir !\n", encoding="utf-8")
    custom = Renderer(guidance, prompts_dir=tmp_path / "prompts")
    thanks = Result("merci", "thanks", False, (), guidance.version)
    assert custom.render_answer("thanks", thanks) == "Avec plaisir !\n"


def test_a_content_editor_rewords_discord_replies_without_code(guidance, tmp_path):
    shutil.copytree(prompts_dir(), tmp_path / "prompts")
    path = tmp_path / "prompts" / "messages.discord.j2"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            '{{ _("Helpful") }}{% endmacro %}', "Utile{% endmacro %}"
        ),
        encoding="utf-8",
    )
    custom = Renderer(guidance, prompts_dir=tmp_path / "prompts")
    assert custom.discord_text("label_helpful") == "Utile"


def test_templates_see_user_text_only_as_data(show, guidance):
    question = "{% for x in range(3) %}loop{% endfor %} {{ config }}"
    text = show.text(not_covered(guidance, question))
    assert question in text
    assert "looploop" not in text
