"""Assessment points (考点): questions name the points of content/standards/ they test; the check reports
unknown points, points no question tests and questions of a mapped theme that name none."""

import json
import shutil

import pytest

from drill.content.rules.check import check_paths
from tests.content.conftest import TAXONOMY_PATH

STANDARDS = """\
theme: data-application
points:
  - id: da-b1-01
    audience: bank
    level: junior
    kind: knowledge
    title: 存款日均余额的口径
  - id: da-b2-01
    audience: bank
    level: 中级
    kind: 能力点
    title: 读懂贷款五级分类迁徙表
"""

PACK = """\
---
id: bank-data
title: 银行数据题
theme: data-application
audience: bank
level: junior
---

## bd-001
类型: 判断 | 分值: 1 | 考点: {points}

日均余额按统计期内每日余额之和除以天数计算。

答案: 对

解析: 日均余额是每日余额的平均，不是期末余额；期末冲高的存款抬不高日均。

## bd-002
类型: 判断 | 分值: 1

期末余额高，日均余额一定高。

答案: 错

解析: 期末冲量只抬高期末余额；日均看整个统计期，两者可以相差很大。
"""


@pytest.fixture
def library(tmp_path):
    """write the taxonomy, a standards file and a bank pack into a content folder; returns a checker."""
    shutil.copy(TAXONOMY_PATH, tmp_path / "taxonomy.yaml")

    def write(points="da-b1-01", standards=STANDARDS):
        (tmp_path / "standards").mkdir(exist_ok=True)
        (tmp_path / "standards" / "data-application.yaml").write_text(standards, encoding="utf-8")
        (tmp_path / "quizzes").mkdir(exist_ok=True)
        (tmp_path / "quizzes" / "bank-data.md").write_text(PACK.format(points=points), encoding="utf-8")
        return tmp_path

    return write


def messages(problems):
    return [(p.file.rsplit("/", 1)[-1], p.line, p.message) for p in problems]


def test_a_question_naming_an_unknown_point_is_an_error_at_its_line(library):
    report = check_paths([library(points="da-b1-01, da-x9-99")])
    assert (
        "bank-data.md",
        9,
        "question `bd-001`: unknown assessment point `da-x9-99` (content/standards/)",
    ) in (messages(report.errors))


def test_points_without_questions_and_questions_without_points_are_warned_and_strict_refuses(library):
    root = library()
    report = check_paths([root])
    assert report.ok
    warned = messages(report.warnings)
    assert ("data-application.yaml", 8, "assessment point `da-b2-01` has no question") in warned
    assert any(f == "bank-data.md" and "`bd-002`: names no assessment point" in m for f, _, m in warned)
    assert not check_paths([root], strict=True).ok


def test_a_point_with_an_unknown_audience_is_reported_with_its_line(library):
    report = check_paths(
        [
            library(
                standards=STANDARDS.replace(
                    "audience: bank\n    level: 中级", "audience: 农信\n    level: 中级"
                )
            )
        ]
    )
    assert any(
        f == "data-application.yaml" and line == 8 and "`农信`" in m for f, line, m in messages(report.errors)
    )


def test_the_json_report_counts_questions_by_theme_and_audience_and_lists_uncovered_points(library, runner):
    root = library(points="da-b1-01、da-b2-01")
    result = runner.invoke(args=["check", str(root), "--format", "json"])
    coverage = json.loads(result.output)["coverage"]
    assert coverage["bank_only"] == 2 and coverage["tobacco_only"] == 0
    assert coverage["by_theme"] == {"data-application": {"bank": 2}}
    assert coverage["mapped_items"] == 1 and coverage["points"] == 2 and coverage["uncovered_points"] == []


def test_checking_one_pack_reports_only_unknown_points_not_the_rest_of_the_library(library):
    root = library(points="da-x9-99")
    report = check_paths([root / "quizzes" / "bank-data.md"])
    assert [m for _f, _l, m in messages(report.errors)] == [
        "question `bd-001`: unknown assessment point `da-x9-99` (content/standards/)"
    ]
    assert report.warnings == []  # no "point without a question", no "question without a point"
