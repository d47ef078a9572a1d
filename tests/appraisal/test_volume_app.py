"""Appraisal at real volume: a level change proposed by hand (with a reason) is approved like a rule's;
the levels page shows the rules in words and why the rules propose nothing for a manager; a period that
has not started is refused for computing and never used by the level rules."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from drill.accounts.models import User
from drill.appraisal import entry, period_records, services
from drill.appraisal.models import LevelChange, Period, Record
from drill.appraisal.rules.levels import Graded, assess
from drill.appraisal.services import AppraisalError
from drill.extensions import db
from tests.appraisal.helpers import quarter, shipped_rules
from tests.appraisal.test_bank_app import B001, OTHER_RATINGS
from tests.appraisal.world import labels_of, rate_all, scheme_file, sheet_csv


@pytest.fixture
def people(make_user):
    return {
        "admin": make_user("A01", roles={"admin"}, branch="head", name="管理小组"),
        "other": make_user("A02", roles={"admin"}, branch="head", name="第二位管理员"),
        "m1": make_user("M001", branch="east1", category="personal", level="intermediate", name="张经理"),
        "m2": make_user("M002", branch="west1", category="personal", level="junior", name="李经理"),
    }


def test_a_level_change_proposed_by_hand_is_approved_by_another_admin(client, login, people):
    admin, other = people["admin"], people["other"]
    login(admin)
    page = client.get("/appraisal/levels").get_data(as_text=True)
    assert "连续 4 个季度" in page or "4 consecutive" in page  # the rules, in words
    assert "张经理" in page and "why-none" in page
    refused = client.post(
        "/appraisal/levels/by-hand", data={"employee_no": "M001", "to_level": "junior", "reason": " "}
    )
    assert refused.status_code == 422 and db.session.scalar(select(LevelChange)) is None
    jump = client.post(
        "/appraisal/levels/by-hand", data={"employee_no": "M002", "to_level": "senior", "reason": "调岗"}
    )
    assert jump.status_code == 422 and db.session.scalar(select(LevelChange)) is None
    made = client.post(
        "/appraisal/levels/by-hand",
        data={"employee_no": "M001", "to_level": "junior", "reason": "客户投诉经查属实，管理小组决定降级"},
    )
    assert made.status_code == 302
    change = db.session.scalar(select(LevelChange))
    assert (change.state, change.direction, change.to_level) == ("proposed", "down", "junior")
    again = client.post(
        "/appraisal/levels/by-hand", data={"employee_no": "M001", "to_level": "junior", "reason": "再次提出"}
    )
    assert again.status_code == 422 and len(db.session.scalars(select(LevelChange)).all()) == 1
    page = client.get("/appraisal/levels").get_data(as_text=True)
    assert "客户投诉经查属实" in page and "own-proposal" in page  # four eyes: the proposer does not approve
    client.post("/logout")
    login(other)
    assert "data-confirm=" in client.get("/appraisal/levels").get_data(as_text=True)  # asked before approving
    today = datetime.now(UTC).date().isoformat()
    client.post(f"/appraisal/levels/{change.id}/decide", data={"effective_date": today, "approve": "y"})
    db.session.expire_all()
    assert db.session.get(LevelChange, change.id).state == "approved"


def test_a_period_that_has_not_started_is_refused_for_computing(client, login, people):
    admin = people["admin"]
    period = services.create_period(scheme_file("bank-manager"), "quarterly", 2027, 1, admin)
    db.session.commit()
    with pytest.raises(AppraisalError) as refused:
        period_records.compute_period(period, admin, datetime(2026, 12, 7, 3, tzinfo=UTC), date(2026, 12, 7))
    assert "2027-01-01" in str(refused.value.params)
    login(admin)
    page = client.get(f"/appraisal/periods/{period.id}").get_data(as_text=True)
    token_free = client.post(f"/appraisal/periods/{period.id}/compute", follow_redirects=True)
    text = token_free.get_data(as_text=True)
    assert "2027-01-01" in text and db.session.get(Period, period.id).state == "open"
    assert page


def test_the_level_rules_ignore_a_period_that_has_not_started():
    rules = shipped_rules()
    future = Graded(quarter(2027, 1), "fail", vetoed=True)
    proposal, why = assess(rules, [future], [], "intermediate", "personal", date(2026, 12, 7))
    assert proposal is None and why
    proposal, _ = assess(rules, [future], [], "intermediate", "personal", date(2027, 1, 2))
    assert proposal is not None and proposal.direction == "down"


def test_an_admin_cannot_propose_for_a_manager_outside_their_branches(client, login, make_user, people):
    scoped = make_user("A09", roles={"admin"}, branch="west1", scope_branch="west1")
    login(scoped)
    response = client.post(
        "/appraisal/levels/by-hand", data={"employee_no": "M001", "to_level": "junior", "reason": "调岗"}
    )
    assert response.status_code == 422 and db.session.scalar(select(LevelChange)) is None
    assert db.session.scalar(select(User).where(User.employee_no == "M001")).level == "intermediate"


def test_the_record_says_where_each_number_comes_from_in_words(client, login, people):
    admin, m1 = people["admin"], people["m1"]
    period = services.create_period(scheme_file("bank-manager"), "quarterly", 2025, 1, admin)
    labels = labels_of("bank-manager")
    rows = {u.employee_no: {labels[k]: v for k, v in B001.items()} for u in (m1, people["m2"])}
    now = datetime(2025, 4, 2, tzinfo=UTC)
    entry.import_indicators(period, "q1.csv", sheet_csv(list(labels.values()), rows), admin, now)
    for manager in (m1, people["m2"]):
        rate_all(period, manager, OTHER_RATINGS, admin)
    assert period_records.compute_period(period, admin, now).ok
    db.session.commit()
    record = db.session.scalar(select(Record).where(Record.user_id == m1.id))
    login(admin)
    page = client.get(f"/appraisal/records/{record.id}").get_data(as_text=True)
    # 存款 1300 of 1000 with the cap 1.2: completion 130% above the cap
    assert "完成率 130%，超过上限 120%，按 120% 计，得 100.0 分" in page
    assert "指标表第 2 行" in page or "指标表第 3 行" in page
    assert "主管评分" in page and "评分 3（满分 5）" in page
    for raw in ("import ", " row ", "rating ", "min(", "create", "band:", "item:"):
        assert raw not in page.split('id="trail"', 1)[1], raw


def test_the_levels_page_says_why_for_a_page_of_managers_at_a_time_and_finds_one_by_number(
    client, login, make_user
):
    login(make_user("A01", roles={"admin"}, branch="head", name="管理小组"))
    for n in range(55):
        make_user(f"M{n:03d}", branch="east1", category="personal", level="junior", name=f"经理{n:03d}")
    first = client.get("/appraisal/levels").get_data(as_text=True)
    assert "客户经理第 1–50 位，共 55 位" in first
    assert "(M049)" in first and "(M050)" not in first
    second = client.get("/appraisal/levels?page=2").get_data(as_text=True)
    assert "(M050)" in second and "(M054)" in second and "(M049)" not in second
    found = client.get("/appraisal/levels?q=M052").get_data(as_text=True)
    assert "(M052)" in found and "(M051)" not in found and "共 1 位" in found
    assert "没有符合条件的客户经理" in client.get("/appraisal/levels?q=nobody").get_data(as_text=True)
