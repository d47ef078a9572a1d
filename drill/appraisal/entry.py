"""The evidence people enter for a period: indicator sheets, supervisors' ratings, and bonus, deduction and
veto entries. Each change is audited; nothing changes once the period is published. Services flush.

An indicator sheet is all-or-nothing: any problem (by row and column) and the database is left as it
was. Its checksum covers the normalised values, so importing the same numbers again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from drill.accounts.models import User
from drill.accounts.rules.sheet import SheetError, read_table
from drill.appraisal import evidence
from drill.appraisal.models import IndicatorImport, Occurrence, Period, Rating
from drill.appraisal.rules.indicators import SheetProblem, parse_indicators
from drill.appraisal.rules.scheme import Scheme, rating_problems
from drill.appraisal.services import AppraisalError, audit, require_editable, scheme_of
from drill.extensions import db
from drill.messages import N_, Message

KINDS = ("bonus", "deduction", "veto")


@dataclass
class ImportOutcome:
    problems: list[SheetProblem] = field(default_factory=list)
    sheet: IndicatorImport | None = None
    unchanged: bool = False  # the same numbers are already the period's sheet
    rows: int = 0


def from_evidence(period: Period) -> Scheme:
    scheme = scheme_of(period)
    if scheme.periods[period.kind].source != "evidence":
        raise AppraisalError(
            N_("%(label)s is built on finer periods; enter evidence there"), label=period.label
        )
    return scheme


def import_indicators(period: Period, filename: str, data: bytes, by: User, now: datetime) -> ImportOutcome:
    require_editable(period)
    scheme = from_evidence(period)
    if not scheme.columns:
        raise AppraisalError(N_("this scheme takes no indicator sheet"))
    try:
        table = read_table(filename, data)
    except SheetError as error:
        return ImportOutcome([SheetProblem(0, "", Message(error.args[0]))])
    numbers = {u.employee_no for u in evidence.managers_for(scheme)}
    sheet = parse_indicators(table, scheme, numbers)
    if not sheet.ok:
        return ImportOutcome(sheet.problems)
    latest = evidence.latest_import(period)
    if latest is not None and latest.checksum == sheet.checksum:
        return ImportOutcome(sheet=latest, unchanged=True, rows=len(latest.rows))
    earlier = db.session.scalar(
        select(IndicatorImport).where(
            IndicatorImport.period_id == period.id, IndicatorImport.checksum == sheet.checksum
        )
    )
    old = {"checksum": latest.checksum, "filename": latest.filename} if latest else None
    if earlier is not None:  # an earlier sheet brought back: it becomes the period's sheet again
        earlier.imported_at, earlier.imported_by_id, earlier.filename = now, by.id, filename[:255]
        imported = earlier
    else:
        rows = {no: {"row": sheet.rows[no], "values": values} for no, values in sheet.values.items()}
        imported = IndicatorImport(
            period_id=period.id,
            checksum=sheet.checksum,
            filename=filename[:255],
            rows=rows,
            imported_by_id=by.id,
            imported_at=now,
        )
        db.session.add(imported)
    db.session.flush()
    audit(
        by,
        "import",
        imported.id,
        "create" if earlier is None else "reinstate",
        period=period,
        old=old,
        new={"checksum": imported.checksum, "filename": imported.filename, "rows": len(imported.rows)},
    )
    return ImportOutcome(sheet=imported, rows=len(imported.rows))


def rating_items(scheme: Scheme):
    return [i for d in scheme.dimensions for i in d.items if i.source == "rating"]


def save_rating(
    period: Period, manager: User, item_key: str, value: float, comment: str, rater: User, now: datetime
) -> Rating | None:
    """Enter or amend a rating (audited, the comment being the why); None when nothing changed."""
    require_editable(period)
    scheme = from_evidence(period)
    item = scheme.item(item_key)
    if item is None or item.source != "rating":
        raise AppraisalError(N_("“%(item)s” is not rated in this scheme"), item=item_key)
    problems = rating_problems(item, value, comment, scheme.bands)
    if problems:
        raise AppraisalError(problems[0].template, **problems[0].params)
    rating = db.session.scalar(
        select(Rating).where(
            Rating.period_id == period.id, Rating.user_id == manager.id, Rating.item_key == item_key
        )
    )
    return _enter(period, manager, item_key, value, comment.strip(), rater, now, rating)


def save_marks(
    period: Period,
    managers: dict[str, User],
    marks: list[tuple[str, str, float, str]],
    rater: User,
    now: datetime,
) -> int:
    """Save a rating grid already checked as a whole (grid.check): each mark entered or amended, audited;
    returns how many changed."""
    require_editable(period)
    from_evidence(period)
    ids = [managers[no].id for no, *_ in marks]
    existing = (
        {
            (r.user_id, r.item_key): r
            for r in db.session.scalars(
                select(Rating).where(Rating.period_id == period.id, Rating.user_id.in_(ids))
            )
        }
        if ids
        else {}
    )
    changes = []
    for no, key, value, comment in marks:
        manager = managers[no]
        change = _change(period, manager, key, value, comment, rater, now, existing.get((manager.id, key)))
        if change is not None:
            changes.append((manager, key, value, comment, *change))
    db.session.flush()  # one flush for the whole grid: the new ratings get their ids
    for manager, key, value, comment, rating, old in changes:
        _audit_rating(period, manager, key, value, comment, rater, rating, old)
    return len(changes)


def _enter(period, manager, item_key, value, comment, rater, now, rating: Rating | None) -> Rating | None:
    change = _change(period, manager, item_key, value, comment, rater, now, rating)
    if change is None:
        return None
    db.session.flush()
    _audit_rating(period, manager, item_key, value, comment, rater, *change)
    return change[0]


def _change(period, manager, item_key, value, comment, rater, now, rating: Rating | None):
    """(the rating, its old values or None) once entered or amended; None when nothing changes."""
    if rating is not None and rating.value == value and rating.comment == comment:
        return None
    old = {"value": rating.value, "comment": rating.comment} if rating else None
    values = {"value": value, "comment": comment, "rater_id": rater.id, "updated_at": now}
    if rating is None:
        rating = Rating(period_id=period.id, user_id=manager.id, item_key=item_key, **values)
        db.session.add(rating)
    else:
        for key, given in values.items():
            setattr(rating, key, given)
    return rating, old


def _audit_rating(period, manager, item_key, value, comment, rater, rating: Rating, old: dict | None) -> None:
    audit(
        rater,
        "rating",
        rating.id,
        "create" if old is None else "update",
        subject=manager,
        period=period,
        old=old,
        new={"value": value, "comment": comment, "item": item_key},
        reason=comment,
    )


def adjustment_choices(scheme: Scheme, period: Period) -> list[tuple[str, str, str]]:
    """(kind, key, label) of what may be entered: a rolled-up period takes vetoes only."""
    found = [("veto", v.key, v.label) for v in scheme.vetoes]
    if scheme.periods[period.kind].source == "evidence":
        found = (
            [("bonus", a.key, a.label) for a in scheme.bonus.items]
            + [("deduction", a.key, a.label) for a in scheme.deductions.items]
            + found
        )
    return found


def add_occurrence(
    period: Period, manager: User, kind: str, item_key: str, count: int, note: str, by: User
) -> Occurrence:
    require_editable(period)
    scheme = scheme_of(period)
    if (kind, item_key) not in {(k, key) for k, key, _ in adjustment_choices(scheme, period)}:
        raise AppraisalError(N_("“%(item)s” cannot be entered for this period"), item=item_key)
    if count < 1 or not note.strip():
        raise AppraisalError(N_("an entry needs a count of at least 1 and a note saying what happened"))
    occurrence = Occurrence(
        period_id=period.id,
        user_id=manager.id,
        kind=kind,
        item_key=item_key,
        count=count,
        note=note.strip(),
        entered_by_id=by.id,
    )
    db.session.add(occurrence)
    db.session.flush()
    audit(
        by,
        "occurrence",
        occurrence.id,
        "create",
        subject=manager,
        period=period,
        new={"kind": kind, "item": item_key, "count": count, "note": occurrence.note},
        reason=occurrence.note,
    )
    return occurrence


def withdraw_occurrence(occurrence: Occurrence, period: Period, by: User, reason: str, now: datetime) -> None:
    require_editable(period)
    if occurrence.withdrawn_at is not None:
        return
    if not reason.strip():
        raise AppraisalError(N_("say why the entry is withdrawn"))
    occurrence.withdrawn_at, occurrence.withdrawn_reason = now, reason.strip()
    audit(
        by,
        "occurrence",
        occurrence.id,
        "withdraw",
        subject=occurrence.user_id,
        period=period,
        old={"kind": occurrence.kind, "item": occurrence.item_key, "count": occurrence.count},
        new=None,
        reason=reason.strip(),
    )
    db.session.flush()
