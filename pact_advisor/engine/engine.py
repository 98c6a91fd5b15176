"""The engine: rules for what a message asks for, a learned ranker for which guidance answers
it, and a coverage model for whether any does.

Everything is fitted when the engine is built (or loaded from the start-up cache); asking does
no I/O and fits nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from pact_advisor.engine.index import Hit, Hits, Index, IndexConfig
from pact_advisor.engine.message import Reading
from pact_advisor.engine.result import Confidence, Match, Result, Turn
from pact_advisor.engine.rules import CompiledRules
from pact_advisor.engine.text import Glossary, fold, foreign_script
from pact_advisor.engine.vectors import scipy_sparse
from pact_advisor.knowledge import Context, Guidance
from pact_advisor.knowledge.models import Intent

#: How many matches an answer carries.
TOP_K = 5
#: How many "did you mean" suggestions a question that is not covered gets.
SUGGESTIONS = 3
#: A question not covered gets suggestions only if the coverage model gives it this much
#: and the suggestions share words with it.
SUGGEST_FLOOR = 0.05
#: Words in a follow-up such as "and for diaspora?" at most.
FOLLOWUP_MAX_WORDS = 8
#: In "and for diaspora?", how much the previous question still counts.
PREVIOUS_WEIGHT = 0.35


class Engine:
    """Maps questions to guidance items. Build once per guidance version."""

    def __init__(
        self,
        guidance: Guidance,
        config: IndexConfig | None = None,
        *,
        state: tuple[Mapping[str, np.ndarray], dict] | None = None,
    ):
        """Fit the engine on ``guidance``, or restore the index fitted on it earlier from its
        ``state`` (:meth:`state`)."""
        self.guidance = guidance
        self.rules = CompiledRules(guidance.rules, state[1].get("re2") if state else None)
        g = guidance.glossary
        common = {
            "rules": self.rules,
            "glossary": Glossary(g.abbreviations, g.synonyms, g.translations, idioms=g.idioms),
            "countries": guidance.names.countries,
            "sectors": guidance.names.sectors,
            "config": config,
        }
        items = list(guidance.items.values())
        if state is None:
            self.index = Index.build(items, negatives=guidance.negatives, **common)
        else:
            self.index = Index.restore(items, state, **common)

    @property
    def version(self) -> str:
        return self.guidance.version

    def state(self) -> tuple[dict[str, np.ndarray], dict]:
        """The fitted state (:meth:`Index.state`, with the rules' patterns as written for
        RE2), from which an engine on the same guidance is restored without fitting."""
        arrays, meta = self.index.state()
        return arrays, {**meta, "re2": self.rules.patterns.translated}

    # -- public API -----------------------------------------------------------------------

    def prepare_for_batches(self) -> None:
        """Load what answering a large batch uses and one question does not (scipy.sparse),
        so that processes forked afterwards share it rather than each loading it."""
        scipy_sparse()

    def ask(
        self, question: str, previous: Turn | None = None, context: Context | None = None
    ) -> Result:
        """Answer one question, optionally as a follow-up to ``previous``."""
        return self.ask_many([question], previous=previous, context=context)[0]

    def ask_many(
        self, questions: Sequence[str], previous: Turn | None = None, context: Context | None = None
    ) -> list[Result]:
        """Answer many independent questions with one vectorisation pass."""
        plans = [self._plan(q, previous, context or Context()) for q in questions]
        searching = [p for p in plans if p.search is not None]
        found = self.index.search_readings([p.search for p in searching], TOP_K)
        for plan, hits in zip(searching, found, strict=True):
            plan.hits = hits
        also = [p for p in searching if p.also is not None]
        for plan, earlier in zip(
            also, self.index.search_readings([p.also for p in also]), strict=True
        ):
            plan.hits = self.index.pooled(plan.hits, earlier, PREVIOUS_WEIGHT, TOP_K)
        return [self._finish(p) for p in plans]

    # -- reading a message ----------------------------------------------------------------

    def _plan(self, question: str, previous: Turn | None, context: Context) -> _Plan:
        folded = fold(question)
        plan = _Plan(question=question, folded=folded, context=context)
        foreign = foreign_script(question)
        if not folded or foreign:
            plan.fixed = self._unanswered(plan, "language" if foreign else "empty")
            return plan
        reading = self.index.read(question, folded=folded)
        named = Context(
            partner=" and ".join(reading.partners) or None,
            sector=" and ".join(reading.sectors) or None,
        )
        plan.context = context.merged(named)
        plan.language = reading.language
        if previous is not None and len(folded.split()) <= FOLLOWUP_MAX_WORDS:
            followup = self._followup(plan, reading, previous, named)
            if followup is not None:
                return followup
        plan.intent, plan.intent_rule = self.rules.intent(folded)
        if plan.intent in ("help", "thanks", "topics"):
            plan.fixed = self._unanswered(plan, None)
            return plan
        plan.search = reading
        return plan

    def _followup(
        self, plan: _Plan, reading: Reading, previous: Turn, named: Context
    ) -> _Plan | None:
        kind = self.rules.followup(plan.folded)
        context = previous.context.merged(plan.context)
        earlier = self.index.read(previous.question)
        if kind and kind[0] in ("more", "checklist"):
            intent: Intent = "checklist" if kind[0] == "checklist" else "answer"
            return replace(
                plan,
                search=earlier,
                intent=intent,
                followup=kind[0],
                context=context,
                intent_rule=kind[1],
            )
        if named and not self.index.known_terms(reading.question):
            return replace(
                plan,
                search=earlier,
                followup="context",
                context=context,
                intent_rule="follow-up: context",
            )
        if kind and kind[0] == "refocus":
            return replace(
                plan,
                search=reading,
                also=earlier,
                followup="refocus",
                context=context,
                intent_rule=kind[1],
            )
        return None

    # -- answering ------------------------------------------------------------------------

    def _finish(self, plan: _Plan) -> Result:
        if plan.fixed is not None:
            return plan.fixed
        hits = plan.hits
        assert hits is not None and plan.search is not None
        th = self.rules.thresholds
        reading = plan.search
        if hits.covered < th.answer:
            if reading.produce:
                reason = "asks-to-produce"
            elif reading.out_of_scope:
                reason = f"out-of-scope:{reading.out_of_scope[0]}"
            else:
                reason = "not-covered"
            suggestions = ()
            if hits.covered >= SUGGEST_FLOOR and not reading.produce:
                shared = [h for h in hits.hits[:SUGGESTIONS] if h.terms]
                suggestions = tuple(self._match(plan, h) for h in shared)
            return replace(
                self._unanswered(plan, reason), suggestions=suggestions, covered=hits.covered
            )

        top, second = hits.hits[0], hits.hits[1] if len(hits.hits) > 1 else None
        ambiguous = second is not None and second.score >= th.ambiguous_ratio * top.score
        return Result(
            question=plan.question,
            intent=plan.intent,
            answered=True,
            matches=tuple(self._match(plan, h) for h in hits.hits),
            guidance_version=self.version,
            ambiguous=ambiguous,
            context=plan.context,
            followup=plan.followup,
            searched=reading.written,
            confidence=_confidence(hits.covered, ambiguous),
            covered=hits.covered,
            language=plan.language,
        )

    def _match(self, plan: _Plan, hit: Hit) -> Match:
        item = self.index.items[hit.position]
        why = []
        if plan.intent_rule:
            why.append(f"rule: {plan.intent_rule}")
        if hit.reasons:
            why.append("ranker: " + ", ".join(hit.reasons))
        if plan.search is not None and plan.search.has_background:
            why.append(f"question: {plan.search.clause}")
        if hit.terms:
            why.append("terms: " + ", ".join(hit.terms))
        if not hit.terms and not hit.reasons:
            why.append("similar wording")
        return Match(item.id, item.title, item.quote, item.source, hit.score, tuple(why))

    def _unanswered(self, plan: _Plan, reason: str | None) -> Result:
        return Result(
            question=plan.question,
            intent=plan.intent,
            answered=False,
            matches=(),
            guidance_version=self.version,
            reason=reason,
            context=plan.context,
            followup=plan.followup,
            searched=plan.search.written if plan.search is not None else plan.question,
            language=plan.language,
        )


def _confidence(covered: float, ambiguous: bool) -> Confidence:
    if covered >= 0.9 and not ambiguous:
        return "high"
    if covered >= 0.7:
        return "medium"
    return "low"


@dataclass
class _Plan:
    """A question on its way through :meth:`Engine.ask_many`."""

    question: str
    folded: str
    context: Context
    language: str = "en"
    intent: Intent = "answer"
    intent_rule: str | None = None
    search: Reading | None = None
    also: Reading | None = None
    followup: str | None = None
    fixed: Result | None = None
    hits: Hits | None = None
