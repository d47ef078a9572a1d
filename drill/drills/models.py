"""Assignments (what a trainer sets, for whom, on which paper) and the wrong-answer notebook.

The attempts they start are drill.attempts.models."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drill.accounts.models import Branch, User
from drill.content.models import Pack
from drill.database import UTCDateTime, intpk, timestamp
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
