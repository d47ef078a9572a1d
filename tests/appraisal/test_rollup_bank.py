"""A hand-computed bank record, line by line: a capped ratio, a piecewise table, ratings, platform
results, a capped bonus, a deduction, a veto and a quota demotion (the shipped bank scheme)."""

import json
from dataclasses import replace
from datetime import date

import pytest

from drill.appraisal.rules.records import Evidence, ManagerEvidence, Observation, Occurrence, Rating
from drill.appraisal.rules.rollup import compute
from tests.appraisal.helpers import quarter, shipped_scheme

SCHEME = shipped_scheme("bank-scheme.yaml")
Q1 = quarter(2025, 1)


def observations(*values, start=date(2025, 1, 6), ref="attempt"):
    return [
        Observation(v, date.fromordinal(start.toordinal() + 7 * i), f"{ref} {i + 1}")
        for i, v in enumerate(values)
    ]


def b001() -> ManagerEvidence:
    return ManagerEvidence(
        indicators={
            "deposit_actual": 1300,
            "deposit_target": 1000,  # 130% → capped at 120%
            "loan_actual": 900,
            "loan_target": 1000,
            "interest_collected": 95,
            "interest_due": 100,
            "npl_ratio": 2.0,
            "post_loan_rate": 90,
            "file_rate": 100,
            "satisfaction": 92,
            "complaints": 1,
        },
        ratings={
            "ethics_rating": Rating(90, "廉洁自律，未发现问题", "S01"),
            "management_rating": Rating(80, "台账基本齐全", "S01"),
            "thinking": Rating(4, "能分析客户需求", "S01"),
            "action": Rating(4, "任务按期完成", "S01"),
            "management_ability": Rating(5, "带教两名新员工", "S01"),
            "attitude": Rating(3, "偶有迟到", "S01"),
        },
        platform={
            # five drills inside the quarter, one in April that must not count
            "drill_score": [
                *observations(80, 90, 70, 85, 75),
                Observation(100, date(2025, 4, 2), "attempt 99"),
            ],
            "exam_score": observations(78, 88, ref="exam"),
            "competition_percentile": [Observation(60, date(2025, 3, 20), "competition 3")],
        },
        bonus=[Occurrence("commendation", 3, "三次通报表扬"), Occurrence("skill_award", 2, "市级竞赛二等奖")],
        deductions=[Occurrence("late_report", 1, "1 月报表迟报")],
        indicator_ref="sheet 2025-Q1 row 2",
    )


@pytest.fixture(scope="module")
def records():
    evidence = Evidence(
        Q1,
        {
            "B001": b001(),
            "B002": replace(b001(), deductions=[]),  # the same without the deduction: 0.5 more
            "B003": replace(b001(), vetoes=[Occurrence("disciplinary_action", 1, "受到警告处分", "veto 7")]),
        },
    )
    return {r.manager: r for r in compute(SCHEME, evidence, {"E1": ["B001", "B002", "B003"]})}


def test_b001_line_by_line(records):
    r = records["B001"]
    dims = {d.key: d for d in r.dimensions}
    items = {i.key: i for d in r.dimensions for i in d.items}
    # 业绩指标 35%
    #   存款 min(1300/1000 = 1.3, 1.2) / 1.2 × 100 = 100.00 → × 40% = 40.00   (the capped ratio)
    #   贷款 min(900/1000 = 0.9, 1.2) / 1.2 × 100 = 75.00   → × 40% = 30.00
    #   收息 min(95/100 = 0.95, 1) / 1 × 100 = 95.00          → × 20% = 19.00
    #   score 89.00 → × 35% = 31.15
    assert (items["deposits"].points, items["deposits"].inputs["ratio"]) == (100.0, 1.3)
    assert str(items["deposits"].how) == "min(1300 / 1000 = 1.3, 1.2) / 1.2 × 100"
    assert (items["loans"].points, items["loans"].weighted, items["interest_recovery"].weighted) == (
        75.0,
        30.0,
        19.0,
    )
    assert (dims["performance"].score, dims["performance"].contribution) == (89.0, 31.15)
    # 职业道德 10%: rating 90 / 100 × 100 = 90.00 → 9.00; 基础管理 10%: 80 → 8.00
    assert (dims["ethics"].contribution, dims["basic_management"].contribution) == (9.0, 8.0)
    # 信贷操作及管理 15%
    #   不良率 2% on [1→100, 3→60, 5→0]: 100 + (60 − 100) × (2 − 1) / (3 − 1) = 80.00 → × 40% = 32.00
    #   贷后检查 90 → × 35% = 31.50;  档案 100 → × 25% = 25.00
    #   score 88.50 → × 15% = 13.275 → 13.28 (half up)
    assert items["npl"].points == 80.0
    assert (dims["credit"].score, dims["credit"].contribution) == (88.5, 13.28)
    # 服务质量 10%: satisfaction 92 × 60% = 55.20; 1 complaint on [0→100, 5→0] = 80 × 40% = 32.00
    #   score 87.20 → 8.72
    assert (dims["service"].score, dims["service"].contribution) == (87.2, 8.72)
    # 能力素质 10%: 4/5, 4/5, 5/5, 3/5 → 80, 80, 100, 60 → × 25% each → 80.00 → 8.00
    assert dims["competency"].contribution == 8.0
    # 培训成绩 10%
    #   练兵参与: 5 drills in the quarter (April's does not count): min(5/6, 1) × 100 = 83.33 → × 30% = 25.00
    #   练兵成绩: mean(80, 90, 70, 85, 75) = 80.00 → × 30% = 24.00
    #   考试: max(78, 88) = 88.00 → × 25% = 22.00;  竞赛: max(60) = 60.00 → × 15% = 9.00
    #   score 80.00 → 8.00
    assert (items["drill_activity"].points, items["drill_activity"].weighted) == (83.33, 25.0)
    assert items["drill_activity"].refs == ("attempt 1", "attempt 2", "attempt 3", "attempt 4", "attempt 5")
    assert (
        items["drill_results"].points,
        items["exam_results"].points,
        items["competition_results"].points,
    ) == (80, 88, 60)
    assert dims["training"].contribution == 8.0
    # subtotal 31.15 + 9.00 + 8.00 + 13.28 + 8.72 + 8.00 + 8.00 = 86.15
    assert r.subtotal == 86.15
    # bonus: 表扬 3 × 1 = 3, capped at 2; 竞赛 2 × 2 = 4 (its cap 4);
    #        2 + 4 = 6, capped at 5 (the capped bonus)
    assert [(b.key, b.raw, b.points) for b in r.bonus] == [("commendation", 3, 2), ("skill_award", 4, 4)]
    assert r.bonus_total == 5
    # deduction: 迟报 1 × 0.5 = 0.5
    assert r.deduction_total == 0.5
    # total 86.15 + 5 − 0.5 = 90.65 → 90.7 (one decimal, half up) → 优秀 by score
    assert (r.total, r.band_by_score, r.band_before_quota) == (90.7, "excellent", "excellent")
    assert r.missing == []


def test_the_quota_moves_the_second_excellent_of_a_small_unit_down(records):
    # E1 has 3 managers: at most max(1, floor(0.2 × 3)) = 1 优秀.
    # B002 = 86.15 + 5 = 91.15 → 91.2 ranks first and keeps it; B001 (90.7) ranks second and moves to 良好.
    # B003 scored 90.7 too but its veto forced 不合格 before the quota, so it takes no 优秀 place.
    b001, b002, b003 = records["B001"], records["B002"], records["B003"]
    assert (b002.total, b002.rank, b002.band) == (91.2, 1, "excellent")
    assert (b001.rank, b001.unit_size, b001.band_before_quota, b001.band) == (2, 3, "excellent", "good")
    assert str(b001.notes[-1]) == "ranked 2 in E1, beyond the quota (at most 1 of 3 may be 优秀)"
    assert (b003.total, b003.band_by_score, b003.band_before_quota, b003.band) == (
        90.7,
        "excellent",
        "fail",
        "fail",
    )
    assert "veto (违规违纪受到纪律处分): graded 不合格 whatever the score" in map(str, b003.notes)


def test_the_trail_reads_as_an_answer_to_why_is_my_score(records):
    lines = records["B001"].explain()
    assert "业绩指标 (35%): 89.00 × 35% = 31.15" in lines
    assert "  存款任务完成 (40%): min(1300 / 1000 = 1.3, 1.2) / 1.2 × 100 = 100.00 → × 40% = 40.00" in lines
    assert "  + 受到总行通报表扬: 3 × 1 = 3, capped at 2 → 2" in lines
    assert "total 86.15 + 5.00 − 0.50 = 90.65 → 90.7 → excellent" in lines and lines[-1] == "grade good"
    stored = json.loads(json.dumps(records["B001"].as_dict(), ensure_ascii=False))
    assert stored["period"]["start"] == "2025-01-01" and stored["total"] == 90.7
    assert stored["notes"][-1]["text"].startswith("ranked 2 in E1")


def test_a_missing_rating_or_indicator_scores_0_and_is_listed_as_missing():
    evidence = b001()
    del evidence.ratings["attitude"]
    del evidence.indicators["loan_target"]
    evidence.ratings["thinking"] = Rating(5, "")  # a top mark without its comment: does not count
    evidence.ratings["action"] = Rating(4, "")  # a middle mark needs none (the scheme's default rule)
    [record] = compute(SCHEME, Evidence(Q1, {"B009": evidence}), {})
    assert record.missing == ["loans", "thinking", "attitude"]
    assert record.unit is None and record.rank is None
    item = next(i for d in record.dimensions for i in d.items if i.key == "loans")
    assert (item.points, str(item.how)) == (0.0, "no value for loan_target: 0")


def test_a_period_the_scheme_builds_on_finer_ones_is_not_computed_from_evidence():
    with pytest.raises(ValueError):
        compute(SCHEME, Evidence(replace(Q1, kind="annual"), {}), {})
