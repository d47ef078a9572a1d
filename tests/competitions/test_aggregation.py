"""Peer scores: trimmed, calibration-weighted, explained; disagreement to a judge; reviewing grades."""

import pytest

from drill.competitions.rules.aggregation import Policy, Review, explain, peer_score, reviewing_grades


def test_with_three_reviews_the_outlier_is_dropped_and_the_two_closest_weighted():
    result = explain([Review("A", 72, 1.0), Review("B", 70, 0.8), Review("C", 40, 1.0)])
    assert result.median == 70
    assert [line.distance for line in result.lines] == [2, 0, 30]
    assert result.trimmed == Review("C", 40, 1.0)
    assert result.score == pytest.approx(128 / 1.8)  # (1.0 × 72 + 0.8 × 70) / (1.0 + 0.8) = 71.11
    assert result.formula == "(1.00 × 72 + 0.80 × 70) / (1.00 + 0.80) = 71.11"
    assert str(result.shown) == "71.11"
    assert result.disagreement == 2 and not result.needs_judge  # the outlier did not count


def test_the_page_can_show_every_step():
    steps = explain([Review("A", 72, 1.0), Review("B", 70, 0.8), Review("C", 40, 1.0)]).steps()
    assert steps == [
        "review by A: 72 × weight 1.00",
        "review by B: 70 × weight 0.80",
        "review by C: 40 × weight 1.00 — dropped, farthest from the median",
        "median 70",
        "weighted mean of the reviews kept: (1.00 × 72 + 0.80 × 70) / (1.00 + 0.80) = 71.11",
        "reviews kept span 2 points",
    ]


def test_equally_far_extremes_balance_and_nothing_is_dropped():
    result = explain([Review("A", 60, 0.5), Review("B", 70), Review("C", 80)])
    assert result.trimmed is None
    assert result.score == pytest.approx((0.5 * 60 + 70 + 80) / 2.5)  # 72
    assert "median 70: no single review is farthest" in result.steps()


def test_the_outlier_is_found_by_distance_from_the_plain_median_whatever_its_weight():
    result = explain([Review("A", 50, 1.0), Review("B", 70, 0.2), Review("C", 72), Review("D", 90)])
    assert result.median == 71 and result.trimmed.reviewer_id == "A"  # 21 away; D is 19 away
    assert result.score == pytest.approx((0.2 * 70 + 72 + 90) / 2.2)
    assert result.disagreement == 20 and not result.needs_judge  # 20 is not more than 20


def test_two_reviews_far_apart_go_to_a_judge():
    result = explain([Review("A", 40), Review("B", 90)])
    assert result.trimmed is None and result.median is None
    assert result.score == 65
    assert result.needs_judge
    assert result.reasons == ("the reviews kept span 50 points, more than 20",)
    assert not explain([Review("A", 40), Review("B", 90)], Policy(threshold=50)).needs_judge


def test_a_lone_review_is_the_score_but_not_a_consensus():
    result = explain([Review("A", 83)])
    assert result.score == 83 and result.needs_judge
    assert result.reasons == ("only 1 review(s), 2 needed",)


def test_without_reviews_there_is_no_score():
    assert peer_score([]) is None
    assert explain([]).reasons == ("no reviews",)


def test_a_weight_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        Review("A", 80, 0)


def test_a_reviewing_grade_is_100_minus_twice_the_mean_gap_to_the_consensus():
    reviews = {
        "E1": [Review("A", 72), Review("B", 70), Review("C", 40)],
        "E2": [Review("A", 90), Review("B", 78)],
        "E3": [Review("C", 10)],  # no consensus yet: does not count
    }
    grades = reviewing_grades(reviews, {"E1": 70, "E2": 80, "E3": None})
    assert (grades["A"].reviews, grades["A"].mean_absolute, grades["A"].grade) == (2, 6, 88)  # gaps 2, 10
    assert grades["B"].grade == 98  # gaps 0, 2
    assert (grades["C"].reviews, grades["C"].grade) == (1, 40)  # gap 30
    assert reviewing_grades({"E1": [Review("D", 0)]}, {"E1": 100})["D"].grade == 0  # floored at 0
    assert reviewing_grades({"E1": [Review("D", 5)]}, {"E1": 10}, full_marks=20)["D"].grade == 50
