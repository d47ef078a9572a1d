"""Competitions, their participants and rounds, peer reviews, calibrations, judges' sheets and the score log.

Every score that reaches a leaderboard is a row of `ScoreEvent`, an append-only log: a re-mark or a
disqualification is a new row saying who recorded it and why, never an edit. Events are numbered without a
lock that serialises scorers on PostgreSQL, and stamped with their transaction so that each app process can
keep its boards in memory and catch up with one indexed query (see `events.record` and `boards`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Sequence, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drill.accounts.models import Branch, User
from drill.content.models import Pack
from drill.database import UTCDateTime, intpk, timestamp
from drill.extensions import db


class Competition(db.Model):
    __tablename__ = "competitions"

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16), default="draft")  # states.COMPETITION
    team_rule: Mapped[str] = mapped_column(String(8), default="mean")  # mean | top | sum
    team_n: Mapped[int | None]  # for "top"
    reviews_per_entry: Mapped[int] = mapped_column(default=3)  # k
    separate_branches: Mapped[bool] = mapped_column(default=False)  # no peer review within a branch
    freeze_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    event_seq: Mapped[int] = mapped_column(default=0)  # SQLite: the last ScoreEvent.seq (PostgreSQL: unused)
    config_version: Mapped[int] = mapped_column(default=1)  # bumped by every change the boards depend on
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[timestamp]

    created_by: Mapped[User] = relationship()
    rounds: Mapped[list[Round]] = relationship(
        back_populates="competition", order_by="Round.position", cascade="all, delete-orphan"
    )


class Participant(db.Model):
    __tablename__ = "competition_participants"
    __table_args__ = (UniqueConstraint("competition_id", "user_id"),)

    id: Mapped[intpk]
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))  # the user's branch-level unit
    disqualified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disqualified_reason: Mapped[str | None] = mapped_column(Text)
    disqualified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    team: Mapped[Branch] = relationship()


class Round(db.Model):
    """One round: written (a drawn paper), case (a case answered in writing, scored by peers and judges)
    or judged (a live presentation or role-play scored by judges against a rubric)."""

    __tablename__ = "competition_rounds"

    id: Mapped[intpk]
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # written | case | judged
    title: Mapped[str] = mapped_column(String(200))
    weight: Mapped[float] = mapped_column(default=1.0)
    position: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(16), default="draft")  # states.ROUND
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    time_limit_minutes: Mapped[int] = mapped_column(default=30)
    seed: Mapped[int] = mapped_column(default=0)
    # written
    blueprint: Mapped[list | None] = mapped_column(JSON)
    speed_bonus: Mapped[bool] = mapped_column(default=False)
    speed_floor: Mapped[float] = mapped_column(default=0.8)
    # case and judged: the case (its tasks, rubric and examples) or a shared rubric pack
    case_pack_id: Mapped[int | None] = mapped_column(ForeignKey("packs.id"))
    rubric_pack_id: Mapped[int | None] = mapped_column(ForeignKey("packs.id"))
    peer_weight: Mapped[float] = mapped_column(default=1.0)
    judge_weight: Mapped[float] = mapped_column(default=0.0)
    review_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disagreement: Mapped[float] = mapped_column(default=20.0)  # unused since the peer model (#15)
    # the share of the entries (percent) a judge checks: those the peer model is least sure of
    judge_budget: Mapped[float] = mapped_column(default=10.0, server_default="10")
    # qualification: only the top N of another round (overall or per branch) take part
    qualify_from_id: Mapped[int | None] = mapped_column(ForeignKey("competition_rounds.id"))
    qualify_top_n: Mapped[int | None]
    qualify_per_branch: Mapped[bool] = mapped_column(default=False)
    qualified: Mapped[list | None] = mapped_column(JSON)  # participant ids, once confirmed

    competition: Mapped[Competition] = relationship(back_populates="rounds")
    case_pack: Mapped[Pack | None] = relationship(foreign_keys=[case_pack_id])
    rubric_pack: Mapped[Pack | None] = relationship(foreign_keys=[rubric_pack_id])
    qualify_from: Mapped[Round | None] = relationship(remote_side="Round.id")
    judges: Mapped[list[RoundJudge]] = relationship(cascade="all, delete-orphan")


class RoundJudge(db.Model):
    __tablename__ = "competition_round_judges"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[intpk]
    round_id: Mapped[int] = mapped_column(ForeignKey("competition_rounds.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(lazy="joined")


class RoundChange(db.Model):
    """A change to what a round's scores are computed from (its entries, reviews, allocations, calibrations,
    judges' sheets and panel, participants, settings): one row per flush that makes one, added by
    `kept_rounds`. Only ever inserted, so counting a round's rows tells a process whether the round it keeps
    is still current, and no writer waits for another (a counter row would serialise them and lock against
    the attempts a closing round closes)."""

    __tablename__ = "competition_round_changes"

    id: Mapped[intpk]
    round_id: Mapped[int] = mapped_column(ForeignKey("competition_rounds.id", ondelete="CASCADE"), index=True)


class ReviewAllocation(db.Model):
    """Reviewer × entry. A late review moved elsewhere keeps its row, as `moved`; a new row takes over."""

    __tablename__ = "review_allocations"
    __table_args__ = (UniqueConstraint("entry_id", "reviewer_id"),)

    id: Mapped[intpk]
    round_id: Mapped[int] = mapped_column(ForeignKey("competition_rounds.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)  # the author's case attempt
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("competition_participants.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="assigned")  # assigned | done | moved | flagged
    created_at: Mapped[timestamp]

    reviewer: Mapped[Participant] = relationship()


class PeerReview(db.Model):
    __tablename__ = "peer_reviews"
    __table_args__ = (UniqueConstraint("reviewer_id", "entry_id"),)

    id: Mapped[intpk]
    allocation_id: Mapped[int] = mapped_column(ForeignKey("review_allocations.id"), unique=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("competition_rounds.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("competition_participants.id"))
    criteria: Mapped[dict] = mapped_column(JSON)  # criterion id -> points
    total: Mapped[float]  # on the rubric's 100
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[timestamp]


class Calibration(db.Model):
    """A reviewer's scores of the case's example answers, and the weight their accuracy earned."""

    __tablename__ = "calibrations"
    __table_args__ = (UniqueConstraint("round_id", "participant_id"),)

    id: Mapped[intpk]
    round_id: Mapped[int] = mapped_column(ForeignKey("competition_rounds.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("competition_participants.id"))
    given: Mapped[dict] = mapped_column(JSON)  # example id -> criterion id -> points
    relative_deviation: Mapped[float]
    accuracy: Mapped[float]
    weight: Mapped[float]
    created_at: Mapped[timestamp]


class JudgeScore(db.Model):
    """One judge's sheet for one participant in one round; locked once every assigned judge has scored."""

    __tablename__ = "judge_scores"
    __table_args__ = (UniqueConstraint("judge_id", "participant_id", "round_id"),)

    id: Mapped[intpk]
    round_id: Mapped[int] = mapped_column(ForeignKey("competition_rounds.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("competition_participants.id"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    criteria: Mapped[dict] = mapped_column(JSON)
    total: Mapped[float]  # on the rubric's 100
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[timestamp]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    judge: Mapped[User] = relationship()


SCORE_EVENT_SEQ = Sequence("score_event_seq")  # PostgreSQL only (SQLite ignores a Sequence)


class ScoreEvent(db.Model):
    """A round score as recorded (on 100), or None: withdrawn. Append-only: corrections are new rows."""

    __tablename__ = "score_events"
    __table_args__ = (
        UniqueConstraint("competition_id", "seq"),  # also the index the boards catch up with on SQLite
        Index("ix_score_events_round_id_participant_id", "round_id", "participant_id"),
        Index("ix_score_events_competition_id_txid", "competition_id", "txid"),  # and on PostgreSQL
    )

    id: Mapped[intpk]
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"))
    # The log's number. PostgreSQL: from SCORE_EVENT_SEQ, no lock held (gaps, and not in commit order);
    # SQLite: `Competition.event_seq` + 1, in commit order (SQLite has one writer at a time). See events.py.
    seq: Mapped[int] = mapped_column(SCORE_EVENT_SEQ)
    # PostgreSQL: the recording transaction's id (pg_current_xact_id), what boards catch up by; SQLite: None.
    txid: Mapped[int | None] = mapped_column(BigInteger)
    round_id: Mapped[int] = mapped_column(ForeignKey("competition_rounds.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("competition_participants.id"))
    score: Mapped[float | None]
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: scored automatically

    recorded_by: Mapped[User | None] = relationship()
