"""Packs and questions as imported, with their history.

A pack or question is a stable identity (slug / key) with numbered versions. Importing changed content
adds a version and never rewrites one, so an attempt that points at a QuestionVersion keeps the text,
options and answer it was given. A question that leaves its pack is retired (no longer drawn), never
deleted. Asset bytes are stored by checksum, so every version's images stay servable.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drill.database import UTCDateTime, intpk, timestamp
from drill.extensions import db


class Pack(db.Model):
    __tablename__ = "packs"

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # quiz | case | rubric
    title: Mapped[str] = mapped_column(String(200))
    theme: Mapped[str | None] = mapped_column(String(64), index=True)
    level: Mapped[str | None] = mapped_column(String(16))
    audience: Mapped[str | None] = mapped_column(String(16))
    source_path: Mapped[str] = mapped_column(String(500), default="")
    current_version: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[timestamp]

    versions: Mapped[list[PackVersion]] = relationship(
        back_populates="pack", order_by="PackVersion.number", cascade="all, delete-orphan"
    )
    questions: Mapped[list[Question]] = relationship(back_populates="pack", order_by="Question.position")

    def __repr__(self) -> str:
        return f"<Pack {self.slug} v{self.current_version}>"


class PackVersion(db.Model):
    __tablename__ = "pack_versions"
    __table_args__ = (UniqueConstraint("pack_id", "number"),)

    id: Mapped[intpk]
    pack_id: Mapped[int] = mapped_column(ForeignKey("packs.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    checksum: Mapped[str] = mapped_column(String(64))  # of what was imported (rendered, normalised)
    # Of the source files it was imported from (drill.content.digest): an import whose source digest is
    # the current version's skips the pack without parsing it. None for versions imported before #14.
    content_digest: Mapped[str | None] = mapped_column(String(64), index=True)
    meta: Mapped[dict] = mapped_column(JSON)  # the normalised front matter, plus asset paths → checksums
    sections: Mapped[dict] = mapped_column(JSON)  # rendered HTML: intro, background, rubric, examples...
    imported_at: Mapped[timestamp]

    pack: Mapped[Pack] = relationship(back_populates="versions")


class Question(db.Model):
    __tablename__ = "questions"

    id: Mapped[intpk]
    # Quiz question ids are unique across packs; a case task's key is "case-slug/task-id".
    key: Mapped[str] = mapped_column(String(160), unique=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("packs.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    current_version: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[timestamp]

    pack: Mapped[Pack] = relationship(back_populates="questions")
    versions: Mapped[list[QuestionVersion]] = relationship(
        back_populates="question", order_by="QuestionVersion.number", cascade="all, delete-orphan"
    )

    @property
    def latest(self) -> QuestionVersion | None:
        return self.versions[-1] if self.versions else None

    def __repr__(self) -> str:
        return f"<Question {self.key} v{self.current_version}>"


class QuestionVersion(db.Model):
    """What was asked, exactly: attempts reference this row, never the Question."""

    __tablename__ = "question_versions"
    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[intpk]
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    checksum: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(16))
    points: Mapped[float] = mapped_column(Numeric(8, 2, asdecimal=False))
    difficulty: Mapped[int]
    level: Mapped[str | None] = mapped_column(String(16), index=True)
    competencies: Mapped[list] = mapped_column(JSON)
    tags: Mapped[list] = mapped_column(JSON)
    spec: Mapped[dict] = mapped_column(JSON)  # everything incl. answers; `questions.public` strips them
    stem_html: Mapped[str] = mapped_column(Text)
    explanation_html: Mapped[str] = mapped_column(Text)
    pack_version_id: Mapped[int | None] = mapped_column(ForeignKey("pack_versions.id"), index=True)
    created_at: Mapped[timestamp]

    question: Mapped[Question] = relationship(back_populates="versions")


class PackAsset(db.Model):
    """A file linked from a pack (image, data sheet), stored once per content checksum.

    Kept in the database rather than on disk so that every app process behind a load balancer serves it
    without a shared folder, and so that an import is one transaction with its files.
    """

    __tablename__ = "pack_assets"

    id: Mapped[intpk]
    checksum: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[timestamp]
