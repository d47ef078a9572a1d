"""A period's life: computing is blocked while evidence is missing, a recompute audits what changed, the
states only move forward, and nothing changes once the period is published."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from drill.appraisal import entry, period_records, services
from drill.appraisal.models import AuditLog, Period, Rating, Record
from drill.appraisal.rules import states
from drill.appraisal.services import AppraisalError
from drill.extensions import db
from tests.appraisal.test_bank_app import B001, OTHER_RATINGS
from tests.appraisal.world import labels_of, rate_all, scheme_file, sheet_csv

NOW = datetime(2025, 4, 2, tzinfo=UTC)


@pytest.fixture
def setup(db, make_user):
    admin = make_user("A01", roles={"admin"}, branch="head", name="管理员甲", locale="en")
    m1 = make_user("M001", branch="east1", name="周经理")
    m2 = make_user("M002", branch="west1", name="吴经理")
    period = services.create_period(scheme_file("bank-manager"), "quarterly", 2025, 1, admin)
    db.session.commit()
    return admin, m1, m2, period


def state(period) -> str:
    db.session.expire_all()
    return db.session.get(Period, period.id).state


def sheet(numbers):
    labels = labels_of("bank-manager")
    return sheet_csv(list(labels.values()), {n: {labels[k]: v for k, v in B001.items()} for n in numbers})


def test_computing_is_blocked_with_every_reason_while_evidence_is_missing(client, login, setup):
    admin, m1, m2, period = setup
    login(admin)
    response = client.post(f"/appraisal/periods/{period.id}/compute")
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "no indicator sheet has been imported for 2025-Q1" in page
    assert "周经理 (M001) has no 职业道德评价" in page and "吴经理 (M002)" in page
    entry.import_indicators(period, "q1.csv", sheet(["M001", "M002"]), admin, NOW)
    rate_all(period, m1, OTHER_RATINGS, admin)
    db.session.commit()
    page = client.post(f"/appraisal/periods/{period.id}/compute").get_data(as_text=True)
    assert (
        "M001) has no" not in page and "吴经理 (M002) has no 职业道德评价、基础管理工作评价、思维能力" in page
    )
    assert db.session.scalar(select(func.count(Record.id))) == 0
    assert state(period) == "open"
    rate_all(period, m2, OTHER_RATINGS, admin)
    db.session.commit()
    assert client.post(f"/appraisal/periods/{period.id}/compute").status_code == 302
    assert db.session.scalar(select(func.count(Record.id))) == 2
    assert state(period) == "computed"


def test_a_recompute_audits_each_record_that_changed(client, login, setup):
    admin, m1, m2, period = setup
    entry.import_indicators(period, "q1.csv", sheet(["M001", "M002"]), admin, NOW)
    rate_all(period, m1, OTHER_RATINGS, admin)
    rate_all(period, m2, OTHER_RATINGS, admin)
    assert period_records.compute_period(period, admin, NOW).ok
    db.session.commit()
    before = db.session.scalar(select(Record).where(Record.user_id == m1.id)).total
    login(admin)
    ratings = {"value_ethics_rating": 100, "comment_ethics_rating": "拒收客户红包并主动报告"}
    assert client.post(f"/appraisal/periods/{period.id}/ratings/{m1.id}", data=ratings).status_code == 302
    audit = db.session.scalars(
        select(AuditLog).where(AuditLog.entity == "rating", AuditLog.action == "update")
    ).one()
    assert (audit.old["value"], audit.new["value"], audit.reason) == (80, 100, "拒收客户红包并主动报告")
    assert audit.actor_id == admin.id and audit.subject_id == m1.id
    assert client.post(f"/appraisal/periods/{period.id}/compute").status_code == 302
    row = db.session.scalar(select(Record).where(Record.user_id == m1.id))
    # 职业道德 10%: 80 → 100 on 0–100 adds 20 × 10% = 2.00 points
    assert row.total == round(before + 2.0, 1)
    changed = db.session.scalars(
        select(AuditLog).where(AuditLog.entity == "record", AuditLog.action == "update")
    ).all()
    assert [(c.subject_id, c.old["total"], c.new["total"]) for c in changed] == [(m1.id, before, row.total)]
    # the withdrawn entry and the added one are audited with their why
    occurrence = entry.add_occurrence(period, m2, "veto", "major_complaint", 1, "重大投诉", admin)
    entry.withdraw_occurrence(occurrence, period, admin, "投诉经核实不成立", NOW)
    db.session.commit()
    actions = db.session.scalars(
        select(AuditLog).where(AuditLog.entity == "occurrence").order_by(AuditLog.id)
    )
    assert [(a.action, a.reason) for a in actions] == [
        ("create", "重大投诉"),
        ("withdraw", "投诉经核实不成立"),
    ]


def test_the_states_move_forward_only_and_a_published_period_is_frozen(client, login, setup):
    admin, m1, m2, period = setup
    entry.import_indicators(period, "q1.csv", sheet(["M001", "M002"]), admin, NOW)
    for manager in (m1, m2):
        rate_all(period, manager, OTHER_RATINGS, admin)
    db.session.commit()
    login(admin)
    # open → computed only by computing; no skipping ahead
    for target in ("computed", "published", "locked"):
        client.post(f"/appraisal/periods/{period.id}/move", data={"target": target})
        assert state(period) == "open"
    client.post(f"/appraisal/periods/{period.id}/compute")
    for target in ("reviewed", "published"):
        client.post(f"/appraisal/periods/{period.id}/move", data={"target": target})
    assert state(period) == "published"
    for target in ("open", "computed", "reviewed"):
        client.post(f"/appraisal/periods/{period.id}/move", data={"target": target})
        assert state(period) == "published"
    with pytest.raises(AppraisalError):
        services.move(db.session.get(Period, period.id), states.REVIEWED, admin, NOW)
    # Published: no recompute, no rating, no entry
    total = db.session.scalar(select(Record).where(Record.user_id == m1.id)).total
    client.post(f"/appraisal/periods/{period.id}/compute")
    ratings = {"value_ethics_rating": 10, "comment_ethics_rating": "改分"}
    client.post(f"/appraisal/periods/{period.id}/ratings/{m1.id}", data=ratings)
    db.session.expire_all()
    assert db.session.scalar(select(Record).where(Record.user_id == m1.id)).total == total
    assert (
        db.session.scalar(
            select(Rating).where(Rating.user_id == m1.id, Rating.item_key == "ethics_rating")
        ).value
        == 80
    )
    with pytest.raises(AppraisalError):
        entry.add_occurrence(db.session.get(Period, period.id), m1, "veto", "major_complaint", 1, "x", admin)
    client.post(f"/appraisal/periods/{period.id}/move", data={"target": "locked"})
    assert state(period) == "locked"
    assert states.TRANSITIONS["locked"] == frozenset()
    moves = db.session.scalars(
        select(AuditLog).where(AuditLog.entity == "period", AuditLog.action == "state")
    )
    assert [(m.old["state"], m.new["state"]) for m in moves] == [
        ("open", "computed"),
        ("computed", "reviewed"),
        ("reviewed", "published"),
        ("published", "locked"),
    ]


def test_a_year_waits_for_its_quarters_to_be_published(client, login, setup):
    admin, m1, _m2, _quarter = setup
    year = services.create_period(scheme_file("bank-manager"), "annual", 2025, 1, admin)
    db.session.commit()
    login(admin)
    page = client.post(f"/appraisal/periods/{year.id}/compute").get_data(as_text=True)
    assert "period 2025-Q1 is not published yet" in page and "period 2025-Q4 has not been opened" in page
    assert state(year) == "open"
    # A rolled-up period takes no sheet and no ratings, only vetoes
    with pytest.raises(AppraisalError):
        entry.import_indicators(year, "y.csv", sheet(["M001"]), admin, NOW)
    with pytest.raises(AppraisalError):
        entry.add_occurrence(year, m1, "bonus", "commendation", 1, "表扬", admin)
    entry.add_occurrence(year, m1, "veto", "disciplinary_action", 1, "受处分", admin)


def test_a_scheme_file_changed_without_a_new_version_is_refused(setup):
    file = scheme_file("bank-manager")
    changed = services.SchemeFile(file.name, file.text.replace("cap: 1.2}", "cap: 1.3}", 1), file.scheme)
    with pytest.raises(AppraisalError, match="raise its version"):
        services.store_version(changed)
    assert services.store_version(file).checksum == services.checksum(file.text)
