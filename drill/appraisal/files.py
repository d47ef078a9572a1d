"""Checking the files under `content/appraisal/` for `drill check`: each is a scheme (`kind:
appraisal-scheme`) or level rules (`kind: level-rules`). Reads files; never raises on any input."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from drill.appraisal.rules import levels, scheme
from drill.appraisal.yamldoc import load
from drill.content.rules.problems import Problem, Problems, unreadable
from drill.content.rules.reader import decode
from drill.messages import N_, Message

KINDS = (scheme.KIND, levels.KIND)


@dataclass
class CheckedAppraisal:
    file: str
    kind: str | None
    scheme: scheme.Scheme | None = None
    rules: levels.LevelRules | None = None


def check_file(path: Path, shown: str) -> tuple[CheckedAppraisal, list[Problem]]:
    problems = Problems(shown)
    checked = CheckedAppraisal(shown, None)
    try:
        text = decode(path.read_bytes(), problems)
        if text is not None:
            checked = parse_text(text, problems)
    except Exception as exc:  # a checker must report, never crash
        problems.error(1, unreadable(exc))
    return checked, problems.items


def parse_text(text: str, problems: Problems) -> CheckedAppraisal:
    """A scheme or level-rules file's text → the checked object (None inside when anything is wrong)."""
    checked = CheckedAppraisal(problems.file, None)
    fields = load(text, problems, what=Message(N_("appraisal file")))
    if fields is None:
        return checked
    kind = fields.choice(fields.data, (), "kind", KINDS)
    checked.kind = kind
    if kind == scheme.KIND:
        checked.scheme = scheme.parse_scheme(fields)
    elif kind == levels.KIND:
        checked.rules = levels.parse_level_rules(fields)
    return checked


def cross_check(files: list[CheckedAppraisal]) -> list[Problem]:
    """Across files: scheme ids are unique, and the level rules' grades are every scheme's band keys."""
    found: list[Problem] = []
    schemes = [f.scheme for f in files if f.scheme]
    seen: dict[str, str] = {}
    for item in schemes:
        if item.id in seen:
            message = Message(
                N_("scheme id `%(id)s` is also used by %(file)s; every scheme needs its own id"),
                id=item.id,
                file=seen[item.id],
            )
            found.append(Problem(item.file, 1, message))
        seen.setdefault(item.id, item.file)
    for rules in (f.rules for f in files if f.rules):
        for item in schemes:
            bands = [b.key for b in item.bands]
            if bands != list(rules.grades):
                message = Message(
                    N_(
                        "`grades: [%(grades)s]` must be the bands of %(file)s from the highest down: "
                        "[%(bands)s]"
                    ),
                    grades=", ".join(rules.grades),
                    file=item.file,
                    bands=", ".join(bands),
                )
                found.append(Problem(rules.file, rules.grades_line, message))
    return found


def read_scheme(text: str, file: str = "scheme.yaml") -> tuple[scheme.Scheme | None, list[Problem]]:
    """For services: a scheme from its stored text (a period keeps the text of the version it used)."""
    problems = Problems(file)
    checked = parse_text(text, problems)
    if checked.kind != scheme.KIND and not problems.items:
        problems.error(1, Message(N_("`kind: %(kind)s` is not an appraisal scheme"), kind=checked.kind))
    return checked.scheme, problems.items


def read_level_rules(
    text: str, file: str = "level-rules.yaml"
) -> tuple[levels.LevelRules | None, list[Problem]]:
    problems = Problems(file)
    checked = parse_text(text, problems)
    if checked.kind != levels.KIND and not problems.items:
        problems.error(1, Message(N_("`kind: %(kind)s` is not level rules"), kind=checked.kind))
    return checked.rules, problems.items
