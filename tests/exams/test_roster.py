"""The overview lists candidates with SQL (#14); it must pick exactly the people `services.eligible` does."""

import itertools

import pytest
from sqlalchemy import select

from drill.accounts.models import User, UserRole
from drill.exams import services


@pytest.fixture
def people(db, org):
    """Every mix of branch, category, level, role and active flag, as plain rows."""
    made = []
    mixes = itertools.product(
        ["head", "east", "east1", "west", "west1"],
        ["personal", "corporate", None],
        ["junior", "intermediate", None],
        [{"manager"}, {"trainer"}, {"manager", "trainer"}],
        [True, False],
    )
    for n, (branch, category, level, roles, active) in enumerate(mixes):
        person = User(
            employee_no=f"e{n:04d}", name=f"人{n}", password_hash="-", branch_id=org[branch].id,
            category=category, level=level, active=active,
        )  # fmt: skip
        person.role_rows = [UserRole(role=role) for role in sorted(roles)]
        made.append(person)
    db.session.add_all(made)
    db.session.commit()
    return made


@pytest.mark.parametrize(
    "rules",
    [
        {},
        {"branches": ["east"]},
        {"branches": ["east1", "west"], "categories": ["personal"]},
        {"levels": ["junior"], "categories": ["personal", "corporate"]},
        {"branches": ["head"], "levels": ["intermediate"]},
        {"branches": [999_999]},  # a branch since deleted: nobody
    ],
)
def test_the_candidates_sql_picks_exactly_the_eligible_active_managers(db, org, people, make_exam, rules):
    if rules.get("branches"):
        rules = {**rules, "branches": [org[b].id if isinstance(b, str) else b for b in rules["branches"]]}
    exam = make_exam(eligible=rules)
    everyone = db.session.scalars(select(User).where(User.employee_no.like("e%"))).all()
    expected = sorted(
        u.employee_no for u in everyone if u.active and "manager" in u.roles and services.eligible(exam, u)
    )
    assert [u.employee_no for u in services.candidates(exam) if u.employee_no.startswith("e")] == expected
