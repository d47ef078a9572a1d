"""What every question type shares: the parse context, the parsed question, the score and the base class.

A question type turns the Markdown of one question into a *spec*: a plain JSON-able dict holding the
stem, the explanation, the points and the type's own fields (options, answers...). The spec is what the
database keeps per question version, so scoring an old attempt needs nothing but its spec.
"""

from __future__ import annotations

import hashlib
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple

from drill.content.rules.problems import Problems
from drill.content.rules.reader import Line
from drill.messages import N_, Message

Markdown = Callable[[str], str]  # Markdown source → safe HTML


class Score(NamedTuple):
    """Points earned (None when a person must grade it) and what the manager is shown afterwards."""

    earned: float | None
    detail: dict


@dataclass
class Entry:
    value: str
    line: int


@dataclass
class Context:
    """What a type's `parse` needs besides the lines: the question's meta entries and where to report."""

    problems: Problems
    qid: str
    line: int
    meta: dict[str, Entry] = field(default_factory=dict)
    pack_multiple_scoring: str = "partial"

    def error(self, line: int | None, message: Message) -> None:
        self.problems.error(line or self.line, self._about(message))

    def warning(self, line: int | None, message: Message) -> None:
        self.problems.warning(line or self.line, self._about(message))

    def _about(self, message: Message) -> Message:
        return Message(N_("question `%(qid)s`: %(message)s"), qid=self.qid, message=message)


@dataclass
class ParsedQuestion:
    id: str
    line: int
    type: str
    points: float
    difficulty: int
    level: str | None
    competencies: list[str]
    tags: list[str]
    spec: dict
    fragments: list[tuple[int, str]] = field(default_factory=list)  # (line, Markdown) for link checks
    rubric_ref: Entry | None = None
    meta: dict[str, str] = field(default_factory=dict)  # the meta line as written, by key (converters)


def fold_answer(text: object) -> str:
    """How typed answers are compared: NFKC (full-width → half-width), case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", str(text)).casefold().split())


def short_id(text: str) -> str:
    """A stable id for an option or item, derived from its text so it reveals nothing about its place."""
    return hashlib.sha256(fold_answer(text).encode()).hexdigest()[:8]


def share(points: float, right: int, total: int) -> float:
    return round(points * right / total, 2) if total else 0.0


class QuestionType:
    """Base of every question type. Subclasses set `name` and `names` and implement the four methods."""

    name: ClassVar[str]
    rank: ClassVar[int] = 99  # place in listings and documentation
    names: ClassVar[tuple[str, ...]]  # what a trainer may write after `类型:` (zh and en)
    scorings: ClassVar[dict[str, tuple[str, ...]]] = {}  # allowed `计分:` rules; the first is the default
    options: ClassVar[frozenset[str]] = frozenset()  # type-specific meta keys: scoring, shuffle, unit...

    def parse(self, content: list[Line], ctx: Context) -> tuple[list[Line], dict]:
        """Split the lines between the meta line and `解析:` into (stem lines, the type's spec fields)."""
        raise NotImplementedError

    def display_stem(self, spec: dict) -> str:
        """The stem's Markdown as shown to a manager (blanks replace it with numbered gaps)."""
        return spec["stem"]

    def render(self, spec: dict, md: Markdown) -> dict:
        """Add the HTML of the type's own Markdown fields (options, items...) to a copy of the spec."""
        return dict(spec)

    def public(self, spec: dict, rng: random.Random) -> dict:
        """The type's fields a manager may see before submitting: never an answer."""
        return {}

    def score(self, spec: dict, response: object) -> Score:
        raise NotImplementedError

    def scoring(self, ctx: Context, default: str | None = None) -> str:
        entry = ctx.meta.get("scoring")
        fallback = default or next(iter(self.scorings))
        if entry is None:
            return fallback
        wanted = fold_answer(entry.value)
        for rule, spellings in self.scorings.items():
            if wanted in {fold_answer(s) for s in spellings}:
                return rule
        allowed = " | ".join(f"{rule} ({spellings[1]})" for rule, spellings in self.scorings.items())
        ctx.error(
            entry.line,
            Message(
                N_("unknown scoring rule `%(value)s` for %(type)s; write `计分:` %(allowed)s"),
                value=entry.value,
                type=self.name,
                allowed=allowed,
            ),
        )
        return fallback
