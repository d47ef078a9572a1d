"""Attempts, their items (the drawn paper with the saved answers), assignments and the notebook."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drill.accounts.models import Branch, User
from drill.content.models import Pack

if TYPE_CHECKING:
    from drill.exams.models import Exam
from drill.database import UTCDateTime, intpk, timestamp
from drill.drills import states
from drill.extensions import db


class Assignment(db.Model):
    """A drill a trainer sets for branches or people: what to draw, how many, how long, and when."""

    __tablename__ = "drill_assignments"

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(String(120))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    pack_id: Mapped[int | None] = mapped_column(ForeignKey("packs.id"))
    theme: Mapped[str | None] = mapped_column(String(64))
    level: Mapped[str | None] = mapped_column(String(16))
    competency: Mapped[str | None] = mapped_column(String(64))
    question_count: Mapped[int]
    time_limit_minutes: Mapped[int]
    # Everyone gets the questions drawn once when the drill was assigned (`paper`), each in their own
    # order with shuffled options; without it, each person draws their own random paper.
    fixed_paper: Mapped[bool] = mapped_column(default=False)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[timestamp]

    created_by: Mapped[User] = relationship()
    pack: Mapped[Pack | None] = relationship()
    targets: Mapped[list[AssignmentTarget]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan", lazy="selectin"
    )
    paper: Mapped[list[AssignmentQuestion]] = relationship(
        order_by="AssignmentQuestion.position", cascade="all, delete-orphan"
    )


class AssignmentQuestion(db.Model):
    """One question of an assignment's fixed paper, pinned to the version drawn: everyone is asked it."""

    __tablename__ = "drill_assignment_questions"
    __table_args__ = (
        UniqueConstraint("assignment_id", "position"),
        UniqueConstraint("assignment_id", "question_version_id"),
    )

    id: Mapped[intpk]
    assignment_id: Mapped[int] = mapped_column(ForeignKey("drill_assignments.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))


class AssignmentReminder(db.Model):
    """A reminder (催办) a trainer sent one person to do an assigned drill; shown on that person's to-do."""

    __tablename__ = "drill_assignment_reminders"

    id: Mapped[intpk]
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("drill_assignments.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    sent_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())

    sent_by: Mapped[User] = relationship(foreign_keys=[sent_by_id])


class AssignmentTarget(db.Model):
    """One branch (its whole subtree) or one person an assignment is for."""

    __tablename__ = "drill_assignment_targets"
    __table_args__ = (
        CheckConstraint("(branch_id IS NULL) <> (user_id IS NULL)", name="branch_or_user"),
        # Is this person named? One lookup per person, whatever the planner thinks of 5,000 named (#14).
        Index("ix_drill_assignment_targets_assignment_id_user_id", "assignment_id", "user_id"),
    )

    id: Mapped[intpk]
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("drill_assignments.id", ondelete="CASCADE"), index=True
    )
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    assignment: Mapped[Assignment] = relationship(back_populates="targets")
    branch: Mapped[Branch | None] = relationship()
    user: Mapped[User | None] = relationship()


class Attempt(db.Model):
    __tablename__ = "attempts"
    # One row per (exam, candidate, try): two tabs starting the same exam at once cannot both succeed.
    __table_args__ = (
        UniqueConstraint("exam_id", "user_id", "number"),
        UniqueConstraint("competition_round_id", "user_id"),  # one entry per competition round
        # One attempt per assignment: a double tap starts one. A unique index, not a constraint, so that
        # SQLite adds it without rebuilding a table that other tables' rows point at (migration 0016).
        Index("uq_attempts_assignment_id_user_id", "assignment_id", "user_id", unique=True),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # practice | assigned | review | exam | competition
    exam_id: Mapped[int | None] = mapped_column(ForeignKey("exams.id"), index=True)
    number: Mapped[int] = mapped_column(default=1)  # which try at an exam
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("drill_assignments.id"), index=True)
    competition_round_id: Mapped[int | None] = mapped_column(ForeignKey("competition_rounds.id"))
    title: Mapped[str] = mapped_column(String(200))
    criteria: Mapped[dict] = mapped_column(JSON, default=dict)  # what was asked for, for "again"
    seed: Mapped[int]
    state: Mapped[str] = mapped_column(String(16), default=states.OPEN, index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deadline: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score: Mapped[float | None]
    max_score: Mapped[float | None]

    user: Mapped[User] = relationship()
    assignment: Mapped[Assignment | None] = relationship()
    exam: Mapped[Exam | None] = relationship()
    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", order_by="AttemptItem.position", cascade="all, delete-orphan"
    )

    @property
    def closed(self) -> bool:
        return states.is_closed(self.state)


class AttemptItem(db.Model):
    """One question of an attempt's paper, pinned to the version that was asked, with the saved answer."""

    __tablename__ = "attempt_items"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        UniqueConstraint("attempt_id", "question_version_id"),
    )

    id: Mapped[intpk]
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"), index=True)
    option_seed: Mapped[str] = mapped_column(String(64))
    part: Mapped[str | None] = mapped_column(String(32))  # an exam's part (theory, practical...)
    points: Mapped[float | None]  # an exam cell's points; None: the question's own points
    first_saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # for time-per-question
    response: Mapped[object | None] = mapped_column(JSON)
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The page's version counter of the saved response: a replayed older save never overwrites a newer one.
    saved_seq: Mapped[int | None]
    earned: Mapped[float | None]
    correct: Mapped[bool | None]
    detail: Mapped[dict | None] = mapped_column(JSON)
    self_assessment: Mapped[dict | None] = mapped_column(JSON)  # open answers: the manager's own marks

    attempt: Mapped[Attempt] = relationship(back_populates="items")


class NotebookEntry(db.Model):
    """A question in a manager's wrong-answer notebook, in a Leitner box, due for review at `due`."""

    __tablename__ = "notebook_entries"
    __table_args__ = (UniqueConstraint("user_id", "question_id"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    box: Mapped[int] = mapped_column(default=1)
    due: Mapped[datetime] = mapped_column(UTCDateTime())
    wrong_count: Mapped[int] = mapped_column(default=1)
    last_wrong_at: Mapped[datetime] = mapped_column(UTCDateTime())
