"""Integrity settings per exam or round, each paper's watch and event log, similarity flags and decisions.

Events and decisions are append-only: a decision on a flag is a new row, never an edit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drill.accounts.models import User
from drill.attempts.models import Attempt
from drill.database import UTCDateTime, intpk, timestamp
from drill.extensions import db


class IntegritySettings(db.Model):
    """The controls of one exam or one competition round. Without a row the defaults hold (all on)."""

    __tablename__ = "integrity_settings"
    __table_args__ = (CheckConstraint("(exam_id IS NULL) <> (round_id IS NULL)", name="exam_or_round"),)

    id: Mapped[intpk]
    exam_id: Mapped[int | None] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"), unique=True)
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("competition_rounds.id", ondelete="CASCADE"), unique=True
    )
    count_leaves: Mapped[bool] = mapped_column(default=True)
    leave_limit: Mapped[int | None]  # after this many page-leaves the paper is submitted; None: never
    block_paste: Mapped[bool] = mapped_column(default=True)
    fullscreen: Mapped[bool] = mapped_column(default=True)
    one_device: Mapped[bool] = mapped_column(default=True)


class PaperWatch(db.Model):
    """One paper's running counts and the device that holds it now (one device at a time)."""

    __tablename__ = "integrity_papers"

    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True)
    device: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(64))
    leaves: Mapped[int] = mapped_column(default=0)
    pastes: Mapped[int] = mapped_column(default=0)
    devices: Mapped[int] = mapped_column(default=0)  # how many times another device took the paper over
    limit_reached_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[timestamp]

    attempt: Mapped[Attempt] = relationship()


class IntegrityEvent(db.Model):
    """What the server saw of a paper, at the server's time. `reported_ms` is what the browser said (how
    long the candidate was away); `delay_ms` how long the browser held the event before it could send it."""

    __tablename__ = "integrity_events"
    __table_args__ = (UniqueConstraint("attempt_id", "device", "seq"),)  # a resent event counts once

    id: Mapped[intpk]
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # rules.EVENT_KINDS
    at: Mapped[timestamp]
    device: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int]
    address: Mapped[str | None] = mapped_column(String(64))
    reported_ms: Mapped[int | None]
    delay_ms: Mapped[int | None]


class SimilarityFlag(db.Model):
    """Two papers of one exam or round that look alike: a prompt for a person, never a penalty."""

    __tablename__ = "similarity_flags"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(80), unique=True)  # scope:kind:question:a:b, for re-runs
    exam_id: Mapped[int | None] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("competition_rounds.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # text | choices
    attempt_a_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    attempt_b_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    question_version_id: Mapped[int | None] = mapped_column(ForeignKey("question_versions.id"))
    similarity: Mapped[float]
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | cleared | follow_up

    attempt_a: Mapped[Attempt] = relationship(foreign_keys=[attempt_a_id])
    attempt_b: Mapped[Attempt] = relationship(foreign_keys=[attempt_b_id])
    decisions: Mapped[list[FlagDecision]] = relationship(
        back_populates="flag", cascade="all, delete-orphan", order_by="FlagDecision.id"
    )


class FlagDecision(db.Model):
    """A person's decision on a flag with the reason. Never edited: a change of mind is a new row."""

    __tablename__ = "similarity_decisions"

    id: Mapped[intpk]
    flag_id: Mapped[int] = mapped_column(ForeignKey("similarity_flags.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(16))  # cleared | follow_up
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[timestamp]

    flag: Mapped[SimilarityFlag] = relationship(back_populates="decisions")
    decided_by: Mapped[User] = relationship()
