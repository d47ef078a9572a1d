"""A period's report: ranking within each unit and across the organisation, the grade distribution
against the quota, and the branches side by side. A scoped supervisor sees their subtree only."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from drill.accounts.models import Branch, User
from drill.accounts.scope import in_subtree
from drill.appraisal.models import Period, Record
from drill.appraisal.scheme import Scheme
from drill.extensions import db


@dataclass
class Row:
    record: Record
    user: User
    org_rank: int
    group: Branch  # the branch under the head office


@dataclass
class UnitShare:
    unit: str
    name: str
    members: int
    bands: Counter
    allowed: int | None  # the quota on the top band, if the scheme has one


@dataclass
class BranchLine:
    branch: Branch
    count: int
    mean: float
    best: float
    worst: float
    bands: Counter = field(default_factory=Counter)


def half_up(value: float, places: str = "0.1") -> float:
    return float(Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP))


def rows(period: Period, scope: str | None) -> list[Row]:
    """Every record of the period the viewer may see, best first; organisation ranks share ties (1, 2, 2, 4)
    and are counted over the whole organisation, whatever the viewer's scope."""
    found = db.session.execute(
        select(Record, User).join(User, User.id == Record.user_id).where(Record.period_id == period.id)
    ).all()
    ordered = sorted(found, key=lambda ru: (-ru[0].total, ru[0].rank or 0, ru[1].employee_no))
    groups = _groups([u for _, u in ordered])
    result = []
    for record, user in ordered:
        org_rank = 1 + sum(other.total > record.total for other, _ in found)
        if in_subtree(user.branch.path, scope):
            result.append(Row(record, user, org_rank, groups[user.id]))
    return result


def _groups(users: list[User]) -> dict[int, Branch]:
    wanted = {}
    for user in users:
        ids = [int(p) for p in user.branch.path.strip("/").split("/") if p]
        wanted[user.id] = ids[1] if len(ids) > 1 else user.branch_id
    branches = {
        b.id: b for b in db.session.scalars(select(Branch).where(Branch.id.in_(set(wanted.values()))))
    }
    return {user_id: branches[branch_id] for user_id, branch_id in wanted.items()}


def distribution(scheme: Scheme, found: list[Row]) -> tuple[list[UnitShare], Counter]:
    units: dict[str, list[Row]] = defaultdict(list)
    for row in found:
        units[row.record.unit or row.user.branch.code].append(row)
    shares = []
    for unit, members in sorted(units.items()):
        allowed = scheme.quota.allowed(len(members)) if scheme.quota else None
        shares.append(
            UnitShare(
                unit,
                members[0].user.branch.name,
                len(members),
                Counter(r.record.band for r in members),
                allowed,
            )
        )
    return shares, Counter(r.record.band for r in found)


def branches(found: list[Row]) -> list[BranchLine]:
    grouped: dict[int, list[Row]] = defaultdict(list)
    for row in found:
        grouped[row.group.id].append(row)
    lines = []
    for members in grouped.values():
        totals = [r.record.total for r in members]
        lines.append(
            BranchLine(
                members[0].group,
                len(members),
                half_up(sum(totals) / len(totals)),
                max(totals),
                min(totals),
                Counter(r.record.band for r in members),
            )
        )
    return sorted(lines, key=lambda line: (-line.mean, line.branch.code))


def dimension_columns(scheme: Scheme) -> list[tuple[str, str]]:
    return [(d.key, d.label) for d in scheme.dimensions]


def dimension_scores(record: Record) -> dict[str, float]:
    return {d["key"]: d["contribution"] for d in record.trail.get("dimensions", [])}
