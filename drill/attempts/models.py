"""An attempt (one person's paper: a practice drill, an assigned drill, a review, an exam try or a
competition entry) and its items (the questions drawn, pinned to their versions, with the saved answers).

Drills, exams and competitions start attempts and read them; the engine (drill.attempts.engine) saves to
and closes them.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drill.accounts.models import User
from drill.attempts.rules import states
from drill.database import UTCDateTime, intpk
from drill.extensions import db

if TYPE_CHECKING:  # the clients' models, named by the relationships below (resolved by class name)
    from drill.drills.models import Assignment
    from drill.exams.models import Exam


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
