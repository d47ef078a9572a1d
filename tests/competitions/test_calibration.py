"""Calibration on the case's example answers: what the scorer sees, their accuracy and their weight."""

import pytest

from drill.competitions.rules.calibration import Criterion, WeightPolicy, calibrate

BANK = [  # content/rubrics/bank-case-analysis.md
    Criterion("facts", "事实提取与数据核查", 20),
    Criterion("risk", "风险与问题识别", 25),
    Criterion("measure", "措施与方案设计", 25),
    Criterion("compliance", "合规意识与职业操守", 15),
    Criterion("expr", "表达与结论", 15),
]
EXPERT = {
    "ex1": {"facts": 16, "risk": 25, "measure": 20, "compliance": 12, "expr": 12},
    "ex2": {"facts": 10, "risk": 10, "measure": 10, "compliance": 5, "expr": 8},
}
GIVEN = {
    "ex1": {"facts": 14, "risk": 18, "measure": 20, "compliance": 15, "expr": 10},  # off by 2+7+0+3+2 = 14
    "ex2": {"facts": 12, "risk": 14, "measure": 10, "compliance": 5, "expr": 8},  # off by 2+4 = 6
}


def test_the_scorer_sees_each_criterion_they_missed_with_both_numbers():
    result = calibrate(BANK, {"ex1": EXPERT["ex1"]}, {"ex1": GIVEN["ex1"]})
    risk = next(d for d in result.deviations if d.criterion.id == "risk")
    assert risk.describe() == "you gave 18, the experts 25, on 风险与问题识别"
    assert risk.difference == -7
    assert [d.difference for d in result.deviations] == [-2, -7, 0, 3, -2]  # rubric order


def test_accuracy_and_weight_come_from_the_deviation_relative_to_the_marks():
    one = calibrate(BANK, {"ex1": EXPERT["ex1"]}, {"ex1": GIVEN["ex1"]})
    assert one.relative_deviation == pytest.approx(14 / 100)
    assert one.accuracy == pytest.approx(0.86)
    assert one.weight == pytest.approx(0.2 + 0.8 * (1 - 0.14 / 0.4))  # 0.72
    both = calibrate(BANK, EXPERT, GIVEN)
    assert both.relative_deviation == pytest.approx(20 / 200)
    assert (both.accuracy, both.weight) == (pytest.approx(0.9), pytest.approx(0.8))


def test_the_per_criterion_summary_shows_bias_and_spread():
    summary = {s.criterion.id: s for s in calibrate(BANK, EXPERT, GIVEN).criteria}
    assert (summary["risk"].mean_difference, summary["risk"].mean_absolute) == (-1.5, 5.5)  # (-7 + 4) / 2
    assert (summary["facts"].mean_difference, summary["facts"].mean_absolute) == (
        0,
        2,
    )  # harsh once, kind once
    assert summary["measure"].mean_absolute == 0


def test_an_exact_scorer_weighs_1_and_a_wild_one_keeps_the_floor():
    assert calibrate(BANK, EXPERT, EXPERT).weight == 1.0
    zeros = {ex: dict.fromkeys(scores, 0) for ex, scores in EXPERT.items()}
    wild = calibrate(BANK, {"ex1": EXPERT["ex1"]}, {"ex1": zeros["ex1"]})  # off by 85 of 100
    assert wild.accuracy == pytest.approx(0.15) and wild.weight == 0.2
    assert (
        calibrate(BANK, {"ex1": EXPERT["ex1"]}, {"ex1": zeros["ex1"]}, WeightPolicy(floor=0.5)).weight == 0.5
    )


def test_a_half_filled_or_mismatched_calibration_is_an_error():
    with pytest.raises(ValueError, match="scorer score missing for 表达与结论 on example ex1"):
        calibrate(
            BANK, {"ex1": EXPERT["ex1"]}, {"ex1": {k: v for k, v in GIVEN["ex1"].items() if k != "expr"}}
        )
    with pytest.raises(ValueError, match="outside 0–25"):
        calibrate(BANK, {"ex1": EXPERT["ex1"]}, {"ex1": {**GIVEN["ex1"], "risk": 26}})
    with pytest.raises(ValueError, match="differ from the examples"):
        calibrate(BANK, EXPERT, {"ex1": GIVEN["ex1"]})
    with pytest.raises(ValueError, match="EQUAL_WEIGHT"):
        calibrate(BANK, {}, {})
    with pytest.raises(ValueError, match="floor"):
        WeightPolicy(floor=0)


def test_a_level_that_states_its_own_points_shows_those_points_once():
    from drill.competitions.rules.calibration import stated_band

    assert stated_band("**18–20 分**：逐项核对材料") == (18.0, 20.0, "逐项核对材料")
    assert stated_band("0-11分: 照抄材料") == (0.0, 11.0, "照抄材料")
    assert stated_band("逐项核对材料，发现全部矛盾") is None
