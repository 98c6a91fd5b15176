"""What ``pact-advisor chat`` does with each line typed: a question, a follow-up, or an
in-chat command (``/help``, ``/checklist``, ``/show``, ``/topics``, ``/context``, ``/clear``,
``/quit``).

The conversation keeps the last answer, for follow-ups, and the context (partner, sector,
programme) until it is changed: named in a question or a follow-up, or set with ``/context``.
It knows nothing of the terminal: each line gives a :class:`Reply`, which the chat shows.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from pact_advisor.cli.parser import either
from pact_advisor.knowledge import CONTEXT_SLOTS, Context, context_values
from pact_advisor.knowledge.lookup import suggest

if TYPE_CHECKING:
    from pact_advisor.app import Advisor, Answer
    from pact_advisor.engine import Turn

#: The in-chat commands and what each does, as ``/help`` lists them.
COMMANDS: dict[str, tuple[str, str]] = {
    "/help": ("", "this list"),
    "/checklist": ("[TOPIC]", "the last answer as a checklist, or the checklist for a topic"),
    "/show": ("ID", "everything on one item"),
    "/topics": ("", "what the guidance covers"),
    "/context": (
        "partner=... sector=... programme=...",
        "who and what the advice is for, until changed (`partner=` clears it; alone, shows it)",
    ),
    "/clear": ("", "forget the conversation and the context"),
    "/quit": ("", "leave (Ctrl-D and Ctrl-C leave too)"),
}
#: Words that, typed alone, mean an in-chat command rather than a question.
BARE = {
    "help": "/help",
    "checklist": "/checklist",
    "topics": "/topics",
    "clear": "/clear",
    "context": "/context",
    **dict.fromkeys(("quit", "exit", "q", ":q", "bye", "/exit", "/q"), "/quit"),
}
GREETING = (
    "Pact Advisor. Ask a question; follow-ups such as “tell me more” or “what about "
    "Morocco?” refer to the last answer. /help lists the in-chat commands; /quit leaves."
)
#: The hints answers give for the command line, as the in-chat commands that do the same.
_HINT = re.compile(r"\bpact-advisor (show|checklist|topics)\b")


def in_chat(text: str) -> str:
    """``text`` with its ``pact-advisor show ID`` hints as ``/show ID`` (and so on)."""
    return _HINT.sub(r"/\1", text)


def describe(context: Context) -> str:
    """``partner=Morocco sector=agriculture``, or an empty string."""
    return " ".join(f"{slot}={value}" for slot, value in context_values(context).items() if value)


@dataclass(frozen=True)
class Reply:
    """What a line gets: Markdown for a terminal, plain text for a pipe, and whether the
    conversation is over or the screen should be cleared."""

    markdown: str
    plain: str
    quit: bool = False
    clear: bool = False

    @classmethod
    def text(cls, text: str, **flags: bool) -> Reply:
        return cls(text, text, **flags)


class Conversation:
    """One chat: the last answer and the context, and what each line typed does to them."""

    def __init__(
        self,
        advisor: Advisor,
        context: Context | None = None,
        language: str | None = None,
        fallback: str | None = None,
    ) -> None:
        self.advisor = advisor
        #: ``--lang``, if given; else each answer is in its question's language, and a
        #: follow-up too short to tell ("/checklist") stays in the conversation's.
        self.language = language
        self.fallback = fallback
        self.start = context or Context()
        self.context = self.start
        self.previous: Turn | None = None
        #: The item a bare ``/checklist`` is about: the last answer's or the last shown.
        self.item_id: str | None = None

    # -- a line -------------------------------------------------------------------------------

    def handle(self, line: str) -> Reply | None:
        """The reply to ``line``; ``None`` for a blank line."""
        line = line.strip()
        if not line:
            return None
        word = line.lower()
        if word in BARE:
            line = word = BARE[word]
        if word.startswith("/"):
            return self.command(line)
        return self.ask(line)

    def ask(self, question: str) -> Reply:
        answer = self.advisor.answer(
            question, self.previous, self.context, language=self.language, fallback=self.fallback
        )
        reply = self._answer_reply(answer)
        if not answer.result.answered:
            return reply
        self.previous = answer.result.turn()
        self.fallback = answer.language
        self.item_id = answer.item_id or (answer.checklist.topic if answer.checklist else None)
        if answer.result.context != self.context:
            self.context = answer.result.context
            note = f"(Context from now on: {describe(self.context) or 'none'}.)"
            return Reply(f"{reply.markdown}\n{note}\n", f"{reply.plain}\n{note}\n")
        return reply

    def _answer_reply(self, answer: Answer) -> Reply:
        return Reply(
            in_chat(self.advisor.text(answer, "markdown")), in_chat(self.advisor.text(answer))
        )

    # -- in-chat commands ---------------------------------------------------------------------

    def command(self, line: str) -> Reply:
        name, _, rest = line.partition(" ")
        name, rest = name.lower(), rest.strip()
        handler = {
            "/help": self.help,
            "/checklist": self.checklist,
            "/show": self.show,
            "/topics": self.topics,
            "/context": self.set_context,
            "/clear": self.clear,
            "/quit": self.quit,
        }.get(name)
        if handler is None:
            close = suggest(name, {c: c for c in COMMANDS}, n=2)
            hint = f" Did you mean {either(close)}?" if close else ""
            return Reply.text(f"Unknown command {name}.{hint} /help lists the commands.")
        return handler(rest)

    def help(self, _: str = "") -> Reply:
        lines = ["In-chat commands:", ""]
        for name, (usage, what) in COMMANDS.items():
            lines.append(f"- `{name}{' ' + usage if usage else ''}`: {what}")
        lines += [
            "",
            "Follow-ups refer to the last answer: “tell me more”, “what about Morocco?”, "
            "“and for diaspora?”. Up and Down bring back earlier lines; Tab completes "
            "commands and item ids.",
        ]
        text = "\n".join(lines) + "\n"
        return Reply(text, text.replace("`", ""))

    def checklist(self, topic: str) -> Reply:
        from pact_advisor.checklists import UnknownTopic

        advisor = self.advisor
        try:
            if topic:
                checklist = advisor.checklist(topic, self.context)
            elif self.item_id is None:
                return Reply.text(
                    "There is no answer yet to make a checklist of. Ask a question first, or "
                    "name a topic: /checklist readiness (/topics lists them)."
                )
            elif self.previous is not None and self.item_id in self.previous.match_ids[:1]:
                turn = replace(self.previous, context=self.context)
                checklist = advisor.answer_checklist(self.item_id, turn)
            else:
                checklist = advisor.checklist(self.item_id, self.context)
        except UnknownTopic as exc:
            return Reply.text(_unknown("topic", topic, exc.suggestions))
        renderer = advisor.renderer
        return Reply(
            in_chat(renderer.render_checklist(checklist, "md")),
            in_chat(renderer.render_checklist(checklist, "text")),
        )

    def show(self, item_id: str) -> Reply:
        from pact_advisor.render import UnknownItem

        if not item_id:
            return Reply.text("/show needs an item id, e.g. /show diaspora.overview.")
        renderer = self.advisor.renderer
        try:
            found = renderer.views.item(item_id, self.context).variables["item"]["id"]
        except UnknownItem as exc:
            return Reply.text(_unknown("item", item_id, exc.suggestions))
        self.item_id = found
        return Reply(
            in_chat(renderer.render_item(found, self.context, "markdown")),
            in_chat(renderer.render_item(found, self.context)),
        )

    def topics(self, _: str = "") -> Reply:
        renderer = self.advisor.renderer
        return Reply(in_chat(renderer.render_topics("markdown")), in_chat(renderer.render_topics()))

    def set_context(self, text: str) -> Reply:
        try:
            words = shlex.split(text)
        except ValueError as exc:
            return Reply.text(f"Could not read that context ({exc}).")
        values = context_values(self.context)
        for word in words:
            slot, equals, value = word.partition("=")
            if not equals or slot.lower() not in CONTEXT_SLOTS:
                return Reply.text(
                    f"Write /context {' '.join(f'{s}=...' for s in CONTEXT_SLOTS)}, "
                    f'e.g. /context partner=Morocco sector="health care" (not {word!r}).'
                )
            values[slot.lower()] = value
        self.context = Context.of(values)
        if self.previous is not None:
            self.previous = replace(self.previous, context=self.context)
        return Reply.text(f"Context: {describe(self.context) or 'none'}.")

    def clear(self, _: str = "") -> Reply:
        self.previous, self.item_id, self.context = None, None, self.start
        note = f" Context: {describe(self.context)}." if self.context else ""
        return Reply.text(f"Cleared: a new conversation.{note}", clear=True)

    def quit(self, _: str = "") -> Reply:
        return Reply.text("", quit=True)


def _unknown(what: str, typed: str, suggestions: tuple[str, ...]) -> str:
    command = "/show" if what == "item" else "/checklist"
    hint = (
        f" Did you mean {either([f'{command} {s}' for s in suggestions])}?" if suggestions else ""
    )
    return f"Unknown {what} {typed!r}.{hint} /topics lists them all."
