"""A period's report: ranking within each unit and across the organisation, the grade distribution
against the quota, and the branches side by side. A scoped supervisor sees their subtree only."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import contains_eager

from drill.accounts.models import Branch, User
from drill.appraisal.models import Period, Record
from drill.appraisal.rules.scheme import Scheme
from drill.extensions import db


class BranchName(NamedTuple):
    """What the report shows of a branch, read for all of them at once (`lines`)."""

    id: int
    code: str
    name: str
    path: str


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
    branch: BranchName
    count: int
    mean: float
    best: float
    worst: float
    bands: Counter = field(default_factory=Counter)


SHOWN = 30  # branches or units a report lists before it shows only the ends (or the units over quota)


def ends(lines: list, keep: int = SHOWN) -> tuple[list, int]:
    """Lines sorted best first, as a report shows them: all, or the best and the lowest `keep` // 2 of a
    province's 2,000; and how many are left out between the two (0: none)."""
    if len(lines) <= keep:
        return lines, 0
    half = keep // 2
    return lines[:half] + lines[-half:], len(lines) - 2 * half


def over_quota(shares: list[UnitShare], band: str | None) -> list[UnitShare]:
    """The units whose top band holds more people than their quota allows."""
    return [s for s in shares if band and s.allowed is not None and s.bands.get(band, 0) > s.allowed]


def half_up(value: float | Decimal, places: str = "0.1") -> float:
    return float(Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Filters:
    """What a records list is narrowed to: a branch under the head office, a grade, a name or number."""

    branch: int | None = None
    band: str = ""
    level: str = ""  # the manager's level (drill.accounts.roles.LEVELS)
    name: str = ""

    @property
    def kwargs(self) -> dict:
        """For url_for: the filters as query arguments (the pager keeps them)."""
        found = {"branch": self.branch, "band": self.band, "level": self.level, "q": self.name}
        return {k: v for k, v in found.items() if v}


def records_query(period: Period, scope: str | None, filters: Filters = Filters()) -> Select:
    """The period's records the viewer may see, with their managers and branches, best first."""
    query = (
        select(Record)
        .join(User, User.id == Record.user_id)
        .join(Branch, Branch.id == User.branch_id)
        .where(Record.period_id == period.id)
        .options(contains_eager(Record.user).contains_eager(User.branch))
        .order_by(Record.total.desc(), func.coalesce(Record.rank, 0), User.employee_no)
    )
    if scope is not None:
        query = query.where(Branch.path.startswith(scope, autoescape=True))
    if filters.branch:  # a branch path lists every id above it: "/1/3/7/"
        query = query.where(Branch.path.contains(f"/{filters.branch}/", autoescape=True))
    if filters.band:
        query = query.where(Record.band == filters.band)
    if filters.level:
        query = query.where(User.level == filters.level)
    if filters.name:
        query = query.where(
            or_(User.name.contains(filters.name, autoescape=True), User.employee_no == filters.name)
        )
    return query


def org_ranks(period: Period) -> dict[float, int]:
    """Organisation rank by total over every record of the period, whatever the viewer's scope; ties share
    a rank (1, 2, 2, 4). One grouped query: a total has one decimal, so there are at most 1,001 groups."""
    counts = db.session.execute(
        select(Record.total, func.count()).where(Record.period_id == period.id).group_by(Record.total)
    ).all()
    ranks, above = {}, 0
    for total, n in sorted(counts, key=lambda row: -row[0]):
        ranks[total] = above + 1
        above += n
    return ranks


def as_rows(period: Period, found: list[Record]) -> list[Row]:
    """Records (loaded with their managers and branches) as report rows: two more queries, any number."""
    ranks = org_ranks(period)
    groups = _groups([record.user for record in found])
    return [Row(record, record.user, ranks[record.total], groups[record.user_id]) for record in found]


def rows(period: Period, scope: str | None, filters: Filters = Filters()) -> list[Row]:
    """Every record of the period the viewer may see, best first (three queries)."""
    return as_rows(period, list(db.session.scalars(records_query(period, scope, filters))))


def page(
    period: Period,
    scope: str | None,
    filters: Filters,
    number: int | None = None,
    per_page: int = 50,
    total: int | None = None,
):
    """One page of `rows` (`number`: None reads ?page=): the pagination and its rows. `total`: how many
    records match, when the caller has counted them already (the report's `lines` do, unfiltered)."""
    query = records_query(period, scope, filters)
    found = db.paginate(query, page=number, per_page=per_page, error_out=False, count=total is None)
    if total is not None:
        found.total = total
    return found, as_rows(period, list(found.items))


def groups(period: Period, scope: str | None, filters: Filters = Filters()) -> list[Branch]:
    """The branches under the head office that hold the listed records, by code (two queries)."""
    query = records_query(period, scope, filters).with_only_columns(Branch.path, Branch.id).distinct()
    found = db.session.execute(query.order_by(None)).all()
    return sorted(_branches({group_id(path, branch_id) for path, branch_id in found}).values(), key=_code)


def stream(period: Period, scope: str | None, filters: Filters, known: list[Branch], chunk: int = 1000):
    """Every listed row, best first, read `chunk` records at a time (for the exports): the rows never all
    sit in memory, and the statements do not grow with them. `known`: the `groups` of the same list."""
    ranks = org_ranks(period)
    by_id = {branch.id: branch for branch in known}
    found = db.session.scalars(records_query(period, scope, filters).execution_options(yield_per=chunk))
    for record in found:
        user = record.user
        yield Row(record, user, ranks[record.total], by_id[group_id(user.branch.path, user.branch_id)])


def _code(branch: Branch) -> str:
    return branch.code


def _groups(users: list[User]) -> dict[int, Branch]:
    wanted = {user.id: group_id(user.branch.path, user.branch_id) for user in users}
    branches = _branches(set(wanted.values()))
    return {user_id: branches[branch_id] for user_id, branch_id in wanted.items()}


def _branches(ids: set[int]) -> dict[int, Branch]:
    return {b.id: b for b in db.session.scalars(select(Branch).where(Branch.id.in_(ids)))} if ids else {}


def group_id(path: str, branch_id: int) -> int:
    """The branch under the head office that holds the branch at `path` (itself at the top)."""
    ids = [int(p) for p in path.strip("/").split("/") if p]
    return ids[1] if len(ids) > 1 else branch_id


@dataclass(frozen=True)
class Cell:
    """The records of one branch, unit and band, summed in SQL for the distribution and the comparison."""

    unit: str
    unit_name: str
    group: BranchName  # the branch under the head office that holds them
    band: str
    count: int
    cents: int  # Σ total × 100 (totals have two decimals): the mean is exact
    best: float
    worst: float


def lines(period: Period, scope: str | None) -> list[Cell]:
    """Every record the viewer may see, summed by branch, unit and band in the database (a province's
    50,000 records come back as a few thousand cells), then named from the branches (plain rows of id,
    code, name and path; a province has 2,000): two queries, whatever the number of records. The sums
    group by the manager's branch id alone: joining the branches into them cost a third of the time on
    PostgreSQL (#14)."""
    query = (
        select(
            Record.unit,
            User.branch_id,
            Record.band,
            func.count(),
            func.sum(func.round(Record.total * 100)),
            func.max(Record.total),
            func.min(Record.total),
        )
        .join(User, User.id == Record.user_id)
        .where(Record.period_id == period.id)
        .group_by(Record.unit, User.branch_id, Record.band)
    )
    if scope is not None:
        in_scope = select(Branch.id).where(Branch.path.startswith(scope, autoescape=True))
        query = query.where(User.branch_id.in_(in_scope))
    found = db.session.execute(query).all()
    branches = db.session.execute(select(Branch.id, Branch.code, Branch.name, Branch.path))
    named = {row.id: BranchName(*row) for row in branches}
    return [
        Cell(
            named[branch_id].code if unit is None else unit,  # coalesce(unit, the branch's code)
            named[branch_id].name,
            named[group_id(named[branch_id].path, branch_id)],
            band,
            count,
            int(cents or 0),
            best,
            worst,
        )
        for unit, branch_id, band, count, cents, best, worst in found
    ]


def counted(found: list[Cell]) -> int:
    return sum(cell.count for cell in found)


def _bands(cells: list[Cell]) -> Counter:
    tally = Counter()
    for cell in cells:
        tally[cell.band] += cell.count
    return tally


def distribution(scheme: Scheme, found: list[Cell]) -> tuple[list[UnitShare], Counter]:
    units: dict[str, list[Cell]] = defaultdict(list)
    for cell in found:
        units[cell.unit].append(cell)
    shares, overall = [], Counter()
    for unit, cells in sorted(units.items()):
        members, bands = counted(cells), _bands(cells)
        overall.update(bands)
        allowed = scheme.quota.allowed(members) if scheme.quota else None
        shares.append(UnitShare(unit, min(c.unit_name for c in cells), members, bands, allowed))
    return shares, overall


def branches(found: list[Cell]) -> list[BranchLine]:
    grouped: dict[int, list[Cell]] = defaultdict(list)
    for cell in found:
        grouped[cell.group.id].append(cell)
    out = []
    for cells in grouped.values():
        people = counted(cells)
        mean = Decimal(sum(c.cents for c in cells)) / (100 * people)  # exact: half_up takes it as it is
        out.append(
            BranchLine(
                cells[0].group,
                people,
                half_up(mean),
                max(c.best for c in cells),
                min(c.worst for c in cells),
                _bands(cells),
            )
        )
    return sorted(out, key=lambda line: (-line.mean, line.branch.code))


def dimension_columns(scheme: Scheme) -> list[tuple[str, str]]:
    return [(d.key, d.label) for d in scheme.dimensions]


def dimension_scores(record: Record) -> dict[str, float]:
    return {d["key"]: d["contribution"] for d in record.trail.get("dimensions", [])}
