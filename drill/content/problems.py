"""Problems found in content, each with its file, its line and a message saying what to write instead.

A checker never stops at the first problem: every parser takes a `Problems` collector, adds to it and
goes on with whatever it could make of the input.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int  # 1-based; 0 when the problem is about a folder or a whole set of files
    message: str
    severity: str = ERROR

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "message": self.message}

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        prefix = "warning: " if self.severity == WARNING else ""
        return f"{where}: {prefix}{self.message}"


@dataclass
class Problems:
    """The problems of one file. Lines are clamped into the file, so a report never points outside it."""

    file: str
    line_count: int = 0
    items: list[Problem] = field(default_factory=list)

    def error(self, line: int, message: str) -> None:
        self.items.append(Problem(self.file, self._clamp(line), message, ERROR))

    def warning(self, line: int, message: str) -> None:
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


def did_you_mean(word: str, candidates: list[str] | tuple[str, ...] | set[str] | dict) -> str:
    """' Did you mean `x`?' for the closest candidate, or '' when nothing is close.

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
    return f" Did you mean `{best}`?" if best else ""
