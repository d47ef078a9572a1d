"""Releasing an exam's results together, and the certificates that passing earns."""

from __future__ import annotations

import calendar
import secrets
from datetime import date, datetime

from sqlalchemy import select, update

from drill import process
from drill.accounts import profile
from drill.accounts.models import User
from drill.attempts.models import Attempt
from drill.attempts.rules import states
from drill.database import insert_rows
from drill.exams import control, grading
from drill.exams.models import Certificate, Exam, verification_code
from drill.exams.services import best_result, best_results
from drill.extensions import db
from drill.i18n import local_day
from drill.messages import N_


def blockers(exam: Exam, now: datetime, progress: tuple[int, int] | None = None) -> list[str]:
    """Why the results cannot be released yet (English msgids); empty when they can. `progress`, when the
    caller has `grading.progress` already, saves reading every mark again."""
    reasons = []
    if exam.released_at is not None:
        reasons.append(N_("The results are already released."))
    if exam.closure is None and now < control.last_close(exam):
        reasons.append(N_("The exam window has not closed for every candidate."))
    still_open = db.session.scalar(
        select(Attempt.id).where(Attempt.exam_id == exam.id, Attempt.state == states.OPEN).limit(1)
    )
    if still_open is not None:
        reasons.append(N_("Some attempts are still open."))
    done, total = grading.progress(exam) if progress is None else progress
    if done < total:
        reasons.append(N_("Not every answer is graded."))
    return reasons


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols, no 0/O, 1/I: read aloud, typed from paper


def certificate_number(issued: date) -> str:
    """A printed number nobody can guess from the exam or the holder: the year and 50 random bits."""
    bits = secrets.randbits(50)  # ten symbols of 32, drawn at once (a release numbers thousands)
    token = "".join(NUMBER_ALPHABET[(bits >> 5 * i) & 31] for i in range(10))
    return f"DR{issued:%Y}-{token[:5]}-{token[5:]}"


class AlreadyReleased(Exception):
    """Someone released the exam first (a double click, two trainers): nothing more to do."""


class NotReady(Exception):
    """The results cannot be released yet: `reasons` (English msgids, as `blockers` gives them) say why."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def release(exam: Exam, now: datetime) -> int:
    """Publish every result at once and certify those who passed; the number of certificates issued.
    Raises NotReady when `blockers` names a reason.

    The release is one guarded UPDATE (released_at still empty): of two clicks at once, the second waits
    for the first's lock, then finds it released and raises AlreadyReleased, never a duplicate certificate.
    """
    with process.without_cyclic_gc():  # a bulk job: 25,000 marks read, 5,000 papers judged
        return _release(exam, now)


def _release(exam: Exam, now: datetime) -> int:
    reasons = blockers(exam, now)
    if reasons:
        raise NotReady(reasons)
    won = db.session.execute(
        update(Exam)
        .where(Exam.id == exam.id, Exam.released_at.is_(None))
        .values(released_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        raise AlreadyReleased
    exam.released_at = now
    # Every result in a fixed number of statements whatever the candidate count (issue 14): the best tries
    # in two, the passers' categories in one, the certificates in one COPY (PostgreSQL) or executemany.
    outcomes = best_results(exam)
    passers = sorted(user_id for user_id, outcome in outcomes.items() if outcome.verdict.passed)
    sat = select(Attempt.user_id).where(Attempt.exam_id == exam.id)
    categories = dict(db.session.execute(select(User.id, User.category).where(User.id.in_(sat))).all())
    shared = _exam_columns(exam, local_day(now))  # the day of the release where the managers are, not in UTC
    rows = [_certificate(shared, uid, categories[uid], outcomes[uid]) for uid in passers]
    insert_rows(db.session.connection(), Certificate.__table__, rows)
    return len(rows)


def _issue(exam: Exam, user: User, outcome, now: datetime) -> Certificate:
    shared = _exam_columns(exam, local_day(now))
    certificate = Certificate(**_certificate(shared, user.id, user.category, outcome))
    db.session.add(certificate)
    return certificate


def _exam_columns(exam: Exam, issued: date) -> dict:
    """The columns every certificate of the exam issued on the local day `issued` shares: read once for a
    release's thousands."""
    return {
        "exam_id": exam.id,
        "level": exam.level,
        "category": exam.category,
        "issued_on": issued,
        "valid_until": add_months(issued, exam.validity_months),
    }


def _certificate(exam_columns: dict, user_id: int, category: str | None, outcome) -> dict:
    """A certificate's columns, for one row or for a release's bulk insert."""
    return {
        **exam_columns,
        "number": certificate_number(exam_columns["issued_on"]),
        "code": verification_code(),
        "user_id": user_id,
        "attempt_id": outcome.attempt.id,
        "category": exam_columns["category"] or category,
        "score_percent": outcome.verdict.total_percent,
    }


def reconcile(exam: Exam, user: User, now: datetime, reason: str) -> Certificate | None:
    """After a re-mark of a released exam: the certificate follows the candidate's result. A pass now
    certified gets one (or has its revoked one re-instated, same number); a pass lost revokes it, with the
    re-mark's reason; a pass kept updates the score printed on it. Returns the certificate, if any."""
    if exam.released_at is None:
        return None
    outcome = best_result(exam, user)
    passed = outcome is not None and outcome.verdict.passed
    certificate = db.session.scalar(
        select(Certificate).where(Certificate.exam_id == exam.id, Certificate.user_id == user.id)
    )
    if certificate is None:
        certificate = _issue(exam, user, outcome, now) if passed else None
    elif passed:
        certificate.attempt_id = outcome.attempt.id
        certificate.score_percent = outcome.verdict.total_percent
        certificate.revoked_at = certificate.revoked_reason = None
    elif certificate.revoked_at is None:
        certificate.revoked_at, certificate.revoked_reason = now, reason
    db.session.flush()
    return certificate


def certificates_of(user_id: int) -> list[Certificate]:
    """Every certificate the user was issued, revoked ones too (shown as such)."""
    return list(
        db.session.scalars(
            select(Certificate).where(Certificate.user_id == user_id).order_by(Certificate.issued_on.desc())
        )
    )


def certificates_section(user_id: int) -> profile.Section | None:
    """The person's certificates on their page (`accounts.profile`), when they hold any."""
    certificates = certificates_of(user_id)
    return profile.Section("exams/_certificates_section.html", certificates) if certificates else None
