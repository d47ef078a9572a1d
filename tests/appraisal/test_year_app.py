"""A tobacco organisation through 2025: twelve monthly sheets, drills, ratings, a bonus, a deduction and a
veto; quarters, halves and the year built on the months; an exam with its certificate; level changes
proposed by the rules and approved. T001's numbers are computed by hand below, and every number on a
record leads back to the row it came from."""

import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from drill.appraisal import entry, level_changes, services
from drill.appraisal.models import AuditLog, IndicatorImport, LevelChange, Occurrence, Period, Rating, Record
from drill.attempts.models import Attempt
from drill.extensions import db
from tests.appraisal.world import (
    drill,
    import_shipped_quizzes,
    labels_of,
    rate_all,
    released_exam,
    run_period,
    scheme_file,
    sheet_csv,
    versions,
)

NOW = datetime(2026, 1, 5, 9, tzinfo=UTC)
COMPETENCY = ("thinking", "action", "management_ability", "attitude")

# T001 every month. 经济运行 30%: 销量 120/100 = 1.2 → min(1.2, 1.2)/1.2 = 100.00 × 60% = 60.00;
#   销售额 54/60 = 0.9 → 0.9/1.2 = 75.00 × 40% = 30.00 → 90.00 × 30% = 27.00
# 品牌培育 15%: 重点品牌 36/30 = 1.2 → 100.00 × 60% = 60.00; 新品铺货 80 × 40% = 32.00 → 92.00 → 13.80
# 终端功能发挥 15%: 走访 100 × 40% = 40.00; 陈列 90 × 30% = 27.00; 信息 80 × 30% = 24.00 → 91.00 → 13.65
# 客户服务 15%: 满意度 90 × 70% = 63.00; 0 次投诉 → 100 × 30% = 30.00 → 93.00 → 13.95
# 能力素质 10%: four ratings of 4 on 1–5 → 80.00 each × 25% = 20.00 → 80.00 → 8.00
# 培训成绩 15%: 4 drills → min(4/4, 1) = 100.00 × 40% = 40.00; mean(90, 80, 100, 90) = 90 × 60% = 54.00
#   → 94.00 → 14.10
# subtotal 27.00 + 13.80 + 13.65 + 13.95 + 8.00 + 14.10 = 90.50 → total 90.5 → 优秀
# March adds 营销技能竞赛获奖 × 1 = +2 and 市场信息迟报漏报 × 1 = −0.5: 90.50 + 2 − 0.5 = 92.0
T001 = {
    "sales_volume": 120, "sales_volume_target": 100, "sales_value": 54, "sales_value_target": 60,
    "key_brand_volume": 36, "key_brand_target": 30, "new_product_coverage": 80, "visit_coverage": 100,
    "display_rate": 90, "info_rate": 80, "satisfaction": 90, "complaints": 0,
}  # fmt: skip
OTHER = {
    "sales_volume": 100, "sales_volume_target": 100, "sales_value": 60, "sales_value_target": 60,
    "key_brand_volume": 30, "key_brand_target": 30, "new_product_coverage": 70, "visit_coverage": 90,
    "display_rate": 80, "info_rate": 80, "satisfaction": 85, "complaints": 1,
}  # fmt: skip
DRILL_SCORES = (9, 8, 10, 9)  # of 10, on the 3rd, 10th, 17th and 24th


@pytest.fixture
def people(make_user):
    return {
        "admin": make_user("A01", roles={"admin"}, branch="head", name="管理小组"),
        "approver": make_user("A02", roles={"admin"}, branch="head", name="管理小组复核"),
        "trainer": make_user("TR1", roles={"trainer"}, branch="east", scope_branch="east", name="东城培训师"),
        "t1": make_user(
            "T001", branch="east1", category="tobacco", level="junior", name="张烟一", locale="en"
        ),
        "t2": make_user("T002", branch="east1", category="tobacco", level="junior", name="李烟二"),
        "t3": make_user("T003", branch="west1", category="tobacco", level="intermediate", name="王烟三"),
    }


def month_evidence(period, people, number, version_id):
    p = people
    for day, score in zip((3, 10, 17, 24), DRILL_SCORES, strict=True):
        drill(p["t1"], date(2025, number, day), score, items=[(version_id, 10, score)])
    for day in (5, 20):
        drill(p["t2"], date(2025, number, day), 8)
        drill(p["t3"], date(2025, number, day), 7)
    if number == 3:
        entry.add_occurrence(period, p["t1"], "bonus", "competition_award", 1, "市赛三等奖", p["admin"])
        entry.add_occurrence(period, p["t1"], "deduction", "late_info", 1, "周报迟交一次", p["admin"])
    if number == 6:
        entry.add_occurrence(period, p["t3"], "veto", "integrity_breach", 1, "收受零售户礼品", p["admin"])


def sheet(labels):
    columns = list(labels.values())
    rows = {"T001": T001, "T002": OTHER, "T003": OTHER}
    return sheet_csv(columns, {no: {labels[k]: v for k, v in vals.items()} for no, vals in rows.items()})


def january_through_the_pages(app, client, login, people, labels):
    """January as people do it: the admin opens and imports, the east trainer rates, the admin computes."""
    admin, trainer = app.test_client(), app.test_client()
    login(people["admin"], target=admin)
    login(people["trainer"], target=trainer)
    response = admin.post(
        "/appraisal/periods/new",
        data={"scheme": "tobacco-manager", "kind": "monthly", "year": 2025, "number": 1},
    )
    assert response.status_code == 302
    period = db.session.scalar(select(Period).where(Period.label == "2025-01"))
    response = admin.post(
        f"/appraisal/periods/{period.id}/import",
        data={"sheet": (io.BytesIO(sheet(labels)), "2025-01.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-800:]
    ratings = {f"value_{k}": 4 for k in COMPETENCY} | {f"comment_{k}": "按走访记录评价" for k in COMPETENCY}
    assert (
        trainer.post(f"/appraisal/periods/{period.id}/ratings/{people['t1'].id}", data=ratings).status_code
        == 302
    )
    others = {f"value_{k}": 3 for k in COMPETENCY} | {f"comment_{k}": "完成一般" for k in COMPETENCY}
    assert (
        trainer.post(f"/appraisal/periods/{period.id}/ratings/{people['t2'].id}", data=others).status_code
        == 302
    )
    # T003 is in the west: not the east trainer's to rate
    assert (
        trainer.post(f"/appraisal/periods/{period.id}/ratings/{people['t3'].id}", data=others).status_code
        == 403
    )
    assert (
        admin.post(f"/appraisal/periods/{period.id}/ratings/{people['t3'].id}", data=others).status_code
        == 302
    )
    db.session.expire_all()
    month_evidence(period, people, 1, versions(1)[0].id)
    db.session.commit()
    assert admin.post(f"/appraisal/periods/{period.id}/compute").status_code == 302
    for target in ("reviewed", "published"):
        assert admin.post(f"/appraisal/periods/{period.id}/move", data={"target": target}).status_code == 302
    db.session.refresh(period)
    assert period.state == "published"
    return period


def test_a_year_of_a_tobacco_organisation(app, client, db, login, people):
    import_shipped_quizzes()
    labels = labels_of("tobacco-manager")
    version_id = versions(1)[0].id
    january_through_the_pages(app, client, login, people, labels)
    admin, file = people["admin"], scheme_file("tobacco-manager")
    for number in range(2, 13):
        period = services.create_period(file, "monthly", 2025, number, admin)
        outcome = entry.import_indicators(period, f"2025-{number:02d}.csv", sheet(labels), admin, NOW)
        assert outcome.rows == 3
        rate_all(period, people["t1"], dict.fromkeys(COMPETENCY, 4), people["trainer"])
        rate_all(period, people["t2"], dict.fromkeys(COMPETENCY, 3), people["trainer"])
        rate_all(period, people["t3"], dict.fromkeys(COMPETENCY, 3), admin)
        month_evidence(period, people, number, version_id)
        run_period(admin, period, NOW)
    first, second = versions(2)
    exam, _, certificate = released_exam(
        admin,
        people["t1"],
        date(2025, 11, 15),
        [(first.id, 50, 40), (second.id, 50, 45)],
        "intermediate",
        "tobacco",
    )
    for kind, count in (("quarterly", 4), ("semiannual", 2), ("annual", 1)):
        for number in range(1, count + 1):
            run_period(admin, services.create_period(file, kind, 2025, number, admin), NOW)

    def record(label, user):
        period = db.session.scalar(select(Period).where(Period.label == label))
        return db.session.scalar(
            select(Record).where(Record.period_id == period.id, Record.user_id == user.id)
        )

    t1 = people["t1"]
    january = record("2025-01", t1)
    dims = {d["key"]: (d["score"], d["contribution"]) for d in january.trail["dimensions"]}
    assert dims == {
        "economy": (90, 27), "brand": (92, 13.8), "terminal": (91, 13.65),
        "service": (93, 13.95), "competency": (80, 8), "training": (94, 14.1),
    }  # fmt: skip
    assert (january.trail["subtotal"], january.total, january.band) == (90.5, 90.5, "excellent")
    march = record("2025-03", t1)
    assert (march.trail["bonus_total"], march.trail["deduction_total"], march.total) == (2, 0.5, 92.0)
    # Q1 = (90.5 + 90.5 + 92.0) / 3 = 273.0 / 3 = 91.0; H1 = (5 × 90.5 + 92.0) / 6 = 544.5 / 6 = 90.75
    # → 90.8 (half up); H2 = 6 × 90.5 / 6 = 90.5; the year = (11 × 90.5 + 92.0) / 12 = 1087.5 / 12
    # = 90.625 → 90.6, all 优秀
    assert [record(label, t1).total for label in ("2025-Q1", "2025-H1", "2025-H2", "2025")] == [
        91.0,
        90.8,
        90.5,
        90.6,
    ]
    year = record("2025", t1)
    assert year.band == "excellent" and [p["label"] for p in year.trail["parts"]] == [
        f"2025-{m:02d}" for m in range(1, 13)
    ]
    assert [p["total"] for p in year.trail["parts"]] == [
        record(f"2025-{m:02d}", t1).total for m in range(1, 13)
    ]
    # T003's June veto carries up to Q2, H1 and the year: 不合格 whatever the score
    for label in ("2025-06", "2025-Q2", "2025-H1", "2025"):
        assert record(label, people["t3"]).band == "fail" and record(label, people["t3"]).vetoed
    assert record("2025-Q3", people["t3"]).band != "fail"
    assert_traces_to_evidence(march, t1)

    # Level changes: T001 up (two good halves, a good year, an intermediate certificate); T003 down (veto)
    admin_client = client
    login(admin)
    assert admin_client.post("/appraisal/levels/propose").status_code == 302
    changes = {c.user_id: c for c in db.session.scalars(select(LevelChange))}
    assert set(changes) == {t1.id, people["t3"].id}
    up, down = changes[t1.id], changes[people["t3"].id]
    assert (up.from_level, up.to_level, up.certificate) == ("junior", "intermediate", certificate.number)
    assert up.periods == ["2025-H1", "2025-H2"] and (down.direction, down.to_level) == ("down", "junior")
    # Four eyes: the admin who ran the rules cannot approve what they proposed; a second admin does
    approve = {"effective_date": "2026-01-01", "approve": "y"}
    admin_client.post(f"/appraisal/levels/{up.id}/decide", data=approve)
    db.session.expire_all()
    assert db.session.get(LevelChange, up.id).state == "proposed"
    approver = app.test_client()
    login(people["approver"], target=approver)
    response = approver.post(f"/appraisal/levels/{up.id}/decide", data=approve)
    assert response.status_code == 302
    response = approver.post(f"/appraisal/levels/{down.id}/decide", data={"note": "", "reject": "y"})
    assert response.status_code == 302  # refused: a rejection needs a note
    db.session.expire_all()
    assert db.session.get(LevelChange, down.id).state == "proposed"
    approver.post(f"/appraisal/levels/{down.id}/decide", data=approve)
    db.session.expire_all()
    assert (db.session.get(type(t1), t1.id).level, db.session.get(type(t1), people["t3"].id).level) == (
        "intermediate",
        "junior",
    )
    approved = db.session.scalars(
        select(AuditLog).where(AuditLog.entity == "level", AuditLog.action == "approve")
    )
    assert {(a.subject_id, a.old["level"], a.new["level"]) for a in approved} == {
        (t1.id, "junior", "intermediate"),
        (people["t3"].id, "intermediate", "junior"),
    }
    # The rules look only at periods after the new level took effect: nothing more to propose
    assert admin_client.post("/appraisal/levels/propose").status_code == 302
    assert db.session.scalar(select(func.count(LevelChange.id))) == 2
    assert level_changes.of_user(t1)[0].effective_date == date(2026, 1, 1)

    # The manager reads "why is my score 92.0?" on the record page, and their file with the history
    manager = app.test_client()
    login(t1, target=manager)
    assert manager.get(f"/appraisal/records/{record('2025-03', people['t2']).id}").status_code == 404
    page = manager.get(f"/appraisal/records/{march.id}").get_data(as_text=True)
    assert (
        "92.0" in page
        and "经济运行" in page
        and "completion 120%, counted up to the cap of 120%: 100.0 points" in page
    )
    assert "营销技能竞赛获奖" in page and "1 × 2 = 2" in page and "90.50 + 2.00 − 0.50 = 92.00" in page
    assert "Why is my score 92.0?" in page
    yearly = manager.get(f"/appraisal/records/{year.id}").get_data(as_text=True)
    assert "Mean of 12 periods" in yearly and "2025-12" in yearly and "90.6" in yearly
    file_page = manager.get(f"/appraisal/people/{t1.id}").get_data(as_text=True)
    assert certificate.number in file_page and exam.title in file_page and "2025-Q1" in file_page


def assert_traces_to_evidence(row: Record, user) -> None:
    """Every item's numbers lead to the sheet row, the rating or the drills they came from."""
    scheme = services.scheme_of(row.period)
    for dim in row.trail["dimensions"]:
        for item in dim["items"]:
            assert item["refs"], f"{item['key']} has no evidence"
            for ref in item["refs"]:
                kind, number, *rest = ref.split()
                if kind == "import":
                    sheet = db.session.get(IndicatorImport, int(number))
                    assert sheet.period_id == row.period_id and sheet.rows[user.employee_no]["row"] == int(
                        rest[1]
                    )
                    values = sheet.rows[user.employee_no]["values"]
                    spec = scheme.item(item["key"])
                    if spec.convert == "ratio":
                        assert (item["inputs"]["actual"], item["inputs"]["target"]) == (
                            values[spec.column],
                            values[spec.target],
                        )
                    else:
                        assert item["inputs"] == {spec.column: values[spec.column]}
                elif kind == "rating":
                    rating = db.session.get(Rating, int(number))
                    assert (rating.user_id, rating.period_id, rating.item_key) == (
                        user.id,
                        row.period_id,
                        item["key"],
                    )
                    assert (
                        item["inputs"]["rating"] == rating.value
                        and item["inputs"]["comment"] == rating.comment
                    )
                else:
                    attempt = db.session.get(Attempt, int(number))
                    assert kind == "attempt" and attempt.user_id == user.id
                    assert 100 * attempt.score / attempt.max_score in item["inputs"]["values"]
    for adjustment in row.trail["bonus"] + row.trail["deductions"]:
        [ref] = adjustment["refs"]
        occurrence = db.session.get(Occurrence, int(ref.split()[1]))
        assert (occurrence.item_key, occurrence.count, occurrence.user_id) == (
            adjustment["key"],
            adjustment["count"],
            user.id,
        )
