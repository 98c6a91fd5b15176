"""``pact-advisor chat`` as a person uses it: in a terminal (a pseudo-terminal read through a
terminal emulator), and driven by a script through a pipe."""

from __future__ import annotations

from cli_helpers import run

UP = "\x1b[A"
CTRL_C, CTRL_D = "\x03", "\x04"
QUESTION = "how do we involve employers in a talent partnership?"


def test_up_arrow_recalls_the_last_question_also_in_the_next_chat(terminal):
    chat = terminal("chat")
    chat.wait_for("you>")
    chat.send(QUESTION + "\r")
    chat.wait_for("Confidence:")
    chat.send(UP)
    chat.wait_for(f"you> {QUESTION}")
    chat.send(CTRL_C)
    assert chat.wait_for_exit() == 0
    assert "^[[A" not in chat.text()

    again = terminal("chat")
    again.wait_for("you>")
    again.send(UP)
    again.wait_for(f"you> {QUESTION}")


def test_help_lists_every_in_chat_command(terminal):
    chat = terminal("chat")
    chat.wait_for("you>")
    chat.send("/help\r")
    chat.wait_for("/quit: leave")
    for command in ("/checklist", "/show ID", "/context partner=", "/clear", "/topics"):
        assert command in chat.text()


def test_context_from_a_follow_up_stays_and_is_shown_in_the_prompt(terminal):
    chat = terminal("chat")
    chat.wait_for("you>")
    chat.send(QUESTION + "\r")
    chat.wait_for("Confidence:")
    chat.send("what about Morocco?\r")
    chat.wait_for("you [partner=Morocco]>")
    chat.send("how do we involve the diaspora?\r")
    chat.wait_for("Q: how do we involve the diaspora?")
    chat.wait_for("Confidence:")
    answer = chat.text().rsplit("Q: how do we involve the diaspora?", 1)[1]
    assert "for Morocco (partner)" in answer
    chat.send('/context partner=Tunisia sector="health care"\r')
    chat.wait_for("you [partner=Tunisia sector=health care]>")


def test_hints_name_the_in_chat_commands_and_work(terminal):
    chat = terminal("chat")
    chat.wait_for("you>")
    chat.send(QUESTION + "\r")
    chat.wait_for("Confidence:")
    chat.wait_for("/show talent-partnerships.public-private")
    assert "pact-advisor show" not in chat.text()
    chat.send("/show talent-partnerships.public-private\r")
    chat.wait_for("Keywords:")


def test_tab_completes_item_ids(terminal):
    chat = terminal("chat")
    chat.wait_for("you>")
    chat.send("/show diaspora.umb\t")
    chat.wait_for("/show diaspora.umbrella-networks")
    chat.send("\r")
    chat.wait_for("Invest in umbrella organisations, platforms and networks")


def test_ctrl_d_leaves_cleanly(terminal):
    chat = terminal("chat")
    chat.wait_for("you>")
    chat.send(CTRL_D)
    assert chat.wait_for_exit() == 0
    assert "Traceback" not in chat.text()


def test_ctrl_c_leaves_cleanly(terminal):
    chat = terminal("chat")
    chat.wait_for("you>")
    chat.send("half a question")
    chat.send(CTRL_C)
    assert chat.wait_for_exit() == 0
    assert "Traceback" not in chat.text() and "KeyboardInterrupt" not in chat.text()


def test_clear_and_checklist_alone_are_commands_not_questions():
    code, out = run("chat", stdin="checklist\nclear\nquit\n")
    assert code == 0
    assert "There is no answer yet to make a checklist of" in out
    assert "Cleared: a new conversation." in out
    assert "Success factors" not in out and "objectives" not in out


def test_checklist_after_an_answer_is_that_answers_checklist():
    code, out = run("chat", stdin=f"{QUESTION}\n/checklist\n")
    assert code == 0
    checklist = out.split("CHECKLIST: ", 1)[1]
    assert checklist.startswith("Bridge the public and private sectors")
    assert "[ ] 1. " in checklist


def test_a_context_set_with_the_context_command_fills_the_advice():
    code, out = run("chat", stdin=f"/context partner=Senegal\n{QUESTION}\n/context\n")
    assert code == 0
    assert "Context: partner=Senegal." in out
    assert "What to do for Senegal (partner):" in out
    assert out.rstrip().endswith("Context: partner=Senegal.")


def test_clear_forgets_the_context_and_the_last_answer():
    code, out = run("chat", stdin=f"{QUESTION}\nwhat about Morocco?\n/clear\n/checklist\n")
    assert code == 0
    after = out.rsplit("Cleared: a new conversation.", 1)[1]
    assert "There is no answer yet" in after


def test_unknown_in_chat_command_and_item_get_did_you_mean():
    code, out = run("chat", stdin="/shwo diaspora.overview\n/show diaspora.umbrela\n")
    assert code == 0
    assert "Unknown command /shwo. Did you mean /show?" in out
    assert "Did you mean /show diaspora.umbrella-networks" in out
