"""Exams: papers from the blueprint, starting within the window, and the results once released.

Grading lives in grading.py, release and certificates in release.py. Services flush; views commit.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, selectinload

from drill.accounts.models import Branch, User, UserRole
from drill.attempts.models import Attempt, AttemptItem
from drill.attempts.pages import IN_ORDER
from drill.attempts.rules import states
from drill.content.in_use import current_versions
from drill.content.models import Pack, Question, QuestionVersion
from drill.exams import coverage
from drill.exams.models import Exam, ExamAdjustment
from drill.exams.rules import eligibility
from drill.exams.rules.assembly import (
    BankItem,
    BlueprintShort,
    Cell,
    PaperItem,
    Shortfall,
    assemble,
    by_row,
    expand,
    repeated,
    shortfalls,
)
from drill.exams.rules.passing import PartScore, PassRule, Verdict, judge
from drill.extensions import db
from drill.messages import N_


class ExamRefused(Exception):
    """A candidate may not start: the message (an English msgid) says why."""


def bank() -> list[BankItem]:
    """Every drawable question: current versions of questions in use, in quiz packs in use.

    Only the columns a draw needs: every candidate's start reads the whole bank, and loading each version
    whole (its spec, stem and explanation) made a start cost more than the rest of an exam morning."""
    query = current_versions().with_only_columns(
        QuestionVersion.id,
        Question.key,
        QuestionVersion.type,
        Pack.theme,
        QuestionVersion.competencies,
        QuestionVersion.difficulty,
        QuestionVersion.level,
        Pack.audience,
        QuestionVersion.spec["standards"],
    )
    return [
        BankItem(
            version_id=version_id,
            key=key,
            type=kind,
            theme=theme,
            competencies=tuple(competencies or ()),
            difficulty=difficulty,
            level=level,
            audience=audience,
            standards=tuple(standards or ()),
        )
        for version_id, key, kind, theme, competencies, difficulty, level, audience, standards in (
            db.session.execute(query)
        )
    ]


def rows_of(blueprint: list[dict]) -> list[Cell]:
    """The stored blueprint's rows; a row with `"cover": "points"` asks for one question per point."""
    return [
        Cell(
            part=c["part"],
            count=int(c["count"]),
            points=float(c["points"]),
            theme=c.get("theme") or None,
            competency=c.get("competency") or None,
            type=c.get("type") or None,
            difficulty=tuple(c["difficulty"]) if c.get("difficulty") else None,
            level=c.get("level") or None,
            audience=c.get("audience") or None,
            per_point=c.get("cover") == "points",
        )
        for c in blueprint or []
    ]


def _expanded(rows: list[Cell], items: list[BankItem] | None = None) -> list[Cell]:
    """The rows' cells, per-point rows expanded; `items`, the bank when the caller has it, saves a query."""
    if not any(r.per_point for r in rows):
        return expand(rows, ())
    named = None if items is None else {pid for item in items for pid in item.standards}
    return expand(rows, coverage.paper_points(named))


def cells_of(exam) -> list[Cell]:
    """The cells a paper of `exam` (or a written round) is drawn from: per-point rows expanded into one
    cell per assessment point (`assembly.expand`), with the points the content folder holds now."""
    return _expanded(rows_of(exam.blueprint))


def row_shortfalls(blueprint: list[dict], items: list[BankItem] | None = None) -> list[Shortfall]:
    """Every blueprint row the bank cannot fill, numbered by row; a per-point row names its short points."""
    rows = rows_of(blueprint)
    items = bank() if items is None else items
    cells = _expanded(rows, items)
    return by_row(shortfalls(cells, items), cells, rows)


def repeated_points(blueprint: list[dict]) -> dict[int, list[str]]:
    """Per-point rows asking again for points an earlier row covers: {row index: [point ids]}."""
    rows = rows_of(blueprint)
    return repeated(rows, coverage.paper_points()) if any(r.per_point for r in rows) else {}


def check_blueprint(exam: Exam):
    return row_shortfalls(exam.blueprint)


def covered_points(exam: Exam) -> dict[str, list[tuple[str, str]]]:
    """Per part, the assessment points its per-point rows cover, (id, title) in order, for the overview."""
    found: dict[str, list[tuple[str, str]]] = {}
    titles = coverage.titles()
    for cell in cells_of(exam):
        if cell.point:
            found.setdefault(cell.part, []).append((cell.point, titles.get(cell.point, "")))
    return found


def paper_seed(exam: Exam, user_id: int, number: int) -> int:
    """The same paper for everyone, or one per candidate and try, reproducible from the exam's seed."""
    if exam.same_paper:
        return exam.seed
    digest = hashlib.sha256(f"{exam.seed}:{user_id}:{number}".encode()).digest()
    return int.from_bytes(digest[:4], "big") >> 1


def drawable() -> list[BankItem]:
    """The bank as papers are drawn from it: read at most once per EXAM_BANK_SECONDS in this process (see
    drill/config.py); concurrent starts may both read it, which is harmless."""
    every = float(current_app.config["EXAM_BANK_SECONDS"])
    kept = current_app.extensions.setdefault("drill.exam_bank", {})
    if "items" not in kept or time.monotonic() - kept["read_at"] >= every:
        kept.update(items=bank(), read_at=time.monotonic())
    return kept["items"]


def draw_paper(exam: Exam, seed: int) -> list[PaperItem]:
    """BlueprintShort (numbered by blueprint row) if the bank cannot fill the paper."""
    items = drawable()
    cells = _expanded(rows_of(exam.blueprint), items)
    try:
        return assemble(cells, items, seed, shuffle_questions=exam.shuffle_questions)
    except BlueprintShort as short:
        raise BlueprintShort(by_row(short.shortfalls, cells, rows_of(exam.blueprint))) from None


def max_points(exam: Exam) -> float:
    return sum(c.points * c.count for c in cells_of(exam))


def branch_paths() -> dict[int, str]:
    return {branch_id: path for branch_id, path in db.session.execute(select(Branch.id, Branch.path))}


def eligible(exam: Exam, user: User, paths: dict[int, str] | None = None) -> bool:
    return eligibility.is_eligible(
        exam.eligible or {},
        user.branch.path,
        paths if paths is not None else branch_paths(),
        user.category,
        user.level,
    )


def exam_or_404(exam_id: int) -> Exam:
    """One exam with what its windows read (the early close and the adjustments), in bounded queries."""
    return db.first_or_404(
        select(Exam)
        .where(Exam.id == exam_id)
        .options(selectinload(Exam.closure), selectinload(Exam.adjustments))
    )


def window(exam: Exam, user: User, now: datetime) -> eligibility.Window:
    """The candidate's window. An exam closed early ends every window then, second windows too; extra
    time given to a paper already started (an adjustment with `attempt_id`) is that paper's alone."""
    closed = exam.closed_early_at
    adjustments = [
        {"extra_minutes": a.extra_minutes, "opens_at": a.opens_at, "closes_at": a.closes_at}
        for a in exam.adjustments
        if a.user_id == user.id and a.attempt_id is None and (closed is None or not a.opens_at)
    ]
    closes = exam.closes_at if closed is None else min(exam.closes_at, closed)
    return eligibility.window_for(exam.opens_at, closes, adjustments, now)


def attempts_of(exam: Exam, user: User) -> list[Attempt]:
    """One candidate's tries, with their items (a handful of papers: the result reads them)."""
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.exam_id == exam.id, Attempt.user_id == user.id)
            .order_by(Attempt.number)
            .options(selectinload(Attempt.items))
        )
    )


def exam_attempts_of(user: User) -> dict[int, list[Attempt]]:
    """Every exam try of one user in one query, by exam, in order (their exams page)."""
    found: dict[int, list[Attempt]] = {}
    query = select(Attempt).where(Attempt.user_id == user.id, Attempt.exam_id.is_not(None))
    for attempt in db.session.scalars(query.order_by(Attempt.exam_id, Attempt.number)):
        found.setdefault(attempt.exam_id, []).append(attempt)
    return found


def start(exam: Exam, user: User, now: datetime) -> Attempt:
    """Start (or resume) the candidate's try. Raises ExamRefused saying why they may not."""
    if not eligible(exam, user):
        raise ExamRefused(N_("This exam is not for you."))
    tries = attempts_of(exam, user)
    open_try = next((a for a in tries if a.state == states.OPEN), None)
    if open_try is not None:
        return open_try
    span = window(exam, user, now)
    if eligibility.status(span, now) != "open":
        raise ExamRefused(N_("The exam is not open now."))
    if len(tries) >= exam.attempts_allowed:
        raise ExamRefused(N_("You have used every attempt this exam allows."))
    number = len(tries) + 1
    seed = paper_seed(exam, user.id, number)
    try:
        paper = draw_paper(exam, seed)
    except BlueprintShort:  # questions retired since the exam was set: say so, start nothing
        raise ExamRefused(
            N_("The question bank cannot fill this exam's paper any more; please tell the exam's organiser.")
        ) from None
    attempt = Attempt(
        user=user,
        kind="exam",
        exam_id=exam.id,
        number=number,
        title=exam.title,
        criteria={"exam": exam.id},
        seed=seed,
        state=states.OPEN,
        started_at=now,
        deadline=eligibility.deadline(span, now, exam.time_limit_minutes),
    )
    attempt.items = [
        AttemptItem(
            position=p.position,
            question_version_id=p.version_id,
            option_seed=p.option_seed if exam.shuffle_options else f"{IN_ORDER}:{p.option_seed}",
            part=p.part,
            points=p.points,
        )
        for p in paper
    ]
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:  # a second tab started the same try a moment earlier: resume that one
        return next(a for a in attempts_of(exam, user) if a.number == number)
    return attempt


@dataclass
class Result:
    attempt: Attempt
    parts: dict[str, PartScore]
    verdict: Verdict


def part_sums(items) -> dict[str, PartScore]:
    """Per part, points earned and possible from (part, earned, points) in paper order."""
    earned: dict[str, float] = {}
    possible: dict[str, float] = {}
    for part, item_earned, item_points in items:
        part = part or "total"
        earned[part] = earned.get(part, 0.0) + (item_earned or 0.0)
        possible[part] = possible.get(part, 0.0) + float(item_points or 0)
    return {part: PartScore(round(earned[part], 2), round(possible[part], 2)) for part in sorted(earned)}


def part_scores(attempt: Attempt) -> dict[str, PartScore]:
    return part_sums((item.part, item.earned, item.points) for item in attempt.items)


def pass_rule(exam: Exam) -> PassRule:
    rule = exam.pass_rule
    return PassRule(total_min=rule.get("total_min"), part_mins=rule.get("part_mins") or {})


def _judged(rule: PassRule, attempt: Attempt, parts: dict[str, PartScore]) -> Result:
    return Result(attempt, parts, judge(rule, parts))


def result(exam: Exam, attempt: Attempt) -> Result:
    return _judged(pass_rule(exam), attempt, part_scores(attempt))


def _best(results: list[Result]) -> Result | None:
    """A pass beats a fail, then the higher total."""
    return max(results, key=lambda r: (r.verdict.passed, r.verdict.total_percent)) if results else None


def best_result(exam: Exam, user: User) -> Result | None:
    """The candidate's best closed try (a pass beats a fail, then the higher total)."""
    return _best([result(exam, a) for a in attempts_of(exam, user) if a.closed])


def best_results(exam: Exam, user_ids: Select | list[int] | None = None) -> dict[int, Result]:
    """Every candidate's best closed try (or those of `user_ids`: ids, or a SELECT of them) in two statements
    whatever the count: the closed attempts, then their items' (part, earned, points) in paper order, so the
    sums and verdicts are exactly `best_result`'s. Each result's `attempt` is a row of the attempt's id,
    user_id, score and max_score, not an Attempt: thousands of whole objects cost more than the rest."""
    where = [Attempt.exam_id == exam.id, Attempt.state != states.OPEN]
    if user_ids is not None:
        where.append(Attempt.user_id.in_(user_ids))
    columns = select(Attempt.id, Attempt.user_id, Attempt.score, Attempt.max_score)
    attempts = {a.id: a for a in db.session.execute(columns.where(*where))}
    rows: dict[int, list[tuple]] = {attempt_id: [] for attempt_id in attempts}
    items = (
        select(AttemptItem.attempt_id, AttemptItem.part, AttemptItem.earned, AttemptItem.points)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(*where)
        .order_by(AttemptItem.attempt_id, AttemptItem.position)
    )
    for attempt_id, part, earned, points in db.session.execute(items):
        rows[attempt_id].append((part, earned, points))
    by_user: dict[int, list[Result]] = {}
    rule = pass_rule(exam)
    for attempt_id, attempt in attempts.items():
        by_user.setdefault(attempt.user_id, []).append(_judged(rule, attempt, part_sums(rows[attempt_id])))
    return {user_id: _best(results) for user_id, results in by_user.items()}


def exams_for(user: User, now: datetime) -> list[tuple[Exam, eligibility.Window, str]]:
    """Exams the user is eligible for that have not closed for them, or whose results they can read."""
    paths = branch_paths()
    found = []
    exams = select(Exam).options(selectinload(Exam.closure), selectinload(Exam.adjustments))
    for exam in db.session.scalars(exams.order_by(Exam.opens_at)):
        if not eligible(exam, user, paths):
            continue
        span = window(exam, user, now)
        found.append((exam, span, eligibility.status(span, now)))
    return found


def eligible_where(exam: Exam) -> ColumnElement[bool]:
    """`eligible` as SQL over User joined with its Branch, for lists of thousands: active managers in the
    exam's branches (whole subtrees), categories and levels; an empty list means "any"."""
    rules = exam.eligible or {}
    where = [
        User.active.is_(True),
        exists().where(UserRole.user_id == User.id, UserRole.role == "manager"),
    ]
    if rules.get("branches"):
        paths = db.session.scalars(select(Branch.path).where(Branch.id.in_(rules["branches"]))).all()
        where.append(or_(false(), *(Branch.path.startswith(p, autoescape=True) for p in paths)))
    if rules.get("categories"):
        where.append(User.category.in_(rules["categories"]))
    if rules.get("levels"):
        where.append(User.level.in_(rules["levels"]))
    return and_(true(), *where)


def candidates_query(exam: Exam) -> Select:
    """The exam's candidates with their branch, by employee number: filter, paginate or stream it."""
    return (
        select(User)
        .join(User.branch)
        .where(eligible_where(exam))
        .options(contains_eager(User.branch))
        .order_by(User.employee_no)
    )


def candidates(exam: Exam) -> list[User]:
    return list(db.session.scalars(candidates_query(exam)))


def adjust(
    exam: Exam,
    user: User,
    granted_by: User,
    reason: str,
    extra_minutes: int = 0,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
) -> ExamAdjustment:
    adjustment = ExamAdjustment(
        exam=exam,
        user=user,
        granted_by=granted_by,
        reason=reason,
        extra_minutes=extra_minutes,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    db.session.add(adjustment)
    db.session.flush()
    return adjustment


def submitted_count(exam: Exam) -> int:
    return db.session.scalar(
        select(func.count(func.distinct(Attempt.user_id))).where(
            Attempt.exam_id == exam.id, Attempt.state != states.OPEN
        )
    )
