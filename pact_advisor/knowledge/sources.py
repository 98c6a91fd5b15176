"""Source documents: the texts the guidance quotes, kept beside it in ``guidance/sources/``.

Each document is a pair of files: ``<id>.txt``, the text as published, and ``<id>.yaml``, its
metadata (id, title, and publisher, date and URL where the document gives them). A document
is cut into passages, its sentences and bullet points, which is what a quote is checked
against and what coverage counts. Headings (a short line of their own, with no closing
punctuation) are not passages: they name a section, they give no guidance.

Quotes match "verbatim apart from whitespace and typographic quotes": runs of whitespace
count as one space and curly quotes as straight ones, nothing else is forgiven.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from pact_advisor.knowledge.errors import Problem
from pact_advisor.knowledge.problems import plain_subject, pydantic_problems
from pact_advisor.knowledge.yaml_lines import YamlProblem, read_yaml

SOURCES_DIR = "sources"

_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]

_TYPOGRAPHIC = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"'})
_SPACE = re.compile(r"\s+")
#: A sentence ends at . ! or ? (a closing quote or bracket may follow) before a capital.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(]?[A-Z])")
_BULLET = re.compile(r"^\s*[•\-*▪◦]\s+")


def normalise(text: str) -> str:
    """``text`` as quotes are compared: curly quotes straight, whitespace runs one space."""
    return _SPACE.sub(" ", text.translate(_TYPOGRAPHIC)).strip()


class SourceInfo(BaseModel):
    """The shape of ``guidance/sources/<id>.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: _Slug
    title: _Text
    publisher: _Text | None = None
    date: dt.date | None = None
    url: _Text | None = None


@dataclass(frozen=True)
class Passage:
    """One sentence or bullet point of a document, where it sits in the normalised text."""

    text: str
    kind: Literal["sentence", "bullet"]
    line: int
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """A source document: its metadata, its normalised text and its passages."""

    info: SourceInfo
    file: str
    text: str
    passages: tuple[Passage, ...]
    headings: tuple[str, ...] = field(default=())

    @property
    def id(self) -> str:
        return self.info.id

    def find(self, quoted: str) -> int:
        """Where the normalised ``quoted`` starts in the document (``-1``: not in it)."""
        wanted = normalise(quoted)
        return self.text.find(wanted) if wanted else -1

    def closest(self, quoted: str) -> Passage | None:
        """The passage most like ``quoted``: what a curator compares a drifted quote with."""
        wanted = normalise(quoted).lower()
        best, best_score = None, -1.0
        for passage in self.passages:
            matcher = difflib.SequenceMatcher(None, wanted, passage.text.lower(), autojunk=False)
            score = matcher.ratio()
            if len(wanted) < len(passage.text):  # a fragment: how well its best window fits
                blocks = sum(b.size for b in matcher.get_matching_blocks())
                score = max(score, blocks / max(len(wanted), 1))
            if score > best_score:
                best, best_score = passage, score
        return best


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    return len(stripped.split()) <= 20 and not re.search(r"[.:;!?,]$", stripped)


def segment(text: str) -> tuple[str, tuple[Passage, ...], tuple[str, ...]]:
    """The normalised text of a document, its passages and its headings.

    Every line of the document is a paragraph, a bullet point or a heading; paragraphs are
    cut into sentences.
    """
    parts: list[str] = []
    passages: list[Passage] = []
    headings: list[str] = []
    offset = 0

    def add(piece: str, kind: Literal["sentence", "bullet"], line: int) -> None:
        nonlocal offset
        start = offset
        parts.append(piece)
        offset += len(piece) + 1
        passages.append(Passage(piece, kind, line, start, start + len(piece)))

    for number, raw in enumerate(text.splitlines(), start=1):
        line = normalise(raw)
        if not line:
            continue
        if _BULLET.match(raw):
            add(normalise(_BULLET.sub("", raw)), "bullet", number)
        elif _is_heading(line):
            headings.append(" ".join(raw.split()))
            parts.append(line)
            offset += len(line) + 1
        else:
            for sentence in _SENTENCE_END.split(line):
                if sentence.strip():
                    add(sentence.strip(), "sentence", number)
    return " ".join(parts), tuple(passages), tuple(headings)


Reader = Callable[[Path, list[Problem]], "str | None"]


def load_sources(
    root: Path, read: Reader, problems: list[Problem], display: Callable[[Path], str]
) -> dict[str, Document | None]:
    """Every document in ``root/sources`` (none if there is no such folder), each problem
    noted with its file and line. A document that cannot be loaded is kept as ``None``
    under its file name, so that items citing it
    are not reported a second time."""
    folder = root / SOURCES_DIR
    if not folder.is_dir():
        return {}
    documents: dict[str, Document | None] = {}
    for meta_path in sorted(folder.glob("*.yaml")):
        document = _load_document(meta_path, read, problems, display)
        if document is None:
            documents.setdefault(meta_path.stem, None)
            continue
        if document.id in documents:
            problems.append(Problem(display(meta_path), 1, document.id, "id: duplicate source id"))
            continue
        documents[document.id] = document
    for text_path in sorted(folder.glob("*.txt")):
        if not text_path.with_suffix(".yaml").exists():
            problems.append(
                Problem(display(text_path), None, "", f"no metadata file {text_path.stem}.yaml")
            )
    return documents


def _load_document(
    meta_path: Path, read: Reader, problems: list[Problem], display: Callable[[Path], str]
) -> Document | None:
    file = display(meta_path)
    text = read(meta_path, problems)
    if text is None:
        return None
    try:
        data, lines = read_yaml(text)
    except YamlProblem as exc:
        problems.append(Problem(file, exc.line, "", str(exc)))
        return None
    try:
        info = SourceInfo.model_validate(data)
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, data, lines, file, plain_subject(meta_path.stem)))
        return None
    if info.id != meta_path.stem:
        problems.append(
            Problem(file, 1, info.id, f"id: must match the file name {meta_path.stem!r}")
        )
    text_path = meta_path.with_suffix(".txt")
    if not text_path.exists():
        problems.append(
            Problem(file, 1, info.id, f"the document's text {text_path.name} is missing")
        )
        return None
    body = read(text_path, problems)
    if body is None:
        return None
    normalised, passages, headings = segment(body)
    if not passages:
        problems.append(Problem(display(text_path), None, info.id, "the document has no text"))
        return None
    return Document(info, display(text_path), normalised, passages, headings)


def source_files(root: Path) -> list[Path]:
    """The files of ``root/sources``, for the guidance version."""
    folder = root / SOURCES_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".yaml") and p.is_file())
