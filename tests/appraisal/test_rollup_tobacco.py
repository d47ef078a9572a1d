"""A hand-computed tobacco record (monthly), the quota's tie rule, and longer periods built on months."""

from dataclasses import replace
from datetime import date

import pytest

from drill.appraisal.rules.records import Evidence, ManagerEvidence, Observation, Occurrence, Rating, Record
from drill.appraisal.rules.rollup import compute, roll_up
from tests.appraisal.helpers import month, shipped_scheme

SCHEME = shipped_scheme("tobacco-scheme.yaml")
MARCH = month(2025, 3)


def t001() -> ManagerEvidence:
    return ManagerEvidence(
        indicators={
            "sales_volume": 130,
            "sales_volume_target": 100,  # 130% → capped at 120%
            "sales_value": 54,
            "sales_value_target": 60,
            "key_brand_volume": 33,
            "key_brand_target": 30,
            "new_product_coverage": 85,
            "visit_coverage": 100,
            "display_rate": 90,
            "info_rate": 80,
            "satisfaction": 95,
            "complaints": 0,
        },
        ratings={
            key: Rating(4, "按计划走访并记录", "S02")
            for key in ("thinking", "action", "management_ability", "attitude")
        },
        platform={
            "drill_score": [Observation(v, date(2025, 3, d)) for v, d in ((90, 3), (80, 12), (85, 25))]
        },
        bonus=[Occurrence("competition_award", 3, "三项竞赛获奖")],
        deductions=[Occurrence("price_irregularity", 1, "一户未明码标价")],
    )


def test_t001_line_by_line():
    [r] = compute(SCHEME, Evidence(MARCH, {"T001": t001()}), {})
    dims = {d.key: (d.score, d.contribution) for d in r.dimensions}
    items = {i.key: (i.points, i.weighted) for d in r.dimensions for i in d.items}
    # 经济运行 30%: 销量 min(1.3, 1.2)/1.2 → 100.00 × 60% = 60.00 (capped ratio);
    #   销售额 min(54/60 = 0.9, 1.2)/1.2 → 75.00 × 40% = 30.00; score 90.00 → 27.00
    assert items["volume"] == (100, 60) and items["value"] == (75, 30) and dims["economy"] == (90, 27)
    # 品牌培育 15%: 33/30 = 1.1 → 1.1/1.2 × 100 = 91.67 × 60% = 55.002 → 55.00; 铺货 85 × 40% = 34.00
    #   score 89.00 → 13.35
    assert items["key_brands"] == (91.67, 55.0) and dims["brand"] == (89, 13.35)
    # 终端功能发挥 15%: 100 × 40% + 90 × 30% + 80 × 30% = 40 + 27 + 24 = 91.00 → 13.65
    assert dims["terminal"] == (91, 13.65)
    # 客户服务 15%: 95 × 70% = 66.50; 0 complaints → 100 × 30% = 30.00; 96.50 → 14.475 → 14.48
    assert dims["service"] == (96.5, 14.48)
    # 能力素质 10%: four ratings of 4/5 → 80.00 → 8.00
    assert dims["competency"] == (80, 8)
    # 培训成绩 15%: 3 drills, min(3/4, 1) = 75.00 × 40% = 30.00; mean(90, 80, 85) = 85 × 60% = 51.00
    #   score 81.00 → 12.15
    assert dims["training"] == (81, 12.15)
    # subtotal 27 + 13.35 + 13.65 + 14.48 + 8 + 12.15 = 88.63
    # bonus 竞赛获奖 3 × 2 = 6 capped at 4 (item cap); deduction 明码标价 1 × 1 = 1
    # total 88.63 + 4 − 1 = 91.63 → 91.6 → 优秀
    assert (r.subtotal, r.bonus_total, r.deduction_total, r.total, r.band) == (88.63, 4, 1, 91.6, "excellent")
    assert [(b.raw, b.cap, b.points) for b in r.bonus] == [(6, 4, 4)]


def test_quota_and_veto_in_a_unit_of_four():
    # One 优秀 in a unit of 4 (20% of 4 = 0.8, at least 1).
    # T002 = T001 with one 服务承诺未兑现 more (−2): 91.63 − 2 = 89.63 → 89.6 良好: no quota question.
    # T003 = T001 without the deduction: 92.63 → 92.6 优秀, first. T001 91.6 is second → 良好.
    # T004 = T001 with a veto → 不合格 whatever its 91.6.
    evidence = Evidence(
        MARCH,
        {
            "T001": t001(),
            "T002": replace(t001(), deductions=[*t001().deductions, Occurrence("service_lapse")]),
            "T003": replace(t001(), deductions=[]),
            "T004": replace(t001(), vetoes=[Occurrence("illicit_supply", note="倒卖卷烟")]),
        },
    )
    out = {r.manager: r for r in compute(SCHEME, evidence, {"M1": ["T001", "T002", "T003", "T004"]})}
    assert [(m, out[m].total, out[m].rank, out[m].band) for m in sorted(out)] == [
        ("T001", 91.6, 2, "good"),
        ("T002", 89.6, 4, "good"),
        ("T003", 92.6, 1, "excellent"),
        ("T004", 91.6, 2, "fail"),
    ]
    assert out["T001"].band_before_quota == "excellent" and out["T004"].band_by_score == "excellent"


def test_equal_totals_go_to_the_first_dimension_and_a_full_tie_moves_everyone_down():
    # T007 sells 55 instead of 54 (销售额 55/60 = 0.9167 → 76.39 × 40% = 30.56 → 经济运行 90.56 × 30% = 27.17)
    # and has 93 instead of 95 satisfaction (93 × 70% = 65.10 → 客户服务 95.10 × 15% = 14.27):
    # 88.63 + 0.17 − 0.21 = 88.59, + 4 − 1 = 91.59 → 91.6, the same total as T001 with more 经济运行.
    richer = replace(t001(), indicators={**t001().indicators, "sales_value": 55, "satisfaction": 93})
    evidence = Evidence(MARCH, {"T001": t001(), "T007": richer})
    out = {r.manager: r for r in compute(SCHEME, evidence, {"M1": ["T001", "T007"]})}
    assert out["T007"].total == out["T001"].total == 91.6
    assert (out["T007"].dimensions[0].contribution, out["T001"].dimensions[0].contribution) == (27.17, 27.0)
    assert {m: (r.rank, r.band) for m, r in out.items()} == {"T007": (1, "excellent"), "T001": (2, "good")}
    # Identical twins tie on every key at the quota line: the cap holds, both move down.
    twins = Evidence(MARCH, {"T001": t001(), "T006": t001()})
    out = {r.manager: r for r in compute(SCHEME, twins, {"M1": ["T001", "T006"]})}
    assert {m: (r.rank, r.band) for m, r in out.items()} == {"T001": (1, "good"), "T006": (1, "good")}
    assert str(out["T006"].notes[-1]) == (
        "tied at the quota line of M1 (at most 1 of 2 may be 优秀): every tied member moves down"
    )


def record(manager: str, period, total: float, band: str, vetoed: bool = False) -> Record:
    r = Record(manager, period, SCHEME.id, SCHEME.version, total=total, band=band)
    r.vetoes = [Occurrence("illicit_supply", note="倒卖卷烟")] if vetoed else []
    return r


TOTALS = [80, 82, 85, 88, 90, 91, 79, 84, 86, 87, 83, 89]


def test_annual_is_the_mean_of_the_twelve_monthly_totals():
    months = [record("T001", month(2025, n + 1), t, "good") for n, t in enumerate(TOTALS)]
    months += [record("T002", month(2025, n + 1), 95, "excellent", vetoed=n == 6) for n in range(12)]
    months += [record("T003", month(2025, n + 1), 70, "pass") for n in range(11)]  # December missing
    months += [record("T001", month(2024, 12), 10, "fail")]  # outside the year: ignored
    year = replace(month(2025, 1), kind="annual", end=date(2025, 12, 31), label="2025")
    out = {r.manager: r for r in roll_up(SCHEME, year, months, {"M1": ["T001", "T002", "T003"]})}
    # (80 + 82 + 85 + 88 + 90 + 91 + 79 + 84 + 86 + 87 + 83 + 89) / 12 = 1024 / 12 = 85.33 → 85.3 良好
    assert (out["T001"].total, out["T001"].band, len(out["T001"].parts)) == (85.3, "good", 12)
    # T002 averages 95 but July's veto carries up to the year: 不合格
    assert (out["T002"].total, out["T002"].band_by_score, out["T002"].band) == (95.0, "excellent", "fail")
    assert out["T002"].vetoes[0].note == "2025-07: 倒卖卷烟"
    # T003 has 11 months: the mean of what there is, flagged
    assert out["T003"].total == 70.0 and out["T003"].missing == ["monthly"]
    assert str(out["T003"].notes[0]) == "mean of 11 of the 12 monthly totals"


def test_a_quarter_is_the_mean_of_its_three_months_and_keeps_the_quota():
    months = [record("T001", month(2025, n + 1), t, "x") for n, t in enumerate(TOTALS)]
    months += [record("T002", month(2025, n + 1), 92, "x") for n in range(3)]
    months += [record("T003", month(2025, n + 1), 91, "x") for n in range(3)]
    q1 = replace(month(2025, 1), kind="quarterly", end=date(2025, 3, 31), label="2025-Q1")
    out = {r.manager: r for r in roll_up(SCHEME, q1, months, {"M1": ["T001", "T002", "T003"]})}
    # T001: (80 + 82 + 85) / 3 = 82.33 → 82.3; T002 92.0 keeps 优秀; T003 91.0 moves to 良好 (1 of 3)
    assert {m: (r.total, r.band) for m, r in out.items()} == {
        "T001": (82.3, "good"),
        "T002": (92.0, "excellent"),
        "T003": (91.0, "good"),
    }
    assert [p.label for p in out["T001"].parts] == ["2025-01", "2025-02", "2025-03"]
    assert "  2025-01: 80.0 x" in out["T001"].explain()


def test_roll_up_refuses_a_period_computed_from_evidence():
    with pytest.raises(ValueError):
        roll_up(SCHEME, MARCH, [], {})
