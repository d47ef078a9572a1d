"""Appraisal pages run as many statements for 200 rows as for 5 (#14): the manager's file (seen by a
supervisor and by the manager), a period's page, its report and XLSX export, the ratings list, the rating
grid, the level review and the bonus/deduction/veto entries. Rows are added as plain objects (the managers
never sign in: any password hash will do)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from drill.accounts.models import User, UserRole
from drill.appraisal import services
from drill.appraisal.models import LevelChange, Occurrence, Period, Rating, Record, RewardPenalty
from drill.appraisal.rules import states
from drill.database import utcnow
from tests.appraisal.world import scheme_file
from tests.querycount import assert_same_queries, page_queries

SMALL, LARGE = 5, 200


@pytest.fixture
def admin(make_user):
    return make_user("a001", roles={"admin"}, branch="head", name="考核管理员")


@pytest.fixture
def period(db, admin):
    """The bank scheme's 2025 Q1, open."""
    period = services.create_period(scheme_file("bank-manager"), "quarterly", 2025, 1, admin)
    db.session.commit()
    return period


def managers(db, org, first: int, n: int) -> list[User]:
    """n bank managers, in 东城一网点 and 西山一网点 by turns."""
    people = [
        User(
            employee_no=f"p{first + i:05d}",
            name=f"经理{first + i}",
            password_hash="-",
            branch_id=org["east1" if i % 2 else "west1"].id,
            category="personal",
            level="junior",
        )
        for i in range(n)
    ]
    for person in people:
        person.role_rows = [UserRole(role="manager")]
    db.session.add_all(people)
    db.session.flush()
    return people


def trail(person: User, total: float) -> dict:
    """Enough of a record's trail for the pages: two dimensions' contributions and no veto."""
    return {
        "manager": person.employee_no,
        "scheme": "bank-manager",
        "version": 1,
        "dimensions": [
            {"key": "business", "label": "业绩", "weight": 60, "score": total, "contribution": total * 0.6},
            {"key": "skill", "label": "技能", "weight": 40, "score": total, "contribution": total * 0.4},
        ],
        "vetoes": [],
    }


def record(period: Period, person: User, total: float, band: str = "good") -> Record:
    return Record(
        period_id=period.id,
        user_id=person.id,
        total=total,
        band=band,
        vetoed=False,
        unit=None,
        rank=1,
        unit_size=1,
        trail=trail(person, total),
        computed_at=utcnow(),
    )


def grow_period(db, org, admin, period: Period, first: int, n: int) -> None:
    """n more managers, each with a record, a rating, an entry and a pending level change in the period."""
    people = managers(db, org, first, n)
    now = utcnow()
    db.session.add_all(record(period, p, 50 + (i % 50)) for i, p in enumerate(people))
    db.session.add_all(
        Rating(
            period_id=period.id,
            user_id=p.id,
            item_key="attitude",
            value=4,
            comment="好",
            rater_id=admin.id,
            updated_at=now,
        )
        for p in people
    )
    db.session.add_all(
        Occurrence(
            period_id=period.id,
            user_id=p.id,
            kind="bonus",
            item_key="commendation",
            note="创新",
            entered_by_id=admin.id,
        )
        for p in people
    )
    db.session.add_all(
        LevelChange(
            user_id=p.id,
            category="personal",
            from_level="junior",
            to_level="intermediate",
            direction="up",
            reason=[],
            periods=[],
            proposed_on=date(2025, 4, 1),
        )
        for p in people
    )
    db.session.commit()


PERIOD_PAGES = (
    "/appraisal/periods/{id}",
    "/appraisal/periods/{id}/report",
    "/appraisal/periods/{id}/ratings",
    "/appraisal/periods/{id}/grid",
    "/appraisal/periods/{id}/occurrences",
    "/appraisal/levels",
)


@pytest.mark.parametrize("url", PERIOD_PAGES)
def test_a_period_page_runs_as_many_statements_for_200_managers_as_for_5(
    db, org, client, login, admin, period, url
):
    grow_period(db, org, admin, period, 0, SMALL)
    login(admin)
    path = url.format(id=period.id)
    small = page_queries(db, client, path)
    grow_period(db, org, admin, period, SMALL, LARGE - SMALL)
    large = page_queries(db, client, path)
    assert_same_queries(small, large)


def test_the_xlsx_export_runs_as_many_statements_for_200_records_as_for_5(
    db, org, client, login, admin, period
):
    grow_period(db, org, admin, period, 0, SMALL)
    login(admin)
    path = f"/appraisal/periods/{period.id}/export.xlsx"
    small = page_queries(db, client, path)
    grow_period(db, org, admin, period, SMALL, LARGE - SMALL)
    large = page_queries(db, client, path)
    assert_same_queries(small, large)


def grow_file(db, person: User, admin: User, version_id: int, first: int, n: int) -> None:
    """n more published quarters with a record of `person`, a reward, an entry and a decided level change."""
    start = date(2000, 1, 1)
    periods = []
    for i in range(first, first + n):
        begins = start + timedelta(days=92 * i)
        periods.append(
            Period(
                scheme_id="bank-manager",
                scheme_version_id=version_id,
                kind="quarterly",
                label=f"Q{i}",
                starts_on=begins,
                ends_on=begins + timedelta(days=90),
                state=states.PUBLISHED,
                created_by_id=admin.id,
            )
        )
    db.session.add_all(periods)
    db.session.flush()
    db.session.add_all(record(p, person, 60 + i % 40) for i, p in enumerate(periods))
    db.session.add_all(
        Occurrence(
            period_id=p.id,
            user_id=person.id,
            kind="bonus",
            item_key="commendation",
            note="创新",
            entered_by_id=admin.id,
        )
        for p in periods
    )
    db.session.add_all(
        RewardPenalty(
            user_id=person.id, kind="reward", title=f"表彰{i}", awarded_on=start, entered_by_id=admin.id
        )
        for i in range(first, first + n)
    )
    db.session.add_all(
        LevelChange(
            user_id=person.id,
            category="personal",
            from_level="junior",
            to_level="intermediate",
            direction="up",
            reason=[],
            periods=[],
            state="rejected",
            proposed_on=start,
            decided_by_id=admin.id,
            decision_note="不",
        )
        for _ in range(n)
    )
    db.session.commit()


@pytest.mark.parametrize("viewer", ["supervisor", "self"])
def test_the_managers_file_runs_as_many_statements_for_200_records_as_for_5(
    db, org, client, login, admin, period, make_user, viewer
):
    person = make_user("m001", name="周经理")
    version_id = db.session.scalar(select(Period.scheme_version_id).where(Period.id == period.id))
    grow_file(db, person, admin, version_id, 0, SMALL)
    login(admin if viewer == "supervisor" else person)
    path = f"/appraisal/people/{person.id}"
    small = page_queries(db, client, path)
    grow_file(db, person, admin, version_id, SMALL, LARGE - SMALL)
    large = page_queries(db, client, path)
    assert_same_queries(small, large)


def test_my_file_sends_the_manager_to_their_file(client, login, make_user):
    person = make_user("m001")
    login(person)
    assert client.get("/appraisal/me").headers["Location"].endswith(f"/appraisal/people/{person.id}")
