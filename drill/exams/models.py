"""Exams, per-candidate adjustments, marks on open answers with their history, and certificates."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drill.accounts.models import User
from drill.database import UTCDateTime, intpk, timestamp
from drill.extensions import db


class Exam(db.Model):
    __tablename__ = "exams"

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))  # the level a pass certifies
    category: Mapped[str | None] = mapped_column(String(16))  # the manager category it certifies
    same_paper: Mapped[bool] = mapped_column(default=False)  # everyone the same paper, or one each
    shuffle_questions: Mapped[bool] = mapped_column(default=True)
    shuffle_options: Mapped[bool] = mapped_column(default=True, server_default=true())
    seed: Mapped[int]  # the same-paper seed, and the base of every random paper's seed
    blueprint: Mapped[list] = mapped_column(JSON)  # cells: part, count, points, theme, competency...
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    time_limit_minutes: Mapped[int]
    attempts_allowed: Mapped[int] = mapped_column(default=1)
    pass_rule: Mapped[dict] = mapped_column(JSON)  # {"total_min": 60, "part_mins": {"practical": 60}}
    eligible: Mapped[dict] = mapped_column(JSON)  # {"branches": [ids], "categories": [...], "levels": [...]}
    double_marking: Mapped[bool] = mapped_column(default=False)
    marking_threshold: Mapped[float] = mapped_column(default=2.0)  # points apart that call a third marker
    allow_review: Mapped[bool] = mapped_column(default=True)
    validity_months: Mapped[int] = mapped_column(default=24)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[timestamp]

    created_by: Mapped[User] = relationship()
    closure: Mapped[ExamClosure | None] = relationship(back_populates="exam", cascade="all, delete-orphan")
    adjustments: Mapped[list[ExamAdjustment]] = relationship(
        back_populates="exam", cascade="all, delete-orphan", order_by="ExamAdjustment.id"
    )

    @property
    def closed_early_at(self) -> datetime | None:
        return self.closure.closed_at if self.closure is not None else None


class ExamClosure(db.Model):
    """An exam closed before its `closes_at` by an organiser: every window ended then, open papers were
    collected. One row per exam (the key), so a second click finds it already closed. Never edited."""

    __tablename__ = "exam_closures"

    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"), primary_key=True)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    everyone_submitted: Mapped[bool]  # False: closed by decision, papers still open were collected
    collected: Mapped[int] = mapped_column(default=0)  # papers still open, left to the deadline job
    reason: Mapped[str] = mapped_column(Text, default="")

    exam: Mapped[Exam] = relationship(back_populates="closure")
    closed_by: Mapped[User] = relationship()


class ExamAdjustment(db.Model):
    """Extra time or a second window for one candidate, always with the reason and who granted it.

    With `attempt_id`, it acts on a paper already started: `action` "extend" moved its deadline by
    `extra_minutes`, "reopen" opened a closed, unmarked paper again; `deadline` is the paper's new one.
    """

    __tablename__ = "exam_adjustments"

    id: Mapped[intpk]
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    extra_minutes: Mapped[int] = mapped_column(default=0)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # a second window, if any
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    action: Mapped[str | None] = mapped_column(String(16))  # extend | reopen (with attempt_id)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the paper's new deadline
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[timestamp]

    exam: Mapped[Exam] = relationship(back_populates="adjustments")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    granted_by: Mapped[User] = relationship(foreign_keys=[granted_by_id])


class Mark(db.Model):
    """One marker's score of one open answer, criterion by criterion, with a comment."""

    __tablename__ = "marks"
    __table_args__ = (UniqueConstraint("attempt_item_id", "marker_id"),)

    id: Mapped[intpk]
    attempt_item_id: Mapped[int] = mapped_column(
        ForeignKey("attempt_items.id", ondelete="CASCADE"), index=True
    )
    marker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    round: Mapped[int]  # 1 and 2: the first two markers; 3: the third, called when they disagree
    criteria: Mapped[dict] = mapped_column(JSON)  # criterion id → points (or {"points": x} without rubric)
    total: Mapped[float]  # question points
    comment: Mapped[str] = mapped_column(Text)
    created_at: Mapped[timestamp]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    marker: Mapped[User] = relationship()
    history: Mapped[list[MarkChange]] = relationship(
        back_populates="mark", cascade="all, delete-orphan", order_by="MarkChange.id"
    )


class MarkChange(db.Model):
    """Every score given or changed: who, when, old → new, and why. Never edited, never deleted."""

    __tablename__ = "mark_changes"

    id: Mapped[intpk]
    mark_id: Mapped[int] = mapped_column(ForeignKey("marks.id", ondelete="CASCADE"), index=True)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[timestamp]
    old_total: Mapped[float | None]
    new_total: Mapped[float]
    old_criteria: Mapped[dict | None] = mapped_column(JSON)
    new_criteria: Mapped[dict] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)

    mark: Mapped[Mark] = relationship(back_populates="history")
    changed_by: Mapped[User] = relationship()


class MarkClaim(db.Model):
    """Who is marking an answer's next round right now, so that two markers are never handed the same
    answer: one row per (answer, round), taken by an INSERT or, once stale, by a guarded UPDATE."""

    __tablename__ = "mark_claims"
    __table_args__ = (UniqueConstraint("attempt_item_id", "round"),)

    id: Mapped[intpk]
    attempt_item_id: Mapped[int] = mapped_column(ForeignKey("attempt_items.id", ondelete="CASCADE"))
    round: Mapped[int]
    marker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())


def verification_code() -> str:
    """A certificate's unguessable code (128 random bits) for its public verification page."""
    return secrets.token_urlsafe(16)


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("exam_id", "user_id"),)

    id: Mapped[intpk]
    number: Mapped[str] = mapped_column(String(32), unique=True)
    code: Mapped[str] = mapped_column(String(32), unique=True, default=verification_code)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id"))
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"))
    level: Mapped[str] = mapped_column(String(16))
    category: Mapped[str | None] = mapped_column(String(16))
    issued_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    score_percent: Mapped[float]
    # A re-mark after the release that takes the pass away revokes it; one that restores it re-instates it.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship()
    exam: Mapped[Exam] = relationship()

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
