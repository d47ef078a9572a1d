"""Problems found in content, each with its file, its line and a message saying what to write instead.

A checker never stops at the first problem: every parser takes a `Problems` collector, adds to it and
goes on with whatever it could make of the input.

A problem's message is a `Message` (an `N_`-marked template and its parameters), so the editor and
`drill check` show it in the reader's language (`problem.text()`); `problem.message` and `str(problem)`
are the English original, which tests and logs match.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from drill.messages import N_, Message

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, eq=False)
class Problem:
    file: str
    line: int  # 1-based; 0 when the problem is about a folder or a whole set of files
    what: Message  # what is wrong and what to write instead; `message` is its English text
    severity: str = ERROR

    @property
    def message(self) -> str:
        """The message in English, as written."""
        return str(self.what)

    def _key(self) -> tuple:
        return (self.file, self.line, self.message, self.severity)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def as_dict(self) -> dict:
        """For `--format json`: the English message, and its template and parameters to translate it."""
        return {"file": self.file, "line": self.line, "message": self.message, **plain(self.what)}

    def text(self) -> str:
        """As `__str__` prints it, in the current locale (Flask-Babel)."""
        return self._line(self.what.text(), Message(N_("warning")).text())

    def __str__(self) -> str:
        return self._line(self.message, "warning")

    def _line(self, message: str, warning: str) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        prefix = f"{warning}: " if self.severity == WARNING else ""
        return f"{where}: {prefix}{message}"


def plain(message: Message) -> dict:
    """`{"template": ..., "params": {...}}` with JSON values; a nested message is such a dict too."""
    params = {}
    for name, value in message.params.items():
        if isinstance(value, Message):
            params[name] = plain(value)
        elif value is None or isinstance(value, bool | int | float | str):
            params[name] = value
        else:
            params[name] = str(value)
    return {"template": message.template, "params": params}


def unreadable(exc: Exception) -> Message:
    """What a checker reports instead of crashing on a file it cannot read."""
    return Message(
        N_("drill could not read this file (%(error)s: %(detail)s); please report it"),
        error=type(exc).__name__,
        detail=str(exc),
    )


@dataclass
class Problems:
    """The problems of one file. Lines are clamped into the file, so a report never points outside it."""

    file: str
    line_count: int = 0
    items: list[Problem] = field(default_factory=list)

    def error(self, line: int, message: Message) -> None:
        self.items.append(Problem(self.file, self._clamp(line), message, ERROR))

    def warning(self, line: int, message: Message) -> None:
        self.items.append(Problem(self.file, self._clamp(line), message, WARNING))

    def _clamp(self, line: int) -> int:
        if self.line_count <= 0:
            return max(line, 0)
        return min(max(line, 1), self.line_count)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == ERROR]

    @property
    def has_errors(self) -> bool:
        return any(p.severity == ERROR for p in self.items)


def did_you_mean(word: str, candidates: list[str] | tuple[str, ...] | set[str] | dict) -> Message | str:
    """' Did you mean `x`?' for the closest candidate, or '' when nothing is close; a message holding
    it takes it as a parameter (`unknown key `%(key)s`.%(hint)s`).

    Ties go to the candidate sharing the longest beginning: for two-character Chinese keys one wrong
    character leaves several candidates equally close (`分直` → `分值`, not `计分`).
    """
    wanted = str(word).casefold()
    best, best_score = None, 0.5
    for candidate in sorted(candidates):
        prefix = next(
            (i for i, (a, b) in enumerate(zip(wanted, candidate.casefold(), strict=False)) if a != b),
            min(len(wanted), len(candidate)),
        )
        score = difflib.SequenceMatcher(None, wanted, candidate.casefold()).ratio() + 0.01 * prefix
        if score >= best_score and (best is None or score > best_score):
            best, best_score = candidate, score
    return Message(N_(" Did you mean `%(word)s`?"), word=best) if best else ""
