"""Schemes as stored versions, periods and their state, and the audit log. Services flush; views commit."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from drill.accounts.models import User
from drill.appraisal.files import read_level_rules, read_scheme
from drill.appraisal.models import AuditLog, Period, SchemeVersion
from drill.appraisal.rules import records, spans, states
from drill.appraisal.rules.levels import LevelRules
from drill.appraisal.rules.scheme import Scheme
from drill.extensions import db
from drill.messages import N_


class AppraisalError(Exception):
    """A refused action; `message` is an English msgid with its parameters, for the view to translate."""

    def __init__(self, message: str, **params):
        super().__init__(message % params if params else message)
        self.message, self.params = message, params


@dataclass(frozen=True)
class SchemeFile:
    name: str  # the file name under content/appraisal/
    text: str
    scheme: Scheme


def appraisal_dir() -> Path:
    return Path(current_app.config["CONTENT_DIR"]) / "appraisal"


def scheme_files() -> list[SchemeFile]:
    """The valid schemes under content/appraisal/ (`drill check` reports the broken ones)."""
    found = []
    for path in sorted(appraisal_dir().glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        scheme, problems = read_scheme(text, path.name)
        if scheme is not None and not problems:
            found.append(SchemeFile(path.name, text, scheme))
    return found


def level_rules() -> LevelRules | None:
    for path in sorted(appraisal_dir().glob("*.yaml")):
        rules, problems = read_level_rules(path.read_text(encoding="utf-8"), path.name)
        if rules is not None and not problems:
            return rules
    return None


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def store_version(file: SchemeFile) -> SchemeVersion:
    """The stored version of a scheme file, stored now if this is its first use. A file whose text changed
    while its `version` stayed the same is refused: a period must keep the numbers it was computed with."""
    scheme = file.scheme
    stored = db.session.scalar(
        select(SchemeVersion).where(
            SchemeVersion.scheme_id == scheme.id, SchemeVersion.version == scheme.version
        )
    )
    digest = checksum(file.text)
    if stored is not None:
        if stored.checksum != digest:
            raise AppraisalError(
                N_(
                    "%(file)s changed but still says version %(version)d; raise its version so that "
                    "periods computed with the old numbers keep them"
                ),
                file=file.name,
                version=scheme.version,
            )
        return stored
    stored = SchemeVersion(
        scheme_id=scheme.id,
        version=scheme.version,
        title=scheme.title,
        audience=scheme.audience,
        text=file.text,
        checksum=digest,
    )
    db.session.add(stored)
    db.session.flush()
    return stored


@lru_cache(maxsize=32)
def _parsed(text: str) -> Scheme:
    scheme, problems = read_scheme(text)
    if scheme is None:
        raise ValueError(f"a stored scheme no longer parses: {problems}")
    return scheme


def scheme_of(period: Period) -> Scheme:
    """The scheme version the period keeps, parsed from its stored text. Read by id: the session's identity
    map answers when the version is already loaded, and a period page costs one small query otherwise."""
    return _parsed(db.session.get(SchemeVersion, period.scheme_version_id).text)


def pure_period(period: Period) -> records.Period:
    return records.Period(period.kind, period.starts_on, period.ends_on, period.label)


def audit(
    actor: User | None,
    entity: str,
    entity_id: int,
    action: str,
    *,
    subject: User | int | None = None,
    period: Period | None = None,
    old: dict | None = None,
    new: dict | None = None,
    reason: str = "",
) -> AuditLog:
    subject_id = subject.id if isinstance(subject, User) else subject
    entry = AuditLog(
        actor_id=actor.id if actor is not None else None,
        entity=entity,
        entity_id=entity_id,
        action=action,
        subject_id=subject_id,
        period_id=period.id if period is not None else None,
        old=old,
        new=new,
        reason=reason,
    )
    db.session.add(entry)
    return entry


def create_period(file: SchemeFile, kind: str, year: int, number: int, by: User) -> Period:
    """Open a period of a kind the scheme computes; it keeps the scheme version in force today."""
    if kind not in file.scheme.periods:
        raise AppraisalError(N_("this scheme has no %(kind)s periods"), kind=kind)
    try:
        span = spans.span(kind, year, number)
    except ValueError as error:
        raise AppraisalError(N_("there is no such period in the year")) from error
    exists = db.session.scalar(
        select(Period.id).where(
            Period.scheme_id == file.scheme.id, Period.kind == kind, Period.starts_on == span.start
        )
    )
    if exists is not None:
        raise AppraisalError(N_("period %(label)s already exists for this scheme"), label=span.label)
    version = store_version(file)
    period = Period(
        scheme_id=file.scheme.id,
        scheme_version=version,
        kind=kind,
        label=span.label,
        starts_on=span.start,
        ends_on=span.end,
        state=states.OPEN,
        created_by=by,
    )
    db.session.add(period)
    db.session.flush()
    audit(
        by, "period", period.id, "create", period=period, new={"label": period.label, "state": period.state}
    )
    return period


def move(period: Period, target: str, by: User, now: datetime, reason: str = "") -> None:
    """Move a period along the state table; anything else (backwards, skipping) is refused."""
    if not states.can_move(period.state, target):
        raise AppraisalError(
            N_("a period cannot go from %(current)s to %(target)s"), current=period.state, target=target
        )
    old = period.state
    values = {"state": target}
    if target == states.COMPUTED:
        values["computed_at"] = now
    if target == states.PUBLISHED:
        values["published_at"] = now
    # Conditional on the state read: of two admins pressing the same button, one moves the period.
    moved = db.session.execute(
        update(Period).where(Period.id == period.id, Period.state == old).values(**values)
    ).rowcount
    db.session.refresh(period)
    if not moved:
        raise AppraisalError(N_("someone else changed this period meanwhile; look again"))
    audit(
        by,
        "period",
        period.id,
        "state",
        period=period,
        old={"state": old},
        new={"state": target},
        reason=reason,
    )
    db.session.flush()


def require_editable(period: Period) -> None:
    if period.state not in states.EDITABLE:
        raise AppraisalError(
            N_("period %(label)s is %(state)s: its evidence can no longer change"),
            label=period.label,
            state=period.state,
        )
