"""The engine: rules plus retrieval, from a question to ranked guidance.

Everything is fitted in :class:`Engine`'s constructor; asking does no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from pact_advisor.engine.index import Index, IndexConfig, Query
from pact_advisor.engine.result import Match, Result, Turn
from pact_advisor.engine.rules import CompiledRules
from pact_advisor.engine.text import Glossary, Phrases, fold
from pact_advisor.knowledge import Context, Guidance
from pact_advisor.knowledge.models import Intent

#: How many matches an answer carries.
TOP_K = 5
#: How many "did you mean" suggestions a question that is not covered gets.
SUGGESTIONS = 3
#: Words in a follow-up such as "and for diaspora?" at most.
FOLLOWUP_MAX_WORDS = 8
#: In "and for diaspora?", how much the previous question still counts.
PREVIOUS_WEIGHT = 0.35


class _Names:
    """Finds countries or sectors named in folded text; returns them as ``context.yaml`` writes them."""

    def __init__(self, names: Iterable[str]):
        self._table = {fold(n): n for n in names if fold(n)}
        self._phrases = Phrases(self._table)

    def find(self, folded: str) -> list[str]:
        return list(dict.fromkeys(self._table[m] for m in self._phrases.find(folded)))

    def remove(self, folded: str) -> str:
        return self._phrases.remove(folded)


class Engine:
    """Maps questions to guidance items. Build once per guidance version."""

    def __init__(
        self, guidance: Guidance, config: IndexConfig | None = None, *, index: Index | None = None
    ):
        """Fit the engine on ``guidance``, or reuse ``index`` fitted on it earlier."""
        self.guidance = guidance
        self.rules = CompiledRules(guidance.rules)
        if index is None:
            g = guidance.glossary
            index = Index.build(
                list(guidance.items.values()),
                glossary=Glossary(g.abbreviations, g.synonyms, g.translations),
                stopwords=self.rules.stopwords,
                config=config,
            )
        self.index = index
        self._items = self.index.items
        self._countries = _Names(guidance.names.countries)
        self._sectors = _Names(guidance.names.sectors)
        # Which items each topic rule target stands for, resolved once.
        self._targets: dict[str, np.ndarray] = {}
        for rule in guidance.rules.topics:
            for target in rule.prefer:
                mask = np.array(
                    [it.id == target or it.collection == target for it in self._items], dtype=bool
                )
                self._targets[target] = mask

    @property
    def version(self) -> str:
        return self.guidance.version

    # -- public API -----------------------------------------------------------------------

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
        searches = [p for p in plans if p.search is not None]
        queries: list[Query] = [
            self.index.prepare(p.search, folded=p.folded if p.search == p.question else None)
            for p in searches
        ]
        extra = [p for p in searches if p.also is not None]
        extra_queries = [self.index.prepare(p.also) for p in extra]
        if queries:
            matrix = self.index.scores(queries + extra_queries)
            for plan, query, row in zip(searches, queries, matrix[: len(queries)], strict=True):
                plan.query, plan.scores = query, row
            for plan, row in zip(extra, matrix[len(queries) :], strict=True):
                plan.scores = plan.scores + PREVIOUS_WEIGHT * row
        return [self._finish(p) for p in plans]

    # -- internals ------------------------------------------------------------------------

    def _plan(self, question: str, previous: Turn | None, context: Context) -> _Plan:
        folded = fold(question)
        base = _Plan(question=question, folded=folded, context=context)
        if not folded:
            return replace(base, fixed=self._empty(question, "empty", "answer", context))

        named = Context(
            partner=" and ".join(self._countries.find(folded)) or None,
            sector=" and ".join(self._sectors.find(folded)) or None,
        )
        base.context = context.merged(named)

        if previous is not None and len(folded.split()) <= FOLLOWUP_MAX_WORDS:
            followup = self._followup(base, previous, named)
            if followup is not None:
                return followup

        intent, rule = self.rules.intent(folded)
        base.intent, base.intent_rule = intent, rule
        if intent in ("help", "thanks", "topics"):
            return replace(base, fixed=self._empty(question, None, intent, base.context))
        base.search = question
        return base

    def _followup(self, plan: _Plan, previous: Turn, named: Context) -> _Plan | None:
        folded = plan.folded
        kind = self.rules.followup(folded)
        context = previous.context.merged(plan.context)
        if kind and kind[0] in ("more", "checklist"):
            intent: Intent = "checklist" if kind[0] == "checklist" else "answer"
            return replace(
                plan,
                search=previous.question,
                intent=intent,
                followup=kind[0],
                context=context,
                intent_rule=kind[1],
            )
        if named:
            rest = self._sectors.remove(self._countries.remove(folded))
            if not self.index.prepare(rest).known_terms:
                return replace(
                    plan,
                    search=previous.question,
                    followup="context",
                    context=context,
                    intent_rule="follow-up: context",
                )
        if kind and kind[0] == "refocus":
            return replace(
                plan,
                search=plan.question,
                also=previous.question,
                followup="refocus",
                context=context,
                intent_rule=kind[1],
            )
        return None

    def _empty(self, question: str, reason: str | None, intent: Intent, context: Context) -> Result:
        return Result(
            question=question,
            intent=intent,
            answered=False,
            matches=(),
            guidance_version=self.version,
            reason=reason,
            context=context,
            searched=question,
        )

    def _finish(self, plan: _Plan) -> Result:
        if plan.fixed is not None:
            return plan.fixed
        assert plan.query is not None and plan.scores is not None
        scores = plan.scores.astype(np.float64, copy=True)
        search_folded = plan.folded if plan.search == plan.question else fold(plan.search or "")
        boosts = self.rules.topic_boosts(search_folded)
        if plan.also:
            boosts += self.rules.topic_boosts(fold(plan.also))
        why_rule: dict[int, list[str]] = {}
        for boost in boosts:
            mask = np.zeros(len(scores), dtype=bool)
            for target in boost.targets:
                mask |= self._targets[target]
            scores[mask] += boost.boost
            if boost.boost > 0:
                for position in np.flatnonzero(mask):
                    why_rule.setdefault(int(position), []).append(boost.name)

        order = np.argsort(-scores, kind="stable")
        th = self.rules.thresholds
        top_score = float(scores[order[0]])
        out_of_scope = self.rules.out_of_scope(plan.folded)

        def match(position: int) -> Match:
            item = self._items[position]
            why = []
            if plan.intent_rule:
                why.append(f"rule: {plan.intent_rule}")
            why += [f"rule: {name}" for name in why_rule.get(position, [])]
            terms = self.index.matched_terms(plan.query, position)
            if terms:
                why.append("terms: " + ", ".join(terms))
            if not terms and not why_rule.get(position):
                why.append("similar wording")
            return Match(
                item.id,
                item.title,
                item.quote,
                item.source,
                float(min(scores[position], 1.0)),
                tuple(why),
            )

        reason = None
        if out_of_scope:
            reason = f"out-of-scope:{out_of_scope}"
        elif not _enough_known(plan.query, th.min_known_terms):
            reason = "unknown-terms"
        elif top_score < th.answer:
            reason = "low-score"

        searched = plan.search or plan.question
        if reason is not None:
            # Suggestions only when the question shares words with the guidance: a question
            # about the weather gets no "did you mean", only a pointer to the topics.
            floor = th.answer * 0.6
            suggestions = (
                tuple(match(int(p)) for p in order[:SUGGESTIONS] if scores[p] >= floor)
                if plan.query.known_terms
                else ()
            )
            return Result(
                question=plan.question,
                intent=plan.intent,
                answered=False,
                matches=(),
                suggestions=suggestions,
                guidance_version=self.version,
                context=plan.context,
                followup=plan.followup,
                searched=searched,
                reason=reason,
            )

        matches = tuple(match(int(p)) for p in order[:TOP_K])
        margin = top_score - float(scores[order[1]]) if len(order) > 1 else 1.0
        ambiguous = margin < th.ambiguous_margin
        if top_score >= th.answer + 0.15 and not ambiguous:
            confidence = "high"
        elif top_score >= th.answer + 0.05:
            confidence = "medium"
        else:
            confidence = "low"
        return Result(
            question=plan.question,
            intent=plan.intent,
            answered=True,
            matches=matches,
            guidance_version=self.version,
            ambiguous=ambiguous,
            context=plan.context,
            followup=plan.followup,
            searched=searched,
            confidence=confidence,
        )


def _enough_known(query: Query, minimum: int) -> bool:
    """Does the question share enough words with the guidance to be about it?

    A single stray word ("umbrella", "interest") is not enough; a terse query all of whose
    words the guidance knows ("3i", "diaspora") is.
    """
    known = len(query.known_terms)
    return known >= minimum or (known > 0 and known == len(query.content_terms))


@dataclass
class _Plan:
    """A question on its way through :meth:`Engine.ask_many`."""

    question: str
    folded: str
    context: Context
    intent: Intent = "answer"
    intent_rule: str | None = None
    search: str | None = None
    also: str | None = None
    followup: str | None = None
    fixed: Result | None = None
    query: Query | None = None
    scores: np.ndarray | None = None
