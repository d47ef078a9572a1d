"""Double marking and rubric points."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drill.exams.rules import marking
from drill.exams.rules.marking import Mark, Resolution, resolve, rubric_points

RUBRIC = [
    {"id": "risk", "name": "风险识别", "weight": 30},
    {"id": "plan", "name": "方案", "weight": 50},
    {"id": "tone", "name": "沟通", "weight": 20},
]


def test_single_marking_takes_the_one_mark():
    assert resolve([Mark(7, 6.5, 1)], 10, 2, double=False) == Resolution(6.5, False, marking.SINGLE)
    assert resolve([], 10, 2, double=False) == Resolution(None, False, marking.UNMARKED)


def test_two_marks_within_the_threshold_give_their_mean():
    assert resolve([Mark(1, 7, 1), Mark(2, 8.5, 2)], 10, 2, True) == Resolution(
        7.75, False, marking.MEAN_OF_TWO
    )


def test_a_difference_exactly_at_the_threshold_is_within_it():
    # 7.3 − 5.3 is 2.0000000000000004 in binary floats; as decimals it is exactly 2.
    assert resolve([Mark(1, 7.3, 1), Mark(2, 5.3, 2)], 10, 2, True).final == pytest.approx(6.3)


def test_two_marks_too_far_apart_call_a_third_marker():
    resolution = resolve([Mark(1, 9, 1), Mark(2, 4, 2)], 10, 2, True)
    assert resolution == Resolution(None, True, marking.AWAITING_THIRD)


def test_the_third_mark_is_averaged_with_the_closer_of_the_first_two():
    # 9 and 4 are 5 apart; the third gives 8: |9 − 8| = 1 < |4 − 8| = 4, so (8 + 9) / 2 = 8.5.
    marks = [Mark(1, 9, 1), Mark(2, 4, 2), Mark(3, 8, 3)]
    assert resolve(marks, 10, 2, True) == Resolution(8.5, True, marking.THIRD_AND_CLOSER)


def test_a_third_mark_halfway_between_goes_with_the_higher():
    # 9 and 4, third 6.5: both 2.5 away, so (6.5 + 9) / 2 = 7.75.
    assert resolve([Mark(1, 4, 1), Mark(2, 9, 2), Mark(3, 6.5, 3)], 10, 2, True).final == 7.75


def test_waiting_for_the_second_marker():
    assert resolve([Mark(1, 5, 1)], 10, 2, True) == Resolution(None, False, marking.AWAITING_SECOND)
    assert resolve([], 10, 2, True) == Resolution(None, False, marking.UNMARKED)


def test_a_third_mark_after_the_first_two_were_corrected_to_agree_is_set_aside():
    marks = [Mark(1, 6, 1), Mark(2, 5, 2), Mark(3, 1, 3)]
    assert resolve(marks, 10, 2, True) == Resolution(5.5, False, marking.MEAN_OF_TWO)


@pytest.mark.parametrize(
    ("marks", "double", "message"),
    [
        ([Mark(1, 11, 1)], False, "from 0 to 10"),
        ([Mark(1, -1, 1)], False, "from 0 to 10"),
        ([Mark(1, 5, 1), Mark(2, 5, 2)], False, "single marking takes one mark"),
        ([Mark(1, 5, 1), Mark(1, 6, 2)], True, "two rounds"),
        ([Mark(1, 5, 1), Mark(2, 6, 1)], True, "round 1 is marked twice"),
        ([Mark(1, 5, 4)], True, "round 4"),
        ([Mark(1, 5, 1), Mark(3, 6, 3)], True, "needs the first two"),
    ],
)
def test_impossible_marks_are_refused(marks, double, message):
    with pytest.raises(ValueError, match=message):
        resolve(marks, 10, 2, double)


@given(
    st.lists(st.integers(0, 200).map(lambda t: t / 10), min_size=3, max_size=3),
    st.integers(0, 50).map(lambda t: t / 10),
)
def test_the_final_mark_lies_between_the_marks_it_comes_from(totals, threshold):
    a, b, c = totals
    resolution = resolve([Mark(1, a, 1), Mark(2, b, 2), Mark(3, c, 3)], 20, threshold, True)
    assert resolution.final is not None
    assert min(totals) <= resolution.final <= max(totals)
    if resolution.rule == marking.MEAN_OF_TWO:
        assert abs(a - b) <= threshold + 1e-9 and resolution.final == pytest.approx((a + b) / 2)
    else:
        closer = 2 * resolution.final - c  # the first-round mark the third was averaged with
        assert abs(a - b) > threshold - 1e-9
        exact = {x: Fraction(str(x)) for x in totals}  # ties judged on the decimals, as marks are written
        assert closer == pytest.approx(max((a, b), key=lambda x: (-abs(exact[x] - exact[c]), x)))


def test_rubric_scores_become_question_points():
    # 24 + 40 + 15 = 79 of 100 → 79 % of 15 points = 11.85
    assert rubric_points(RUBRIC, {"risk": 24, "plan": 40, "tone": 15}, 15) == 11.85
    # 73.5 % of 15 = 11.025 → 11.03 (two decimals, halves up)
    assert rubric_points(RUBRIC, {"risk": 23.5, "plan": 40, "tone": 10}, 15) == 11.03
    assert rubric_points(RUBRIC, {"risk": 30, "plan": 50, "tone": 20, "comment": "ignored"}, 8) == 8


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({"risk": 24, "plan": 40}, "no score for criterion tone"),
        ({"risk": 31, "plan": 40, "tone": 15}, r"risk \(风险识别\), 31, is not between 0 and 30"),
        ({"risk": -1, "plan": 40, "tone": 15}, "criterion risk"),
        ({"risk": 10, "plan": "lots", "tone": 15}, "criterion plan"),
        ({"risk": 10, "plan": True, "tone": 15}, "criterion plan"),
    ],
)
def test_a_missing_or_out_of_range_rubric_score_names_its_criterion(scores, message):
    with pytest.raises(ValueError, match=message):
        rubric_points(RUBRIC, scores, 10)


def test_a_rubric_whose_weights_do_not_sum_to_100_is_refused():
    with pytest.raises(ValueError, match="add up to 80"):
        rubric_points(RUBRIC[:2], {"risk": 1, "plan": 1}, 10)
