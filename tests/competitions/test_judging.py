"""Judges' rounds: totals, trimmed mean from five judges, 本单位回避, two decimals, hidden scores."""

from decimal import Decimal

import pytest

from drill.competitions.rules.judging import (
    all_scored,
    assigned_judges,
    judge_total,
    judged_score,
    two_decimals,
    visible_sheets,
)

RUBRIC = {"opening": 20, "needs": 30, "solution": 30, "manner": 20}
JUDGES = {"J1": "城关", "J2": "城关", "J3": "河东", "J4": "河西", "J5": "北山", "J6": "南岭"}


def test_a_judge_total_is_the_sum_of_the_criteria_within_their_marks():
    assert judge_total({"opening": 18.5, "needs": 26, "solution": 27.25, "manner": 17}, RUBRIC) == Decimal(
        "88.75"
    )
    with pytest.raises(ValueError) as raised:
        judge_total({"opening": 21, "needs": 26, "solution": 27, "style": 3}, RUBRIC)
    assert str(raised.value) == "manner: not scored; style: not in the rubric; opening: 21 outside 0–20"


def test_five_judges_drop_the_highest_and_the_lowest():
    totals = {"J2": 80, "J3": 86, "J4": 88, "J5": 90, "J6": 95}
    result = judged_score(totals, JUDGES, "河口")
    assert result.score == Decimal("88.00")
    assert (result.dropped_high, result.dropped_low) == ("J6", "J2")
    assert result.counted == ("J3", "J4", "J5")
    assert result.formula == "(86 + 88 + 90) / 3 = 88.00"


def test_below_five_judges_the_plain_mean_counts():
    result = judged_score({"J3": 86, "J4": 88, "J5": 90, "J6": 99}, JUDGES, "河口")
    assert result.score == Decimal("90.75") and result.dropped_high is None and result.dropped_low is None


def test_own_branch_judges_are_excluded_before_counting_for_the_trim():
    # six scores, but two judges are from 城关 like the participant: four count, so no trim
    totals = {"J1": 99, "J2": 98, "J3": 86, "J4": 88, "J5": 90, "J6": 70}
    result = judged_score(totals, JUDGES, "城关")
    assert result.recused == ("J1", "J2")
    assert result.counted == ("J6", "J3", "J4", "J5")  # ascending by total
    assert result.score == Decimal("83.50")
    assert assigned_judges(JUDGES, "城关") == ("J3", "J4", "J5", "J6")


def test_ties_at_the_top_drop_one_score_only():
    result = judged_score({"J2": 90, "J3": 90, "J4": 90, "J5": 80, "J6": 85}, JUDGES, "河口")
    assert result.score == Decimal("88.33")  # (85 + 90 + 90) / 3
    assert result.dropped_high == "J4"  # among equal totals, the last by id


def test_scores_are_rounded_half_up_from_the_exact_mean():
    assert judged_score({"J3": 85.12, "J4": 85.13}, JUDGES, "河口").score == Decimal("85.13")  # 85.125
    assert two_decimals(2.675) == Decimal("2.68")  # the float 2.675 is 2.67499…; its decimal is meant
    assert judged_score({"J1": 90}, JUDGES, "城关").score is None


def test_a_judge_sees_only_their_own_sheet_until_all_have_scored_and_the_entry_is_locked():
    sheets = {"J3": 86, "J4": 88}
    assigned = ["J3", "J4", "J5"]
    assert visible_sheets("J3", sheets, assigned, locked=False) == {"J3": 86}
    assert visible_sheets("J3", sheets, assigned, locked=True) == {"J3": 86}  # J5 has not scored
    assert not all_scored(assigned, sheets)
    complete = {**sheets, "J5": 90}
    assert all_scored(assigned, complete)
    assert visible_sheets("J3", complete, assigned, locked=False) == {"J3": 86}  # not locked yet
    assert visible_sheets("J3", complete, assigned, locked=True) == complete
    assert visible_sheets(None, complete, assigned, locked=True) == complete
    assert visible_sheets(None, sheets, assigned, locked=False) == {}
    assert visible_sheets(None, sheets, assigned, locked=False, organiser=True) == sheets


def test_scores_from_unknown_judges_are_refused():
    with pytest.raises(ValueError, match="unknown judges"):
        judged_score({"J9": 80}, JUDGES, "河口")
