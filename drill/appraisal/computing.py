"""Computing a period: gather the evidence, run the pure roll-up, store the records with their trail.

A period computed from evidence is blocked, with every reason, while evidence is missing (no indicator
sheet, a manager's row or rating absent); a rolled-up period (e.g. annual = mean of the monthly totals) is
blocked until every finer period inside it is published. Recomputing is allowed until the period is
published; each record that changes is audited (old → new total and grade).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from drill.accounts.models import User
from drill.appraisal import evidence, records, spans, states
from drill.appraisal.models import Period, Record
from drill.appraisal.rollup import compute, roll_up
from drill.appraisal.scheme import Scheme
from drill.appraisal.services import AppraisalError, audit, move, pure_period, require_editable, scheme_of
from drill.extensions import db
from drill.i18n import local_day
from drill.messages import N_, Message


@dataclass
class Outcome:
    blockers: list[Message] = field(default_factory=list)
    created: int = 0
    changed: int = 0
    removed: int = 0

    @property
    def ok(self) -> bool:
        return not self.blockers


def item_labels(scheme: Scheme) -> dict[str, str]:
    return {i.key: i.label for d in scheme.dimensions for i in d.items}


def evidence_blockers(scheme: Scheme, period: Period, result: list[records.Record], people) -> list[Message]:
    found = []
    needs_sheet = any(i.source == "indicator" for d in scheme.dimensions for i in d.items)
    if needs_sheet and evidence.latest_import(period) is None:
        found.append(Message(N_("no indicator sheet has been imported for %(label)s"), label=period.label))
        sheet_items = {i.key for d in scheme.dimensions for i in d.items if i.source == "indicator"}
    else:
        sheet_items = set()
    labels = item_labels(scheme)
    for record in result:
        missing = [labels.get(k, k) for k in dict.fromkeys(record.missing) if k not in sheet_items]
        if missing:
            user = people[record.manager]
            found.append(
                Message(
                    N_("%(name)s (%(no)s) has no %(items)s yet"),
                    name=user.name,
                    no=user.employee_no,
                    items="、".join(missing),
                )
            )
    return found


def as_pure(row: Record, period: Period) -> records.Record:
    """A stored record as the roll-up needs it: total, grade, vetoes and the tie keys."""
    trail = row.trail
    record = records.Record(trail["manager"], pure_period(period), trail["scheme"], trail["version"])
    record.total, record.band = row.total, row.band
    record.vetoes = [
        records.Occurrence(v["item"], v.get("count", 1), v.get("note", ""), v.get("ref", ""))
        for v in trail.get("vetoes", [])
    ]
    record.dimensions = [
        records.DimensionTrail(d["key"], d["label"], d["weight"], d["score"], d["contribution"], ())
        for d in trail.get("dimensions", [])
    ]
    return record


def finer_records(period: Period, source: str) -> tuple[list[records.Record], list[Message]]:
    expected = spans.inside(pure_period(period), source)
    found = {
        p.starts_on: p
        for p in db.session.scalars(
            select(Period).where(
                Period.scheme_id == period.scheme_id,
                Period.kind == source,
                Period.starts_on >= period.starts_on,
                Period.ends_on <= period.ends_on,
            )
        )
    }
    blockers, parts = [], []
    for span in expected:
        finer = found.get(span.start)
        if finer is None:
            blockers.append(Message(N_("period %(label)s has not been opened"), label=span.label))
        elif finer.state not in states.FINAL:
            blockers.append(Message(N_("period %(label)s is not published yet"), label=span.label))
        else:
            rows = db.session.scalars(select(Record).where(Record.period_id == finer.id))
            parts += [as_pure(row, finer) for row in rows]
    return parts, blockers


def compute_period(period: Period, by: User, now: datetime, today: date | None = None) -> Outcome:
    """(Re)compute every record of the period, or say why not. Flushes; the caller commits. `today`: the
    local day of `now` (the view turns it once); a period that has not begun is refused."""
    require_editable(period)
    today = today or local_day(now)
    if not states.started(period.starts_on, today):
        raise AppraisalError(
            N_("%(label)s has not started yet: it begins on %(date)s and can be computed from that day"),
            label=period.label,
            date=period.starts_on.isoformat(),
        )
    scheme = scheme_of(period)
    pure = pure_period(period)
    managers = evidence.managers_for(scheme)
    people = {u.employee_no: u for u in managers}
    units = evidence.unit_members(managers)
    if not managers:
        return Outcome([Message(N_("there are no customer managers for this scheme"))])
    rule = scheme.periods[period.kind]
    if rule.source == "evidence":
        gathered = evidence.gather(period, pure, managers)
        result = compute(scheme, gathered, units)
        blockers = evidence_blockers(scheme, period, result, people)
    else:
        parts, blockers = finer_records(period, rule.source)
        result = roll_up(scheme, pure, parts, units, evidence.period_vetoes(period, managers))
        result = [r for r in result if r.manager in people]
    if blockers:
        return Outcome(blockers)
    outcome = store(period, result, people, by, now)
    if period.state == states.OPEN:
        move(period, states.COMPUTED, by, now)
    else:
        period.computed_at = now
        audit(by, "period", period.id, "recompute", period=period, new={"changed": outcome.changed})
    db.session.flush()
    return outcome


def store(period: Period, result: list[records.Record], people: dict, by: User, now: datetime) -> Outcome:
    outcome = Outcome()
    existing = {r.user_id: r for r in db.session.scalars(select(Record).where(Record.period_id == period.id))}
    kept = set()
    for record in result:
        user = people[record.manager]
        kept.add(user.id)
        trail = record.as_dict()
        values = {
            "total": record.total,
            "band": record.band,
            "vetoed": record.vetoed,
            "unit": record.unit,
            "rank": record.rank,
            "unit_size": record.unit_size,
        }
        row = existing.get(user.id)
        if row is None:
            row = Record(period_id=period.id, user_id=user.id, trail=trail, computed_at=now, **values)
            db.session.add(row)
            db.session.flush()
            outcome.created += 1
            audit(by, "record", row.id, "create", subject=user, period=period, new=_shown(row))
            continue
        if row.trail == trail and all(getattr(row, k) == v for k, v in values.items()):
            continue
        old = _shown(row)
        for key, value in values.items():
            setattr(row, key, value)
        row.trail, row.computed_at = trail, now
        outcome.changed += 1
        audit(
            by,
            "record",
            row.id,
            "update",
            subject=user,
            period=period,
            old=old,
            new=_shown(row),
            reason="recomputed",
        )
    for user_id, row in existing.items():
        if user_id not in kept:
            audit(
                by,
                "record",
                row.id,
                "delete",
                subject=user_id,
                period=period,
                old=_shown(row),
                reason="no longer appraised under this scheme",
            )
            db.session.delete(row)
            outcome.removed += 1
    db.session.flush()
    return outcome


def _shown(row: Record) -> dict:
    return {"total": row.total, "band": row.band, "rank": row.rank}
