"""``pact-advisor chat``: a conversation in the terminal.

In a terminal, lines are read with prompt_toolkit: editing, history kept between chats (Up
and Down), Tab completion of the in-chat commands and item ids, and a prompt that shows the
context. Answers are rendered for the terminal. Ctrl-C and Ctrl-D leave. Piped, one line is
read at a time and answers are plain text, so that a script can drive it.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pact_advisor.cli.common import (
    add_context,
    add_language,
    context,
    emit,
    is_terminal,
    load_advisor,
    locale_language,
    text_lines,
)
from pact_advisor.cli.conversation import COMMANDS, GREETING, Conversation, Reply, describe
from pact_advisor.cli.parser import PROG, add_command

if TYPE_CHECKING:
    from prompt_toolkit import PromptSession


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "chat",
        help="interactive conversation with follow-ups",
        description='Ask questions in a loop. Follow-ups such as "tell me more", "what about Morocco?" or "/checklist" refer to the last answer; the context stays until changed. /help lists the in-chat commands; /quit, Ctrl-D or Ctrl-C leave.',
        example_lines=(
            f"{PROG} chat",
            f"{PROG} chat --partner Morocco --sector agriculture",
            f"printf 'what are the success factors?\\n/checklist\\n' | {PROG} chat",
        ),
    )
    add_context(p)
    add_language(p, question=True)
    p.set_defaults(func=cmd_chat)


def cmd_chat(args: argparse.Namespace, out: TextIO) -> int:
    conversation = Conversation(
        load_advisor(args, eager=True), context(args), args.lang, locale_language()
    )
    if is_terminal(args.stdin) and is_terminal(out):
        return _interactive(conversation, out, args.settings.history_path)
    for line in text_lines(args.stdin):
        reply = conversation.handle(line)
        if reply is None:
            continue
        if reply.quit:
            break
        emit(reply.plain, out)
        out.write("\n")
        out.flush()
    return 0


def _interactive(conversation: Conversation, out: TextIO, history: Path | None) -> int:
    from prompt_toolkit.shortcuts import clear

    from pact_advisor.render.console import print_markdown

    session = _session(conversation, history)
    print_markdown(GREETING, out)
    while True:
        try:
            line = session.prompt(lambda: _prompt(conversation))
            reply = conversation.handle(line)
        except (EOFError, KeyboardInterrupt):  # Ctrl-D, Ctrl-C: leave, also mid-answer
            break
        if reply is None:
            continue
        if reply.quit:
            break
        if reply.clear:
            clear()
        print_markdown(reply.markdown, out)
    return 0


def _prompt(conversation: Conversation) -> str:
    shown = describe(conversation.context)
    return f"you [{shown}]> " if shown else "you> "


def _session(conversation: Conversation, history_path: Path | None) -> PromptSession:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory, History, InMemoryHistory

    history: History = InMemoryHistory()
    if history_path is not None:
        try:
            _private_file(history_path)
            history = FileHistory(str(history_path))
        except OSError:  # no history file costs only the recall of earlier chats
            pass
    return PromptSession(
        history=history,
        completer=_completer(conversation),
        complete_while_typing=False,
        enable_history_search=False,
    )


def _private_file(path: Path) -> None:
    """Create ``path`` readable by its owner only: it holds the questions asked."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600))


def _completer(conversation: Conversation) -> Any:
    from prompt_toolkit.completion import Completer, Completion

    from pact_advisor.checklists import checklist_topics

    guidance = conversation.advisor.guidance
    topics = checklist_topics(guidance)
    arguments = {"/show": list(guidance.items), "/checklist": topics}

    class ChatCompleter(Completer):
        """The in-chat commands after ``/``; item ids after ``/show``, topics after
        ``/checklist``."""

        def get_completions(self, document: Any, complete_event: Any) -> Iterable[Completion]:
            text = document.text_before_cursor
            name, space, typed = text.partition(" ")
            if not space:
                options: list[str] = list(COMMANDS) if text.startswith("/") else []
                typed = text
            else:
                options = arguments.get(name.lower(), [])
            for option in options:
                if option.startswith(typed):
                    yield Completion(option, start_position=-len(typed))

    return ChatCompleter()


__all__ = ["Reply", "cmd_chat", "register"]
