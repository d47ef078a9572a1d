"""The written round's speed bonus: a floor for slow right answers, nothing extra for wrong ones."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drill.competitions.rules.speed import TimedAnswer, speed_factor, speed_points, with_speed


def test_a_right_answer_earns_from_all_its_points_down_to_the_floor():
    assert speed_points(5, 5, 0, 60).points == 5  # instant
    assert speed_points(5, 5, 30, 60).points == pytest.approx(4.5)  # 5 × (0.8 + 0.2 × 0.5)
    assert speed_points(5, 5, 60, 60).points == pytest.approx(4)  # at the allowance: the floor
    assert speed_points(5, 5, 600, 60).points == pytest.approx(4)  # and no less after it


def test_only_right_answers_get_a_bonus():
    assert speed_points(0, 5, 1, 60).points == 0
    partly = speed_points(2, 5, 1, 60)  # a partly right multiple choice
    assert (partly.base, partly.bonus) == (pytest.approx(1.6), 0)


def test_the_floor_is_configurable():
    assert speed_points(10, 10, 60, 60, floor=0.5).points == 5
    assert speed_points(10, 10, 45, 60, floor=0.5).points == pytest.approx(6.25)  # 10 × (0.5 + 0.5 × 0.25)
    with pytest.raises(ValueError, match="0–1"):
        speed_points(10, 10, 1, 60, floor=1.5)


def test_a_paper_sums_its_questions_with_or_without_the_bonus():
    answers = [TimedAnswer(5, 5, 30, 60), TimedAnswer(0, 5, 10, 60), TimedAnswer(10, 10, 0, 120)]
    assert with_speed(answers, enabled=False) == 15
    assert with_speed(answers, enabled=True) == pytest.approx(4.5 + 0 + 10)


def test_times_are_checked():
    with pytest.raises(ValueError, match="positive"):
        speed_factor(1, 0)
    with pytest.raises(ValueError, match="negative"):
        speed_factor(-1, 60)
    with pytest.raises(ValueError, match="outside"):
        speed_points(6, 5, 1, 60)


@given(st.floats(0, 100), st.floats(0, 1000), st.floats(1, 1000), st.floats(0, 1))
def test_a_right_answer_never_earns_less_than_the_floor_nor_more_than_its_points(
    possible, t, allowance, floor
):
    points = speed_points(possible, possible, t, allowance, floor).points
    assert possible * floor - 1e-9 <= points <= possible + 1e-9
    assert (
        points >= speed_points(possible, possible, t + 1, allowance, floor).points - 1e-9
    )  # faster never worse
