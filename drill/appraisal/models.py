"""Appraisal tables: scheme versions, periods, records, the evidence entered for a period, rewards and
penalties, level changes, and the audit log. The rules that fill them are pure (see the package docstring);
the services in this package read and write these rows and flush; the views commit.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drill.accounts.models import User
from drill.appraisal.rules import records, states
from drill.database import UTCDateTime, intpk, timestamp
from drill.extensions import db


class SchemeVersion(db.Model):
    """The exact text of a scheme version, stored the first time a period uses it. A scheme file changed
    without raising its `version` is refused, so (scheme, version) always means the same numbers."""

    __tablename__ = "appraisal_scheme_versions"
    __table_args__ = (UniqueConstraint("scheme_id", "version"),)

    id: Mapped[intpk]
    scheme_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    audience: Mapped[str] = mapped_column(String(16))  # bank | tobacco
    text: Mapped[str] = mapped_column(Text)
    checksum: Mapped[str] = mapped_column(String(64))  # sha256 of the text
    stored_at: Mapped[timestamp]


class Period(db.Model):
    """One appraisal period of one scheme; `state` moves along drill.appraisal.rules.states, never back."""

    __tablename__ = "appraisal_periods"
    __table_args__ = (UniqueConstraint("scheme_id", "kind", "starts_on"),)

    id: Mapped[intpk]
    scheme_id: Mapped[str] = mapped_column(String(64))
    scheme_version_id: Mapped[int] = mapped_column(ForeignKey("appraisal_scheme_versions.id"))
    kind: Mapped[str] = mapped_column(String(16))  # monthly | quarterly | semiannual | annual
    label: Mapped[str] = mapped_column(String(16))  # 2025-03, 2025-Q1, 2025-H1, 2025
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default=states.OPEN)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[timestamp]
    computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    scheme_version: Mapped[SchemeVersion] = relationship()
    created_by: Mapped[User] = relationship()


def _tie_keys_of_trail(context) -> list[float]:
    return records.stored_tie_keys(context.get_current_parameters()["trail"])


class Record(db.Model):
    """A manager's computed record for a period: the grade, and the whole trail (records.Record.as_dict)."""

    __tablename__ = "appraisal_records"
    __table_args__ = (
        UniqueConstraint("period_id", "user_id"),
        # A period's records best first, a page at a time, and the organisation ranks by total
        # (reports.records_query and reports.org_ranks): read in index order, not sorted per page.
        Index("ix_appraisal_records_period_id_total", "period_id", "total"),
        # The report's sums by branch, unit and band (reports.lines) read a period's records from this
        # index alone, not from the wide rows with their trails: 156 -> 36 ms for 50,000 on SQLite.
        Index("ix_appraisal_records_period_id_sums", "period_id", "user_id", "unit", "band", "total"),
    )

    id: Mapped[intpk]
    period_id: Mapped[int] = mapped_column(ForeignKey("appraisal_periods.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    total: Mapped[float]
    band: Mapped[str] = mapped_column(String(32))
    vetoed: Mapped[bool] = mapped_column(default=False)
    unit: Mapped[str | None] = mapped_column(String(32))  # the quota unit (the manager's branch code)
    rank: Mapped[int | None]  # within the unit
    unit_size: Mapped[int | None]
    trail: Mapped[dict] = mapped_column(JSON)
    # The trail's dimension contributions, kept beside it (filled from it on insert) so that a roll-up
    # orders the ties of 50,000 managers without reading and parsing their trails (period_records.add_ties).
    tie_keys: Mapped[list | None] = mapped_column(JSON, default=_tie_keys_of_trail)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())

    period: Mapped[Period] = relationship()
    user: Mapped[User] = relationship()


class Rating(db.Model):
    """A supervisor's rating of one scheme item for one manager in one period, with a comment where the
    scheme asks for one (scheme.comment_required)."""

    __tablename__ = "appraisal_ratings"
    __table_args__ = (UniqueConstraint("period_id", "user_id", "item_key"),)

    id: Mapped[intpk]
    period_id: Mapped[int] = mapped_column(ForeignKey("appraisal_periods.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)  # the manager rated
    item_key: Mapped[str] = mapped_column(String(64))
    value: Mapped[float]
    comment: Mapped[str] = mapped_column(Text)
    rater_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    rater: Mapped[User] = relationship(foreign_keys=[rater_id])


class Occurrence(db.Model):
    """A bonus, deduction or veto item entered by the management group, with a note. Withdrawn, never
    deleted, so a record computed with it keeps a reference that leads somewhere."""

    __tablename__ = "appraisal_occurrences"
    __table_args__ = (Index("ix_appraisal_occurrences_period_id_user_id", "period_id", "user_id"),)

    id: Mapped[intpk]
    period_id: Mapped[int] = mapped_column(ForeignKey("appraisal_periods.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))  # bonus | deduction | veto
    item_key: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(default=1)
    note: Mapped[str] = mapped_column(Text)
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[timestamp]
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    entered_by: Mapped[User] = relationship(foreign_keys=[entered_by_id])


class IndicatorImport(db.Model):
    """One accepted indicator sheet for a period; the latest one is the period's evidence. The checksum
    covers the normalised values, so the same numbers imported again are recognised and change nothing."""

    __tablename__ = "appraisal_indicator_imports"
    __table_args__ = (UniqueConstraint("period_id", "checksum"),)

    id: Mapped[intpk]
    period_id: Mapped[int] = mapped_column(ForeignKey("appraisal_periods.id", ondelete="CASCADE"))
    checksum: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    rows: Mapped[dict] = mapped_column(JSON)  # employee no → {"row": n, "values": {column: value}}
    imported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[timestamp]

    imported_by: Mapped[User] = relationship()


class RewardPenalty(db.Model):
    """奖惩: a reward or a penalty in a manager's file, entered by an admin."""

    __tablename__ = "appraisal_rewards"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # reward | penalty
    title: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    awarded_on: Mapped[date] = mapped_column(Date)
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[timestamp]

    entered_by: Mapped[User] = relationship(foreign_keys=[entered_by_id])


class LevelChange(db.Model):
    """A level change the level rules proposed; an admin approves it with the date it takes effect (the
    user's level changes on that day: `applied_at`) or rejects it. Kept for ever: the level history.
    At most one proposal per manager is pending: the partial unique index settles two admins running the
    rules at the same moment."""

    __tablename__ = "appraisal_level_changes"
    __table_args__ = (
        Index(
            "uq_appraisal_level_changes_pending",
            "user_id",
            unique=True,
            sqlite_where=text("state = 'proposed'"),
            postgresql_where=text("state = 'proposed'"),
        ),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    category: Mapped[str] = mapped_column(String(16))
    from_level: Mapped[str] = mapped_column(String(16))
    to_level: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(8))  # up | down
    reason: Mapped[list] = mapped_column(JSON)  # [{"template", "params"}]: the rules' reasons
    periods: Mapped[list] = mapped_column(JSON)  # the labels of the periods it rests on
    certificate: Mapped[str | None] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default="proposed")  # proposed | approved | rejected
    proposed_on: Mapped[date] = mapped_column(Date)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # who approved or rejected
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    effective_date: Mapped[date | None] = mapped_column(Date)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # when the user's level changed
    decision_note: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class AuditLog(db.Model):
    """Who changed what, when, from what to what, and why. Written on every change to a record, a rating,
    an occurrence, a level, a period's state and an indicator import. Never edited, never deleted."""

    __tablename__ = "appraisal_audit"
    __table_args__ = (Index("ix_appraisal_audit_entity_entity_id", "entity", "entity_id"),)

    id: Mapped[intpk]
    at: Mapped[timestamp]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entity: Mapped[str] = mapped_column(String(16))  # record | rating | occurrence | level | period | ...
    entity_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(16))  # create | update | withdraw | approve | ...
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # the manager
    period_id: Mapped[int | None] = mapped_column(ForeignKey("appraisal_periods.id", ondelete="SET NULL"))
    old: Mapped[dict | None] = mapped_column(JSON)
    new: Mapped[dict | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
