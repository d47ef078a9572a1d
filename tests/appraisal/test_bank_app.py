"""A bank quarter with every kind of evidence: the sheet, ratings, drills, a released exam, a published
competition, a bonus and a deduction — computed by hand below; an unreleased exam counts for nothing."""

import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from drill.appraisal import entry, evidence
from drill.appraisal.models import Period, Record
from drill.appraisal.rules import records
from tests.appraisal.world import (
    drill,
    import_shipped_quizzes,
    labels_of,
    published_competition,
    rate_all,
    released_exam,
    sheet_csv,
    versions,
)

NOW = datetime(2025, 4, 3, 8, tzinfo=UTC)
B001 = {
    "deposit_actual": 1300, "deposit_target": 1000, "loan_actual": 900, "loan_target": 1000,
    "interest_collected": 95, "interest_due": 100, "npl_ratio": 2, "post_loan_rate": 90, "file_rate": 100,
    "satisfaction": 92, "complaints": 1,
}  # fmt: skip
OTHER = {**B001, "deposit_actual": 800, "loan_actual": 700, "satisfaction": 80, "complaints": 3}
RATINGS = {
    "ethics_rating": 90,
    "management_rating": 80,
    "thinking": 4,
    "action": 5,
    "management_ability": 3,
    "attitude": 4,
}
OTHER_RATINGS = {
    "ethics_rating": 80,
    "management_rating": 70,
    "thinking": 3,
    "action": 3,
    "management_ability": 3,
    "attitude": 3,
}


@pytest.fixture
def bank(make_user):
    return {
        "admin": make_user("A01", roles={"admin"}, branch="head", name="管理小组"),
        "b1": make_user("B001", branch="east1", name="赵行一", locale="en"),
        "b2": make_user("B002", branch="east1", name="钱行二"),
        "b3": make_user("B003", branch="west1", name="孙行三"),
    }


def test_a_bank_quarter_with_exams_and_competitions_matches_the_hand_computation(client, db, login, bank):
    import_shipped_quizzes()
    admin, b1, b2, b3 = bank["admin"], bank["b1"], bank["b2"], bank["b3"]
    first, second = versions(2)
    login(admin)
    client.post(
        "/appraisal/periods/new",
        data={"scheme": "bank-manager", "kind": "quarterly", "year": 2025, "number": 1},
    )
    period = db.session.scalar(select(Period).where(Period.label == "2025-Q1"))
    labels = labels_of("bank-manager")
    rows = {"B001": B001, "B002": OTHER, "B003": OTHER}
    data = sheet_csv(
        list(labels.values()), {n: {labels[k]: v for k, v in r.items()} for n, r in rows.items()}
    )
    response = client.post(
        f"/appraisal/periods/{period.id}/import",
        data={"sheet": (io.BytesIO(data), "2025Q1.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    rate_all(period, b1, RATINGS, admin)
    for manager in (b2, b3):
        rate_all(period, manager, OTHER_RATINGS, admin)
    for day, score in ((date(2025, 1, 8), 8), (date(2025, 2, 12), 9), (date(2025, 3, 20), 7)):
        drill(b1, day, score)
    drill(b1, date(2024, 12, 31), 2)  # the day before the quarter: not counted
    exam, exam_attempt, _ = released_exam(
        admin, b1, date(2025, 2, 20), [(first.id, 50, 40), (second.id, 50, 45)], "intermediate", "personal"
    )
    hidden, _, _ = released_exam(
        admin, b2, date(2025, 2, 21), [(first.id, 100, 95)], "intermediate", "personal"
    )
    hidden.released_at = None  # results not released: the exam keeps them
    competition = published_competition(admin, [(b1, 90), (b2, 80), (b3, 70)], date(2025, 3, 15))
    entry.add_occurrence(period, b1, "bonus", "commendation", 3, "三次受表扬", admin)
    entry.add_occurrence(period, b1, "deduction", "late_report", 1, "月报迟报", admin)
    db.session.commit()

    assert client.post(f"/appraisal/periods/{period.id}/compute").status_code == 302
    row = db.session.scalar(select(Record).where(Record.period_id == period.id, Record.user_id == b1.id))
    items = {i["key"]: (i["points"], i["weighted"]) for d in row.trail["dimensions"] for i in d["items"]}
    dims = {d["key"]: (d["score"], d["contribution"]) for d in row.trail["dimensions"]}
    # 业绩指标 35%: 存款 1300/1000 = 1.3 → capped 1.2 → 100.00 × 40% = 40.00; 贷款 900/1000 = 0.9 → 0.9/1.2
    #   = 75.00 × 40% = 30.00; 利息 95/100 = 0.95 (cap 1) → 95.00 × 20% = 19.00 → 89.00 × 35% = 31.15
    assert dims["performance"] == (89, 31.15)
    # 职业道德 10%: rating 90 on 0–100 → 90.00 → 9.00; 基础管理 10%: 80 → 8.00
    assert dims["ethics"] == (90, 9) and dims["basic_management"] == (80, 8)
    # 信贷 15%: 不良率 2% between (1, 100) and (3, 60) → 80.00 × 40% = 32.00; 贷后 90 × 35% = 31.50;
    #   档案 100 × 25% = 25.00 → 88.50 × 15% = 13.275 → 13.28 (half up)
    assert dims["credit"] == (88.5, 13.28)
    # 服务质量 10%: 满意度 92 × 60% = 55.20; 1 complaint on (0, 100)–(5, 0) → 80.00 × 40% = 32.00
    #   → 87.20 → 8.72
    assert dims["service"] == (87.2, 8.72)
    # 能力素质 10%: 4, 5, 3, 4 of 5 → 80, 100, 60, 80 × 25% = 20 + 25 + 15 + 20 = 80.00 → 8.00
    assert dims["competency"] == (80, 8)
    # 培训成绩 10%: 3 drills of 6 → 50.00 × 30% = 15.00; mean(80, 90, 70) = 80 × 30% = 24.00;
    #   best released exam 85/100 = 85.00 × 25% = 21.25; competition rank 1 of 3 → (3 − 1)/(3 − 1)
    #   = 100.00 × 15% = 15.00 → 75.25 × 10% = 7.525 → 7.53
    assert items["exam_results"] == (85, 21.25) and items["competition_results"] == (100, 15)
    assert dims["training"] == (75.25, 7.53)
    # subtotal 31.15 + 9 + 8 + 13.28 + 8.72 + 8 + 7.53 = 85.68; bonus 3 × 1 = 3 capped at 2 (item cap);
    # deduction 1 × 0.5; total 85.68 + 2 − 0.5 = 87.18 → 87.2 → 良好
    assert (row.trail["subtotal"], row.trail["bonus_total"], row.trail["deduction_total"]) == (85.68, 2, 0.5)
    assert (row.total, row.band) == (87.2, "good")
    refs = {i["key"]: i["refs"] for d in row.trail["dimensions"] for i in d["items"]}
    assert refs["exam_results"] == [f"exam {exam.id} attempt {exam_attempt.id}"]
    assert refs["competition_results"] == [f"competition {competition.id} rank 1/3"]
    assert len(refs["drill_results"]) == 3
    # B002's exam is not released: it counts for nothing; B002 placed second of three: 50
    other = db.session.scalar(select(Record).where(Record.period_id == period.id, Record.user_id == b2.id))
    items2 = {i["key"]: i for d in other.trail["dimensions"] for i in d["items"]}
    assert items2["exam_results"]["points"] == 0 and items2["exam_results"]["refs"] == []
    assert items2["competition_results"]["points"] == 50

    # The manager reads the record once it is published, not before
    for target in ("reviewed", "published"):
        client.post(f"/appraisal/periods/{period.id}/move", data={"target": target})
    manager = client.application.test_client()
    login(b1, target=manager)
    assert manager.get(f"/appraisal/records/{other.id}").status_code == 404
    page = manager.get(f"/appraisal/records/{row.id}").get_data(as_text=True)
    assert "87.2" in page and "良好" in page and "competition, place 1/3" in page
    assert f"competition {competition.id} rank" not in page  # the evidence is named in words, not by its id
    assert "受到总行通报表扬" in page and "3 × 1 = 3, capped at 2 → 2" in page


def test_competition_placings_come_from_the_score_events_not_the_node_s_board_cache(app, db, bank):
    """Records must be the same whichever node computes them: the placings are rebuilt from the score events,
    and computing them leaves this node's board cache as it was (empty here)."""

    admin, b1, b2, b3 = bank["admin"], bank["b1"], bank["b2"], bank["b3"]
    competition = published_competition(admin, [(b1, 70), (b2, 90), (b3, 80)], date(2025, 3, 15))
    db.session.commit()

    quarter = records.Period("quarterly", date(2025, 1, 1), date(2025, 3, 31), "2025-Q1")
    found = evidence.competition_placings([b1, b2, b3], quarter)

    assert {user.employee_no: [o.value for o in found[user.id]] for user in (b1, b2, b3)} == {
        "B001": [0.0],
        "B002": [100.0],
        "B003": [50.0],
    }
    assert found[b2.id][0].ref == f"competition {competition.id} rank 1/3"
    assert not app.extensions.get("competition_boards", {}).get("by_id")
