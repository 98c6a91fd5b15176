"""Measure the engine on an eval set: accuracy, recall, MRR and abstention, by slice.

An eval file is a YAML list of ``{q, expect, lang, style}``; ``expect`` is the best item id,
or null for a question the guidance does not cover.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from pact_advisor.engine import Engine, Result
from pact_advisor.knowledge import Guidance
from pact_advisor.knowledge.yaml_lines import YamlProblem, line_for, read_yaml


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    q: str
    expect: str | None
    lang: str = "en"
    style: str = "direct"


_QUESTIONS = TypeAdapter(list[Question])

#: The bars CI enforces on the test splits. A bar whose slice a split lacks is skipped.
BARS: dict[str, float] = {
    "top1": 0.90,
    "recall@3": 0.97,
    "false_abstention": 0.05,
    "off_topic_abstention": 0.97,
    "near_domain_abstention": 0.95,
    "fr_es_top1": 0.90,
}
#: Bars on the messages people write in a shared channel, by style.
STYLE_BARS: dict[str, float] = {"long": 0.80, "scenario": 0.80, "paraphrase": 0.80}
#: Abstain-expected questions of this style are near-domain; all others are off-topic.
NEAR_DOMAIN = "near-domain"


class EvalFileError(ValueError):
    """An eval file that cannot be used; ``problems`` are ``file:line: what`` lines."""

    def __init__(self, problems: Sequence[str]):
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


def load_questions(path: str | Path) -> list[Question]:
    """The questions of an eval file; :class:`EvalFileError` names the file and line of
    every problem (``OSError`` when it cannot be read)."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        data, lines = read_yaml(text)
    except YamlProblem as exc:
        where = f"{path}:{exc.line}" if exc.line else str(path)
        raise EvalFileError([f"{where}: {exc}"]) from None
    if data is not None and not isinstance(data, list):
        raise EvalFileError([f"{path}:1: expected a list of questions"])
    try:
        return _QUESTIONS.validate_python(data or [])
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)
            message = "required field is missing" if error["type"] == "missing" else error["msg"]
            problems.append(f"{path}:{line_for(lines, loc) or 1}: {field.lstrip('.')}: {message}")
        raise EvalFileError(problems) from None


@dataclass(frozen=True)
class Scores:
    """Figures for one slice of an eval set; ``None`` where the slice has no such question."""

    in_scope: int
    out_of_scope: int
    top1: float | None
    recall3: float | None
    mrr: float | None
    false_abstention: float | None
    oos_abstention: float | None


@dataclass(frozen=True)
class Miss:
    question: Question
    got: tuple[str, ...]
    answered: bool


@dataclass(frozen=True)
class Report:
    overall: Scores
    by_lang: dict[str, Scores]
    by_style: dict[str, Scores]
    fr_es: Scores
    #: Abstain-expected questions, split: off-topic (anything else) and near-domain.
    off_topic: Scores
    near_domain: Scores
    misses: tuple[Miss, ...]

    def failed_bars(self) -> list[str]:
        """Each bar this report falls short of, as a sentence."""
        o = self.overall
        got = {
            "top1": o.top1,
            "recall@3": o.recall3,
            "false_abstention": o.false_abstention,
            "off_topic_abstention": self.off_topic.oos_abstention,
            "near_domain_abstention": self.near_domain.oos_abstention,
            "fr_es_top1": self.fr_es.top1,
        }
        for style in STYLE_BARS:
            scores = self.by_style.get(style)
            got[f"{style}_top1"] = scores.top1 if scores else None
        bars = {**BARS, **{f"{style}_top1": bar for style, bar in STYLE_BARS.items()}}
        failed = []
        for name, bar in bars.items():
            value = got[name]
            if value is None:
                continue
            worse = value > bar if name == "false_abstention" else value < bar
            if worse:
                op = "<=" if name == "false_abstention" else ">="
                failed.append(f"{name} {value:.3f} (bar {op} {bar:.2f})")
        return failed


def _scores(pairs: Sequence[tuple[Question, Result]]) -> Scores:
    inside = [(q, r) for q, r in pairs if q.expect]
    outside = [(q, r) for q, r in pairs if not q.expect]

    def ranks(r: Result, expect: str) -> int | None:
        ids = [m.id for m in r.matches] if r.answered else []
        return ids.index(expect) + 1 if expect in ids else None

    top1 = recall3 = mrr = false_abst = oos = None
    if inside:
        rk = [ranks(r, q.expect) for q, r in inside]
        n = len(inside)
        top1 = sum(1 for x in rk if x == 1) / n
        recall3 = sum(1 for x in rk if x is not None and x <= 3) / n
        mrr = sum(1 / x for x in rk if x) / n
        false_abst = sum(1 for _, r in inside if not r.answered) / n
    if outside:
        oos = sum(1 for _, r in outside if not r.answered) / len(outside)
    return Scores(len(inside), len(outside), top1, recall3, mrr, false_abst, oos)


#: ``evaluate`` asks the engine this many questions at a time when it reports progress.
BATCH = 256


def evaluate(
    engine: Engine,
    questions: Sequence[Question],
    *,
    done: Callable[[int], None] | None = None,
) -> Report:
    """Figures for ``questions``; ``done`` is told how many more were answered, batch by batch."""
    if done is None:
        results = engine.ask_many([q.q for q in questions])
    else:
        results = []
        for start in range(0, len(questions), BATCH):
            batch = [q.q for q in questions[start : start + BATCH]]
            results += engine.ask_many(batch)
            done(len(batch))
    pairs = list(zip(questions, results, strict=True))
    by_lang: dict[str, list] = defaultdict(list)
    by_style: dict[str, list] = defaultdict(list)
    for q, r in pairs:
        by_lang[q.lang].append((q, r))
        by_style[q.style].append((q, r))
    misses = tuple(
        Miss(q, tuple(m.id for m in (r.matches or r.suggestions)[:3]), r.answered)
        for q, r in pairs
        if (q.expect and not (r.answered and r.matches[0].id == q.expect))
        or (not q.expect and r.answered)
    )
    return Report(
        overall=_scores(pairs),
        by_lang={k: _scores(v) for k, v in sorted(by_lang.items())},
        by_style={k: _scores(v) for k, v in sorted(by_style.items())},
        fr_es=_scores([(q, r) for q, r in pairs if q.lang in ("fr", "es")]),
        off_topic=_scores([(q, r) for q, r in pairs if not q.expect and q.style != NEAR_DOMAIN]),
        near_domain=_scores([(q, r) for q, r in pairs if not q.expect and q.style == NEAR_DOMAIN]),
        misses=misses,
    )


def _fmt(value: float | None) -> str:
    return "   -  " if value is None else f"{value:6.3f}"


def report_rows(report: Report) -> list[tuple[str, Scores]]:
    """Every slice of ``report`` with its figures, in the order reports show them."""
    return [
        ("all", report.overall),
        ("fr+es", report.fr_es),
        ("off-topic", report.off_topic),
        ("near-domain", report.near_domain),
        *((f"lang={k}", s) for k, s in report.by_lang.items()),
        *((f"style={k}", s) for k, s in report.by_style.items()),
    ]


def format_report(report: Report, *, show_misses: bool = False) -> str:
    header = f"{'slice':<18}{'in':>5}{'out':>5}  {'top1':>6}  {'rec@3':>6}  {'mrr':>6}  {'falseAb':>7}  {'oosAb':>6}"
    lines = [header, "-" * len(header)]

    def row(name: str, s: Scores) -> str:
        return (
            f"{name:<18}{s.in_scope:>5}{s.out_of_scope:>5}  {_fmt(s.top1)}  {_fmt(s.recall3)}  "
            f"{_fmt(s.mrr)}  {_fmt(s.false_abstention):>7}  {_fmt(s.oos_abstention)}"
        )

    lines += [row(name, scores) for name, scores in report_rows(report)]
    lines += ["", bars_line(report)]
    if show_misses and report.misses:
        lines += ["", *misses_lines(report)]
    return "\n".join(lines)


def bars_line(report: Report) -> str:
    """ "bars: all met", or the bars not met."""
    failed = report.failed_bars()
    return "bars: " + ("all met" if not failed else "NOT MET: " + "; ".join(failed))


def misses_lines(report: Report) -> list[str]:
    """Every question answered wrongly: what was expected, what came."""
    lines = ["misses (expected -> got, top 3):"]
    for miss in report.misses:
        got = ", ".join(miss.got) or "-"
        state = "answered" if miss.answered else "abstained"
        lines.append(f"  [{miss.question.lang}/{miss.question.style}] {miss.question.q!r}")
        lines.append(f"      expected {miss.question.expect or 'not covered'}; {state}: {got}")
    return lines


def sweep(engine: Engine, questions: Sequence[Question], thresholds: Iterable[float]) -> str:
    """Figures at each coverage threshold, for calibrating rules.yaml on the dev splits."""
    base = engine.rules.thresholds
    lines = [
        f"{'threshold':>9}  {'top1':>6}  {'rec@3':>6}  {'falseAb':>7}  {'offAb':>6}  {'nearAb':>6}"
    ]
    try:
        for value in thresholds:
            engine.rules.thresholds = base.model_copy(update={"answer": value})
            report = evaluate(engine, questions)
            s = report.overall
            lines.append(
                f"{value:9.3f}  {_fmt(s.top1)}  {_fmt(s.recall3)}  {_fmt(s.false_abstention):>7}  "
                f"{_fmt(report.off_topic.oos_abstention)}  {_fmt(report.near_domain.oos_abstention)}"
            )
    finally:
        engine.rules.thresholds = base
    return "\n".join(lines)


#: Each new part of the engine switched off on its own, for ``pact-advisor eval --ablation``.
ABLATIONS: dict[str, dict[str, bool]] = {
    "full engine": {},
    "no ranker (fused similarity)": {"use_ranker": False},
    "no item classifier": {"use_classifier": False},
    "no negative class (classifier)": {"use_negative_class": False},
    "no clause handling": {"use_clauses": False},
    "no coverage model (top score > 0)": {"use_coverage_model": False},
    "no stemming": {"use_stemming": False},
    "no speller": {"use_speller": False},
    "no glossary": {"use_glossary": False},
}


def ablation(guidance: Guidance, splits: Mapping[str, Sequence[Question]]) -> str:
    """Top-1 and abstention on each split with each part of the engine switched off."""
    from pact_advisor.engine.engine import Engine as _Engine
    from pact_advisor.engine.index import IndexConfig

    lines = []
    for label, switches in ABLATIONS.items():
        engine = _Engine(guidance, IndexConfig(**switches))
        for name, questions in splits.items():
            r = evaluate(engine, questions)
            lines.append(
                f"{label:<34}{Path(name).name:<18}{_fmt(r.overall.top1)}  "
                f"{_fmt(r.overall.false_abstention):>7}  {_fmt(r.off_topic.oos_abstention)}  "
                f"{_fmt(r.near_domain.oos_abstention)}"
            )
    header = f"{'variant':<34}{'split':<18}{'top1':>6}  {'falseAb':>7}  {'offAb':>6}  {'nearAb':>6}"
    return "\n".join([header, "-" * len(header), *lines])
