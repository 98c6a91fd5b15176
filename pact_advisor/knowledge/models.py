"""The guidance schema: what a collection, an item, the glossary and the rules look like.

Models are frozen: guidance is loaded once and then only read.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

#: Context slots that advice and checklist steps may use.
CONTEXT_SLOTS: tuple[str, ...] = ("partner", "sector", "programme")
#: The languages guidance is translated into (English is the source).
TRANSLATED: tuple[str, ...] = ("fr", "es")
Translated = Literal["fr", "es"]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
ItemId = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9]+(?:-[a-z0-9]+)*$")
]


class _Frozen(BaseModel):
    # defer_build: validators are built on first validation, so a start-up that reuses a
    # cached, already validated guidance never pays for them.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Source(_Frozen):
    """Where an item's guidance comes from, as far as the text says."""

    programme: Text
    evidence: Text | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)
    #: The id of the document in ``guidance/sources/`` the quote is taken from.
    document: Slug | None = None
    #: Where in that document, as its heading names it.
    section: Text | None = None


class ItemTranslation(_Frozen):
    """An item's text in another language. Advice and steps use the same context slots as
    the English, worded for the language (``{{ partner.en }}`` is "au Maroc", "en Marruecos").
    ``quote`` is an unofficial translation of the quote, which itself stays verbatim, and
    ``evidence`` the source's evidence as the citation names it. A field left out is shown in
    English, and ``validate`` warns about it."""

    title: Text | None = None
    summary: Text | None = None
    advice: Text | None = None
    checklist: tuple[Text, ...] | None = None
    quote: Text | None = None
    evidence: Text | None = None


class CollectionTranslation(_Frozen):
    """A collection's title and description in another language."""

    title: Text | None = None
    description: Text | None = None


class Item(_Frozen):
    """One piece of guidance."""

    id: ItemId
    title: Text
    quote: Text
    source: Source
    summary: Text
    advice: Text
    checklist: tuple[Text, ...]
    keywords: tuple[Text, ...] = Field(min_length=1)
    examples: tuple[Text, ...]
    related: tuple[ItemId, ...] = ()
    translations: dict[Translated, ItemTranslation] = Field(default_factory=dict)
    #: When a curator last checked the item against its source and practice.
    reviewed: date | None = None
    #: When it is due for review again (default: a year after ``reviewed``).
    review_by: date | None = None

    @field_validator("checklist")
    @classmethod
    def _checklist_size(cls, steps: tuple[str, ...]) -> tuple[str, ...]:
        if len(steps) < 2:
            raise ValueError("at least 2 steps required")
        if len(steps) > 5:
            raise ValueError("at most 5 steps allowed")
        return steps

    @field_validator("examples")
    @classmethod
    def _enough_examples(cls, examples: tuple[str, ...]) -> tuple[str, ...]:
        if len(examples) < 4:
            raise ValueError("at least 4 example questions required")
        return examples

    @property
    def collection(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def quote_passages(self) -> tuple[str, ...]:
        """The separate source passages a quote joins with `` … ``."""
        return tuple(p.strip() for p in self.quote.split(" … ") if p.strip())


class Collection(_Frozen):
    """A named group of items, such as the five success factors."""

    id: Slug
    title: Text
    description: Text
    programme: Text
    #: Position in topic lists (the source document's order); ties sort by id.
    order: int = 100
    translations: dict[Translated, CollectionTranslation] = Field(default_factory=dict)


class CollectionFile(_Frozen):
    """The shape of one ``guidance/<collection>.yaml`` file."""

    collection: Collection
    items: tuple[Item, ...] = Field(min_length=1)


class Glossary(_Frozen):
    """Abbreviations, synonyms and French/Spanish terms, each mapped to guidance vocabulary;
    and idioms, whose words mislead when read one by one ("keep employers on board" is not
    about a board), each mapped to the plain words that replace it in a message."""

    abbreviations: dict[str, Text] = Field(default_factory=dict)
    synonyms: dict[str, Text] = Field(default_factory=dict)
    translations: dict[str, Text] = Field(default_factory=dict)
    idioms: dict[str, Text] = Field(default_factory=dict)


class ContextNames(_Frozen):
    """Names that fill the context slots when a question mentions them."""

    #: Partner countries (and EU member states), as practitioners write them in EN/FR/ES.
    countries: tuple[Text, ...] = ()
    #: Sectors a partnership may target (agriculture, ICT, health care, …).
    sectors: tuple[Text, ...] = ()


def _check_patterns(patterns: tuple[str, ...]) -> tuple[str, ...]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"invalid pattern {pattern!r}: {exc}") from None
    return patterns


Intent = Literal["answer", "checklist", "topics", "programme", "help", "thanks"]


class IntentRule(_Frozen):
    """A question matching any pattern has this intent (first matching rule wins)."""

    name: Slug
    intent: Intent
    patterns: tuple[Text, ...] = Field(min_length=1)
    #: Only when the whole question is short (greetings, thanks), so that
    #: "hi, what are the success factors?" is still a question.
    max_words: int | None = Field(default=None, ge=1)

    _valid = field_validator("patterns")(_check_patterns)


class MentionRule(_Frozen):
    """A question matching ``when`` (and none of ``unless``) names the items of ``about``.

    ``about`` lists collections or item ids. Naming is evidence for the ranker (the
    question names the item's collection or programme), never a fixed boost.
    """

    name: Slug
    when: tuple[Text, ...] = Field(min_length=1)
    unless: tuple[Text, ...] = ()
    about: tuple[Text, ...] = Field(min_length=1)

    _valid = field_validator("when", "unless")(_check_patterns)


class Cues(_Frozen):
    """Wordings that say what kind of message this is; each is a ranker or coverage feature."""

    #: A sentence that asks something ("what should we...", "any tips?"), as opposed to
    #: background ("I'm programme manager in Tunis.").
    question: tuple[Text, ...] = Field(min_length=1)
    #: Announces a change of subject ("anyway, unrelated:"): what follows is the question.
    new_subject: tuple[Text, ...] = ()
    #: Asks for a whole list ("what are the success factors"), which an overview answers.
    whole_list: tuple[Text, ...] = ()
    #: Asks about a programme itself: who funds it, since when, what it does.
    programme: tuple[Text, ...] = ()
    #: Refers to the guidance itself ("what does the document say about...").
    about_guidance: tuple[Text, ...] = ()
    #: Asks to produce something else or to drop the rules ("write a poem", "ignore your
    #: instructions"): the guidance never covers that.
    produce: tuple[Text, ...] = ()
    #: Asks for a specific fact: a number, a date, a duration, an age, a fee, a legal
    #: threshold ("how many...", "until when", "what is the minimum age"). The guidance holds
    #: lessons and programme facts, rarely such figures.
    specific: tuple[Text, ...] = ()

    _valid = field_validator(
        "question",
        "new_subject",
        "whole_list",
        "programme",
        "about_guidance",
        "produce",
        "specific",
    )(_check_patterns)


class OutOfScopeRule(_Frozen):
    """Questions the guidance does not cover, though they sound close (asylum procedure, …)."""

    name: Slug
    patterns: tuple[Text, ...] = Field(min_length=1)
    #: A question that also matches one of these is in scope after all.
    unless: tuple[Text, ...] = ()

    _valid = field_validator("patterns", "unless")(_check_patterns)


class FollowupRule(_Frozen):
    """How a short follow-up relates to the previous turn.

    ``more`` repeats the previous answer in full, ``checklist`` turns it into a checklist,
    ``refocus`` asks the previous question again about what the follow-up names
    ("and for diaspora?"); a country or sector named alone sets the context instead.
    """

    name: Slug
    kind: Literal["more", "checklist", "refocus"]
    patterns: tuple[Text, ...] = Field(min_length=1)
    max_words: int | None = Field(default=None, ge=1)

    _valid = field_validator("patterns")(_check_patterns)


class Thresholds(_Frozen):
    """Calibrated on the dev splits; see ``pact-advisor eval --sweep``."""

    #: The coverage model's probability below which a question is "not covered".
    answer: float = Field(ge=0, le=1)
    #: The best two are both shown when the second's ranker probability is at least this
    #: share of the first's.
    ambiguous_ratio: float = Field(ge=0, le=1)


class Rules(_Frozen):
    """The shape of ``guidance/rules.yaml``."""

    thresholds: Thresholds
    cues: Cues
    intents: tuple[IntentRule, ...] = ()
    mentions: tuple[MentionRule, ...] = ()
    out_of_scope: tuple[OutOfScopeRule, ...] = ()
    followups: tuple[FollowupRule, ...] = ()
    stopwords: tuple[Text, ...] = ()
    #: Function words that tell French and Spanish from English (folded).
    languages: dict[Literal["en", "fr", "es"], tuple[Text, ...]] = Field(default_factory=dict)


class Negatives(_Frozen):
    """The shape of ``guidance/negatives.yaml``: messages the guidance does not cover, by kind.

    With the items' own examples they train the model that decides whether the guidance
    covers a question. Never evaluation data.
    """

    negatives: dict[Slug, tuple[Text, ...]] = Field(default_factory=dict)
