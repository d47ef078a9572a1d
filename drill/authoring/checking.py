"""A draft's check report as the editor shows it — pure: `drill check`'s problems, placed at their lines.

The messages are `drill check`'s own, word for word, in the trainer's language (`text()`); only the
file is shown as the trainer knows it (`quizzes/credit.md` rather than a temporary folder). A problem in
the draft points at its line; one in another file (a shared rubric, the taxonomy) or about a whole folder
(line 0) is listed without a link.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field

from drill.content.rules.check import Report
from drill.content.rules.problems import WARNING, Problem
from drill.messages import Message


@dataclass(frozen=True)
class Shown:
    file: str
    line: int
    what: Message
    warning: bool
    here: bool  # in the draft's own Markdown, so the editor can jump to the line

    @property
    def message(self) -> str:
        """In English, as written."""
        return str(self.what)

    def text(self) -> str:
        """The message in the current locale, as the editor shows it."""
        return self.what.text()

    def __str__(self) -> str:
        """Exactly as `drill check --lang en` prints it."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {'warning: ' if self.warning else ''}{self.message}"


@dataclass
class DraftCheck:
    label: str
    errors: list[Shown] = field(default_factory=list)
    warnings: list[Shown] = field(default_factory=list)
    packs: int = 0
    questions: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def problems(self) -> list[Shown]:
        return [*self.errors, *self.warnings]

    def by_line(self) -> dict[int, list[Shown]]:
        """The draft's own problems by line, for the gutter and the annotated listing."""
        lines: dict[int, list[Shown]] = defaultdict(list)
        for problem in self.problems:
            if problem.here and problem.line:
                lines[problem.line].append(problem)
        return dict(lines)


def present(report: Report, label_of, draft_label: str, extra: list[Problem] = ()) -> DraftCheck:
    """`report` (and `extra` problems found beyond the files) shown for the draft labelled `draft_label`;
    `label_of` maps a problem's file to the label the trainer sees."""
    result = DraftCheck(draft_label, packs=len(report.packs))
    result.questions = sum(len(item.pack.questions) for item in report.packs)
    for problem in [*report.errors, *report.warnings, *extra]:
        file = label_of(problem.file)
        shown = Shown(file, problem.line, problem.what, problem.severity == WARNING, file == draft_label)
        (result.warnings if shown.warning else result.errors).append(shown)
    return result


def listing(text: str, check: DraftCheck | None) -> list[tuple[int, str, list[Shown]]]:
    """(line number, text, problems at that line) for every line, numbered as `drill check` counts."""
    at = check.by_line() if check else {}
    lines = text.splitlines() or [""]
    return [(no, line, at.get(no, [])) for no, line in enumerate(lines, start=1)]


def text_diff(old: str, new: str, old_label: str, new_label: str) -> list[tuple[str, str]]:
    """A unified diff as (kind, line) pairs, kind one of `add`, `del`, `hunk`, `same`; empty when equal."""
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), old_label, new_label, lineterm="", n=2)
    out = []
    for index, line in enumerate(lines):
        if index < 2:  # the `--- old` / `+++ new` header
            continue
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        out.append((kind, line))
    return out
