"""Item analysis for trainers: the response matrix of an exam (or of a pack over time) and its exports."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select

from drill.attempts.models import Attempt, AttemptItem
from drill.attempts.rules import states
from drill.content.models import Pack, Question, QuestionVersion
from drill.exams.rules.stats import CandidateRow, ItemResult, ItemStats, TestStats, item_report, test_report
from drill.extensions import db
from drill.spreadsheets import safe_row


@dataclass
class QuestionInfo:
    key: str
    type: str
    stem_html: str
    options: dict[str, str]  # option id → its text, for distractor counts


@dataclass
class Analysis:
    items: list[tuple[ItemStats, QuestionInfo]]
    test: TestStats


def _choice(type_: str, response: object) -> str | list[str] | None:
    if type_ == "single" and isinstance(response, str):
        return response
    if type_ == "multiple" and isinstance(response, list):
        return [r for r in response if isinstance(r, str)]
    if type_ == "truefalse" and isinstance(response, bool):
        return "√" if response else "×"
    return None


def _seconds(items: list, started) -> dict[int, float]:
    """Time spent on each question: from the previous first answer (or the start) to this one's first."""
    answered = sorted((i for i in items if i.first_saved_at), key=lambda i: i.first_saved_at)
    seconds, previous = {}, started
    for item in answered:
        seconds[item.id] = max(0.0, (item.first_saved_at - previous).total_seconds())
        previous = item.first_saved_at
    return seconds


def matrix(
    attempts: list[Paper], pack_id: int | None = None
) -> tuple[list[CandidateRow], dict[int, QuestionInfo]]:
    """One row per attempt; items keyed by question (not version), so random papers line up."""
    rows, info = [], {}
    version_ids = {i.question_version_id for a in attempts for i in a.items}
    versions = {
        v.id: (v, q)
        for v, q in db.session.execute(
            select(QuestionVersion, Question)
            .join(Question, Question.id == QuestionVersion.question_id)
            .where(QuestionVersion.id.in_(version_ids))
        )
    }
    for attempt in attempts:
        seconds = _seconds(attempt.items, attempt.started_at)
        results = {}
        for item in attempt.items:
            version, question = versions[item.question_version_id]
            if item.earned is None or (pack_id is not None and question.pack_id != pack_id):
                continue
            points = float(item.points) if item.points is not None else float(version.points)
            results[question.id] = ItemResult(
                item.earned, points, _choice(version.type, item.response), seconds.get(item.id)
            )
            if question.id not in info:
                options = {o["id"]: o.get("text", "") for o in version.spec.get("options", [])}
                info[question.id] = QuestionInfo(question.key, version.type, version.stem_html, options)
        if results:
            rows.append(CandidateRow(attempt.id, results))
    return rows, info


def analyse(attempts: list[Paper], pack_id: int | None = None) -> Analysis:
    rows, info = matrix(attempts, pack_id)
    report = sorted(item_report(rows), key=lambda s: info[s.item].key)
    return Analysis([(s, info[s.item]) for s in report], test_report(rows))


@dataclass
class Paper:
    """A closed attempt as the analysis reads it: its id, start and items (rows, in paper order)."""

    id: int
    started_at: object
    items: list


def _papers(*where) -> list[Paper]:
    """The closed attempts matching `where`, and their items as plain rows: two statements whatever the
    count (thousands of whole Attempt and AttemptItem objects took seconds to build)."""
    where = (*where, Attempt.state != states.OPEN)
    papers = {
        row.id: Paper(row.id, row.started_at, [])
        for row in db.session.execute(
            select(Attempt.id, Attempt.started_at).where(*where).order_by(Attempt.id)
        )
    }
    items = (
        select(
            AttemptItem.attempt_id,
            AttemptItem.id,
            AttemptItem.question_version_id,
            AttemptItem.earned,
            AttemptItem.points,
            AttemptItem.response,
            AttemptItem.first_saved_at,
        )
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(*where)
        .order_by(AttemptItem.attempt_id, AttemptItem.position)
    )
    for row in db.session.execute(items):
        papers[row.attempt_id].items.append(row)
    return list(papers.values())


def exam_attempts(exam_id: int) -> list[Paper]:
    return _papers(Attempt.exam_id == exam_id)


def pack_attempts(pack: Pack) -> list[Paper]:
    """Every closed attempt (drills and exams) that asked a question of this pack."""
    asked = (
        select(AttemptItem.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(Question.pack_id == pack.id)
    )
    return _papers(Attempt.id.in_(asked))


HEADER = [
    "题号 question",
    "题型 type",
    "作答人数 candidates",
    "难度系数 facility",
    "点二列相关 point-biserial",
    "区分度D upper-lower",
    "平均用时(秒) mean seconds",
    "选项分布 distractors",
    "提示 flags",
]


def _row(stats: ItemStats, question: QuestionInfo) -> list:
    spread = "; ".join(f"{question.options.get(k, k)[:20]}: {n}" for k, n in stats.distractors.items())
    return [
        question.key,
        question.type,
        stats.candidates,
        round(stats.facility, 3),
        None if stats.point_biserial is None else round(stats.point_biserial, 3),
        None if stats.upper_lower is None else round(stats.upper_lower, 3),
        None if stats.mean_seconds is None else round(stats.mean_seconds, 1),
        spread,
        ", ".join(stats.flags),
    ]


def as_csv(analysis: Analysis) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for stats, question in analysis.items:
        writer.writerow(safe_row(_row(stats, question)))
    return "\ufeff" + buffer.getvalue()  # a BOM so that Excel opens the Chinese header correctly


def as_xlsx(analysis: Analysis, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "items"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for stats, question in analysis.items:
        sheet.append(safe_row(_row(stats, question)))
    for column, width in zip("ABCDEFGHI", (22, 10, 10, 10, 12, 12, 12, 50, 30), strict=True):
        sheet.column_dimensions[column].width = width
    summary = book.create_sheet("test")
    t = analysis.test
    for label, value in [
        ("标题 title", title),
        ("考生 candidates", t.candidates),
        ("题目 items", t.items),
        ("平均分 mean", t.mean),
        ("标准差 SD", t.sd),
        ("Cronbach α", t.alpha),
        ("测量标准误 SEM", t.sem),
    ]:
        summary.append(safe_row([label, value]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
