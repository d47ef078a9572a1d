"""Helpers for the appraisal tests: the shipped files, a small scheme to break, lines of a needle."""

from __future__ import annotations

from datetime import date

from drill.appraisal.files import CheckedAppraisal, parse_text
from drill.appraisal.rules.levels import LevelRules
from drill.appraisal.rules.records import Period
from drill.appraisal.rules.scheme import Scheme
from drill.content.rules.problems import Problems
from drill.paths import project_dir

APPRAISAL = project_dir("content") / "appraisal"

MINI = """\
kind: appraisal-scheme
id: mini
title: 小方案
audience: bank
version: 1
periods:
  monthly: {from: evidence}
  annual: {from: monthly}
indicators:
  - {key: sales, label: 销量, min: 0}
  - {key: sales_target, label: 销量目标, min: 0.01}
dimensions:
  - key: results
    label: 业绩
    weight: 70
    items:
      - {key: sales_ratio, label: 销量完成, source: indicator, convert: ratio,
         actual: sales, target: sales_target, cap: 1.2}
  - key: training
    label: 培训
    weight: 30
    items:
      - {key: drills, label: 练兵, weight: 50, source: platform, metric: drill_score, aggregate: mean}
      - {key: attitude, label: 态度, weight: 50, source: rating, scale: [1, 5]}
bonus:
  cap: 3
  items:
    - {key: praise, label: 表扬, points: 1, cap: 2}
deductions:
  cap: 5
  items:
    - {key: late, label: 迟报, points: 2, cap: 4}
vetoes:
  - {key: breach, label: 违规}
bands:
  - {key: excellent, label: 优秀, from: 90, to: 100}
  - {key: good, label: 良好, from: 75, to: 90}
  - {key: pass, label: 合格, from: 60, to: 75}
  - {key: fail, label: 不合格, from: 0, to: 60}
quota: {band: excellent, share: 0.2, at_least: 1}
"""


def parse(text: str, file: str = "scheme.yaml") -> tuple[CheckedAppraisal, list[tuple[int, str]]]:
    problems = Problems(file)
    checked = parse_text(text, problems)
    return checked, [(p.line, p.message) for p in problems.items]


def line_of(text: str, needle: str) -> int:
    """The line (1-based) of the only line of `text` holding `needle`."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


def shipped_scheme(name: str) -> Scheme:
    checked, problems = parse((APPRAISAL / name).read_text(encoding="utf-8"), name)
    assert not problems and checked.scheme is not None, problems
    return checked.scheme


def shipped_rules() -> LevelRules:
    checked, problems = parse(
        (APPRAISAL / "level-rules.yaml").read_text(encoding="utf-8"), "level-rules.yaml"
    )
    assert not problems and checked.rules is not None, problems
    return checked.rules


def month(year: int, number: int) -> Period:
    end = date(year + number // 12, number % 12 + 1, 1).toordinal() - 1
    return Period("monthly", date(year, number, 1), date.fromordinal(end), f"{year}-{number:02d}")


def quarter(year: int, number: int) -> Period:
    first, last = month(year, 3 * number - 2), month(year, 3 * number)
    return Period("quarterly", first.start, last.end, f"{year}-Q{number}")
