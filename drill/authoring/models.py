"""A trainer's draft of a pack, the files uploaded with it, and the source of each browser-published version.

A draft lives in the database, not in the browser or on one app server's disk, so a trainer's work
survives a reload and any app process behind the load balancer can serve it. Files are stored once per
checksum; a draft names them by pack-relative path → checksum. A published version keeps its Markdown
and its files' checksums (the bytes are in `pack_assets`), so the pack can be edited again later.
"""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drill.accounts.models import User
from drill.content.models import Pack, PackVersion
from drill.database import UTCDateTime, intpk, timestamp, utcnow
from drill.extensions import db


class Draft(db.Model):
    __tablename__ = "authoring_drafts"

    id: Mapped[intpk]
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    pack_id: Mapped[int | None] = mapped_column(ForeignKey("packs.id", ondelete="SET NULL"))  # edits this
    base_version: Mapped[int | None]  # the pack's version the draft started from
    kind: Mapped[str] = mapped_column(String(16))  # quiz | case | rubric: the folder it is checked in
    name: Mapped[str] = mapped_column(String(64))  # its file or folder name, e.g. credit-basics
    text: Mapped[str] = mapped_column(Text)
    files: Mapped[dict] = mapped_column(JSON, default=dict)  # pack-relative path → checksum
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    owner: Mapped[User] = relationship()
    pack: Mapped[Pack | None] = relationship()


class DraftFile(db.Model):
    """The bytes of a file uploaded to a draft, once per checksum, until no draft names it any more."""

    __tablename__ = "authoring_files"

    id: Mapped[intpk]
    checksum: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[timestamp]


class PackSource(db.Model):
    """What a pack version published from the browser was made of: its Markdown and its files."""

    __tablename__ = "pack_sources"

    id: Mapped[intpk]
    pack_version_id: Mapped[int] = mapped_column(
        ForeignKey("pack_versions.id", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str] = mapped_column(String(200))  # e.g. quizzes/credit-basics/index.md
    text: Mapped[str] = mapped_column(Text)
    files: Mapped[dict] = mapped_column(JSON, default=dict)  # pack-relative path → checksum (pack_assets)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[timestamp]

    version: Mapped[PackVersion] = relationship()
    published_by: Mapped[User | None] = relationship()
