"""The annual roll-up is a bulk job (#14): its statements do not grow with the managers, and reading only
the totals, grades, vetoes and tie keys of the finer records (in SQL) grades exactly as reading their whole
trails did. Records are added as plain rows, with trails shaped as the pure rules write them."""

from dataclasses import asdict
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from drill.accounts.models import User
from drill.appraisal import evidence, period_records, services
from drill.appraisal.models import AuditLog, Period, Record
from drill.appraisal.rules import records, states
from drill.appraisal.rules.rollup import compute, roll_up
from tests.appraisal.helpers import shipped_scheme
from tests.appraisal.test_query_counts import managers
from tests.appraisal.world import scheme_file
from tests.querycount import assert_same_queries, counted

NOW = datetime(2026, 1, 10, 2, tzinfo=UTC)


@pytest.fixture
def admin(make_user):
    return make_user("a001", roles={"admin"}, branch="head", name="考核管理员")


@pytest.fixture
def year(db, admin):
    """The bank scheme's four quarters of 2025, published, and its annual period, open."""
    file = scheme_file("bank-manager")
    quarters = [services.create_period(file, "quarterly", 2025, q, admin) for q in (1, 2, 3, 4)]
    for quarter in quarters:
        quarter.state = states.PUBLISHED
    annual = services.create_period(file, "annual", 2025, 1, admin)
    db.session.commit()
    return quarters, annual


def trail(scheme, person, quarter: Period, total: float, n: int) -> dict:
    """A finer record's trail as records.Record.as_dict writes it: every dimension, sometimes a veto."""
    dimensions = [
        {
            "key": d.key,
            "label": d.label,
            "weight": d.weight,
            "score": total,
            "contribution": round(total * d.weight / 100 - (n % 3) * 0.01 * i, 2),
            "items": [],
        }
        for i, d in enumerate(scheme.dimensions)
    ]
    vetoes = (
        [{"item": "major_complaint", "count": 1, "note": "投诉", "ref": f"occurrence {n}"}]
        if n % 17 == 0
        else []
    )
    return {
        "manager": person.employee_no,
        "period": {"kind": "quarterly", "label": quarter.label},
        "scheme": "bank-manager",
        "version": scheme.version,
        "dimensions": dimensions,
        "vetoes": vetoes,
    }


def grow(db, org, quarters, first: int, n: int) -> None:
    scheme = services.scheme_of(quarters[0])
    for person in managers(db, org, first, n):
        for q, quarter in enumerate(quarters):
            k = person.id * 7 + q
            total = float(60 + k % 40) if k % 5 else 75.0  # ties, to exercise the tie keys
            db.session.add(
                Record(
                    period_id=quarter.id,
                    user_id=person.id,
                    total=total,
                    band="good",
                    vetoed=k % 17 == 0,
                    unit="E1",
                    rank=1,
                    unit_size=1,
                    trail=trail(scheme, person, quarter, total, k),
                    computed_at=NOW,
                )
            )
    db.session.commit()


def by_whole_trails(annual: Period, quarters: list[Period]) -> list[records.Record]:
    """The roll-up as it was: every finer record's whole trail read into the pure rules."""
    scheme = services.scheme_of(annual)
    parts = []
    for quarter in quarters:
        for row in db_rows(quarter):
            t = row.trail
            part = records.Record(t["manager"], services.pure_period(quarter), t["scheme"], t["version"])
            part.total, part.band = row.total, row.band
            part.vetoes = [
                records.Occurrence(v["item"], v.get("count", 1), v.get("note", ""), v.get("ref", ""))
                for v in t.get("vetoes", [])
            ]
            part.dimensions = [
                records.DimensionTrail(d["key"], d["label"], d["weight"], d["score"], d["contribution"], ())
                for d in t.get("dimensions", [])
            ]
            parts.append(part)
    people = evidence.roster(scheme)
    return roll_up(scheme, services.pure_period(annual), parts, evidence.unit_members(people), {})


def db_rows(period: Period) -> list[Record]:
    from drill.extensions import db

    return list(db.session.scalars(select(Record).where(Record.period_id == period.id)))


def stored(db, annual: Period) -> dict[int, tuple]:
    rows = db.session.scalars(select(Record).where(Record.period_id == annual.id))
    return {r.user_id: (r.total, r.band, r.vetoed, r.unit, r.rank, r.unit_size, r.trail) for r in rows}


def test_the_annual_roll_up_runs_as_many_statements_for_200_managers_as_for_5_and_grades_as_before(
    db, org, admin, year
):
    quarters, annual = year
    grow(db, org, quarters, 0, 5)
    annual_id, admin_id = annual.id, admin.id

    def compute():
        db.session.expire_all()  # both runs start from the same session state
        annual, by = db.session.get(Period, annual_id), db.session.get(User, admin_id)
        with counted(db) as statements:
            outcome = period_records.compute_period(annual, by, NOW)
        return outcome, statements

    outcome, small = compute()
    assert outcome.ok
    db.session.rollback()
    grow(db, org, quarters, 5, 195)
    expected = {r.manager: r for r in by_whole_trails(annual, quarters)}
    outcome, large = compute()
    annual = db.session.get(Period, annual_id)
    assert outcome.ok and outcome.created == 200
    assert_same_queries(small, large)
    db.session.commit()
    numbers = {p.id: p.employee_no for p in evidence.roster(services.scheme_of(annual))}
    found = stored(db, annual)
    assert len(found) == 200
    for user_id, (total, band, vetoed, unit, rank, size, trail) in found.items():
        want = expected[numbers[user_id]]
        assert (total, band, vetoed, unit, rank, size) == (
            want.total,
            want.band,
            want.vetoed,
            want.unit,
            want.rank,
            want.unit_size,
        )
        assert trail == want.as_dict()
    audited = db.session.scalars(
        select(AuditLog).where(AuditLog.entity == "record", AuditLog.period_id == annual.id)
    ).all()
    assert sorted(a.entity_id for a in audited) == sorted(
        db.session.scalars(select(Record.id).where(Record.period_id == annual.id))
    )
    assert {a.action for a in audited} == {"create"} and all(a.actor_id == admin.id for a in audited)


def test_a_recompute_changes_and_removes_in_bulk_and_audits_each(db, org, admin, year):
    quarters, annual = year
    grow(db, org, quarters, 0, 6)
    assert period_records.compute_period(annual, admin, NOW).created == 6
    db.session.commit()
    gone = db.session.scalars(select(Record).where(Record.period_id == quarters[0].id)).first()
    changed = db.session.scalars(select(Record).where(Record.period_id == quarters[1].id)).all()[1:3]
    for row in changed:
        row.total, row.trail = 5.0, {**row.trail}
    db.session.get(User, gone.user_id).active = False
    db.session.commit()
    outcome = period_records.compute_period(annual, admin, NOW)
    db.session.commit()
    # the two managers' annual totals change, and with them, maybe, the ranks in their units
    assert outcome.created == 0 and outcome.changed >= 2 and outcome.removed == 1
    actions = db.session.scalars(
        select(AuditLog.action).where(
            AuditLog.entity == "record", AuditLog.period_id == annual.id, AuditLog.action != "create"
        )
    ).all()
    assert sorted(actions) == ["delete", *["update"] * outcome.changed]
    assert len(stored(db, annual)) == 5


def _reference(value):
    """Record.as_dict as it was written first: plain(dataclasses.asdict(record))."""
    if isinstance(value, dict) and set(value) == {"template", "params"}:
        return {"text": value["template"] % value["params"], **value}
    if isinstance(value, dict):
        return {k: _reference(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_reference(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


@pytest.mark.parametrize("name", ["bank-scheme.yaml", "tobacco-scheme.yaml"])
def test_a_trail_is_what_plain_asdict_gave(name):
    scheme = shipped_scheme(name)
    kind = next(k for k, rule in scheme.periods.items() if rule.source == "evidence")
    period = records.Period(kind, date(2025, 1, 1), date(2025, 3, 31), "2025-Q1")
    evidence_of = {
        f"V{v}": records.ManagerEvidence(
            bonus=[records.Occurrence(scheme.bonus.items[0].key, 3, "表扬", "occurrence 1")],
            vetoes=[records.Occurrence(scheme.vetoes[0].key, 1, "投诉", "occurrence 2")] if v % 2 else [],
        )
        for v in range(6)
    }
    units = {"U": list(evidence_of)}
    computed = compute(scheme, records.Evidence(period, evidence_of), units)
    year = records.Period("annual", date(2025, 1, 1), date(2025, 12, 31), "2025")
    for record in computed + roll_up(scheme, year, computed, units, {}):
        assert record.as_dict() == _reference(asdict(record))


def test_a_large_roll_up_on_postgresql_refreshes_the_planners_statistics(db, org, admin, year, monkeypatch):
    """The period page opens right after the compute button: the planner must know the new records then
    (it took 50,000 for one and joined them row by row), not a minute later when autovacuum comes round."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's (set DRILL_TEST_DATABASE_URL)")
    from sqlalchemy import func, text

    monkeypatch.setattr(period_records, "STATISTICS_AFTER", 5)  # 1,000 records in production
    quarters, annual = year
    grow(db, org, quarters, 0, 6)
    assert period_records.compute_period(annual, admin, NOW).created == 6
    db.session.commit()
    rows = db.session.scalar(select(func.count(Record.id)))
    estimate = db.session.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'appraisal_records'"))
    assert estimate == rows
