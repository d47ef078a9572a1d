"""Item analysis against examples computed by hand (the arithmetic is in the comments)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drill.exams.rules import stats
from drill.exams.rules.stats import CandidateRow, ItemResult

# Six candidates, four right/wrong items worth 1 point each.
#
#        i1 i2 i3 i4 | total
#   1 A   1  1  1  1 |  4
#   2 B   1  1  1  0 |  3
#   3 C   1  1  0  0 |  2
#   4 D   1  0  1  0 |  2
#   5 E   1  0  0  0 |  1
#   6 F   0  0  0  1 |  1
#
# Item 4 is a single choice (right answer "B"); choices and seconds per candidate:
#   A "B" 30s · B "C" 20s · C "C" (no time) · D no answer 40s · E "A" 10s · F "B" 20s
ROWS = {1: [1, 1, 1, 1], 2: [1, 1, 1, 0], 3: [1, 1, 0, 0], 4: [1, 0, 1, 0], 5: [1, 0, 0, 0], 6: [0, 0, 0, 1]}
CHOICES = {1: "B", 2: "C", 3: "C", 4: None, 5: "A", 6: "B"}
SECONDS = {1: 30, 2: 20, 3: None, 4: 40, 5: 10, 6: 20}
MATRIX = [
    CandidateRow(
        cid,
        {
            **{i: ItemResult(v, 1) for i, v in enumerate(scores[:3], start=1)},
            4: ItemResult(scores[3], 1, CHOICES[cid], SECONDS[cid]),
        },
    )
    for cid, scores in ROWS.items()
]


def test_facility_is_the_share_who_got_it_right():
    assert stats.facility(MATRIX, 1) == pytest.approx(5 / 6)  # five of six
    assert stats.facility(MATRIX, 2) == pytest.approx(0.5)  # A, B, C
    assert stats.facility(MATRIX, 4) == pytest.approx(1 / 3)  # A, F


def test_the_corrected_point_biserial_correlates_the_item_with_the_rest_of_the_test():
    # Item 4: x = 1 0 0 0 0 1, rest y = total − x = 3 3 2 2 1 0.
    #   mean x = 2/6 = 1/3, mean y = 11/6
    #   cov = mean(xy) − mx·my = (3 + 0)/6 − (1/3)(11/6) = 9/18 − 11/18 = −1/9
    #   var x = p·q = (1/3)(2/3) = 2/9
    #   var y = mean(y²) − my² = (9+9+4+4+1+0)/6 − 121/36 = 162/36 − 121/36 = 41/36
    #   r = (−1/9) / √(2/9 · 41/36) = (−1/9) / (√82 / 18) = −2/√82 ≈ −0.2209
    assert stats.point_biserial(MATRIX, 4) == pytest.approx(-2 / math.sqrt(82))
    # Item 1: x = 1 1 1 1 1 0, y = 3 2 1 1 0 1; mx = 5/6, my = 8/6 = 4/3
    #   cov = (3+2+1+1+0+0)/6 − (5/6)(4/3) = 21/18 − 20/18 = 1/18
    #   var x = (5/6)(1/6) = 5/36; var y = (9+4+1+1+0+1)/6 − 16/9 = 24/9 − 16/9 = 8/9
    #   r = (1/18) / √(5/36 · 8/9) = (1/18) / (√40 / 18) = 1/√40 ≈ 0.1581
    assert stats.point_biserial(MATRIX, 1) == pytest.approx(1 / math.sqrt(40))
    # Item 2: x = 1 1 1 0 0 0, y = 3 2 1 2 1 1; mx = 1/2, my = 10/6 = 5/3
    #   cov = (3+2+1)/6 − (1/2)(5/3) = 1 − 5/6 = 1/6
    #   var x = 1/4; var y = (9+4+1+4+1+1)/6 − 25/9 = 30/9 − 25/9 = 5/9
    #   r = (1/6) / √(1/4 · 5/9) = (1/6) / (√5 / 6) = 1/√5 ≈ 0.4472
    assert stats.point_biserial(MATRIX, 2) == pytest.approx(1 / math.sqrt(5))


def test_the_upper_lower_index_compares_the_top_and_bottom_27_percent():
    # n = 6, groups of round(0.27 × 6 = 1.62) = 2: upper A, B (totals 4, 3), lower E, F (totals 1, 1).
    assert stats.upper_lower(MATRIX, 1) == pytest.approx(1.0 - 0.5)  # upper 1,1 → 1; lower 1,0 → 0.5
    assert stats.upper_lower(MATRIX, 2) == pytest.approx(1.0 - 0.0)  # upper 1,1; lower 0,0
    assert stats.upper_lower(MATRIX, 4) == pytest.approx(0.5 - 0.5)  # upper 1,0; lower 0,1


def test_distractor_counts_include_no_answer_and_mean_time_skips_missing_times():
    assert stats.distractors(MATRIX, 4) == {"A": 1, "B": 2, "C": 2, "—": 1}
    assert stats.mean_seconds(MATRIX, 4) == pytest.approx((30 + 20 + 40 + 10 + 20) / 5)  # = 24
    assert stats.mean_seconds(MATRIX, 1) is None


def test_each_option_of_a_multiple_choice_counts():
    matrix = [
        CandidateRow(1, {7: ItemResult(2, 2, ["A", "C"])}),
        CandidateRow(2, {7: ItemResult(0, 2, ["A"])}),
        CandidateRow(3, {7: ItemResult(0, 2, [])}),
    ]
    assert stats.distractors(matrix, 7) == {"A": 2, "C": 1, "—": 1}


def test_kr20_alpha_and_sem_of_the_right_wrong_example():
    # p = 5/6, 1/2, 1/2, 1/3; Σ p·q = 5/36 + 9/36 + 9/36 + 8/36 = 31/36
    # totals 4 3 2 2 1 1: mean 13/6; var = (16+9+4+4+1+1)/6 − 169/36 = 210/36 − 169/36 = 41/36
    # KR-20 = 4/3 × (1 − 31/41) = 4/3 × 10/41 = 40/123 ≈ 0.3252 (alpha is the same on 0/1 items)
    assert stats.kr20(MATRIX) == pytest.approx(40 / 123)
    assert stats.cronbach_alpha(MATRIX) == pytest.approx(40 / 123)
    # SEM = √(41/36) × √(1 − 40/123) = √(41/36 × 83/123) = √(83/108) ≈ 0.8767
    assert stats.sem(MATRIX) == pytest.approx(math.sqrt(83 / 108))


def test_alpha_on_points_and_no_kr20_for_partial_credit():
    # q1 out of 5, q2 out of 10:  P 5 8 (13) · Q 3 4 (7) · R 1 6 (7)
    #   var q1: mean 3, deviations 2 0 −2 → 8/3; var q2: mean 6, deviations 2 −2 0 → 8/3
    #   totals 13 7 7: mean 9, deviations 4 −2 −2 → (16+4+4)/3 = 8
    #   alpha = 2/1 × (1 − (16/3)/8) = 2 × 1/3 = 2/3;  SEM = √8 × √(1/3) = √(8/3) ≈ 1.633
    matrix = [
        CandidateRow(1, {1: ItemResult(5, 5), 2: ItemResult(8, 10)}),
        CandidateRow(2, {1: ItemResult(3, 5), 2: ItemResult(4, 10)}),
        CandidateRow(3, {1: ItemResult(1, 5), 2: ItemResult(6, 10)}),
    ]
    assert stats.cronbach_alpha(matrix) == pytest.approx(2 / 3)
    assert stats.sem(matrix) == pytest.approx(math.sqrt(8 / 3))
    assert stats.kr20(matrix) is None
    assert stats.facility(matrix, 1) == pytest.approx(9 / 15)  # (5+3+1) / (3 × 5)
    assert stats.facility(matrix, 2) == pytest.approx(18 / 30)  # (8+4+6) / (3 × 10)


def test_flags_follow_the_documented_thresholds():
    assert stats.flags(0.95, 0.5) == ["too easy"]
    assert stats.flags(0.9, 0.2) == []  # the thresholds themselves are fine
    assert stats.flags(0.1, -0.3) == ["too hard", "negative discrimination"]
    assert stats.flags(0.5, 0.19) == ["weak discrimination"]
    assert stats.flags(0.5, None) == []


def test_the_reports_bundle_the_example():
    report = {s.item: s for s in stats.item_report(MATRIX)}
    assert report[4].flags == ["negative discrimination"]  # r = −0.22 although D = 0
    assert report[1].flags == ["weak discrimination"]  # r = 0.158
    assert report[2].flags == [] and report[2].candidates == 6
    test = stats.test_report(MATRIX)
    assert (test.candidates, test.items, test.common_items) == (6, 4, 4)
    assert test.mean == pytest.approx(13 / 6) and test.sd == pytest.approx(math.sqrt(41 / 36))
    assert test.alpha == pytest.approx(40 / 123) and test.kr20 == pytest.approx(40 / 123)


def test_random_papers_use_only_the_candidates_given_an_item_and_the_shared_items_for_reliability():
    matrix = [
        CandidateRow(1, {1: ItemResult(1, 1), 2: ItemResult(1, 1), 3: ItemResult(1, 1)}),
        CandidateRow(2, {1: ItemResult(0, 1), 2: ItemResult(1, 1), 4: ItemResult(0, 1)}),
        CandidateRow(3, {1: ItemResult(0, 1), 2: ItemResult(0, 1), 4: ItemResult(1, 1)}),
    ]
    assert stats.facility(matrix, 4) == 0.5  # candidates 2 and 3 only
    assert stats.test_report(matrix).common_items == 2  # items 1 and 2
    with pytest.raises(ValueError, match="item 9"):
        stats.facility(matrix, 9)


def test_degenerate_matrices_give_none_rather_than_errors():
    assert stats.item_report([]) == [] and stats.test_report([]).alpha is None
    one = [CandidateRow(1, {1: ItemResult(1, 1), 2: ItemResult(0, 1)})]
    first = stats.item_report(one)[0]
    assert first.point_biserial is None and first.upper_lower is None
    assert first.flags == ["too easy"]  # and no discrimination flag: one candidate cannot show any
    assert stats.test_report(one).sem is None
    same = [CandidateRow(c, {1: ItemResult(1, 1), 2: ItemResult(1, 1)}) for c in range(5)]
    assert stats.cronbach_alpha(same) is None and stats.kr20(same) is None
    assert stats.item_report(same)[0].flags == ["too easy", "weak discrimination"]  # D = 0


results = st.builds(
    lambda possible, share, choice, seconds: ItemResult(possible * share, possible, choice, seconds),
    st.sampled_from([1, 2, 5]),
    st.sampled_from([0, 0.5, 1]),
    st.one_of(st.none(), st.sampled_from(["A", "B", "C"]), st.lists(st.sampled_from(["A", "B"]), max_size=2)),
    st.one_of(st.none(), st.floats(0, 600)),
)
matrices = st.lists(st.dictionaries(st.integers(1, 5), results, max_size=5), max_size=8).map(
    lambda rows: [CandidateRow(c, items) for c, items in enumerate(rows)]
)


@given(matrices)
def test_reports_never_raise_and_stay_in_range(matrix):
    for item in stats.item_report(matrix):
        assert 0 <= item.facility <= 1
        assert item.point_biserial is None or -1 <= item.point_biserial <= 1
        assert item.upper_lower is None or -1 <= item.upper_lower <= 1
    test = stats.test_report(matrix)
    assert test.alpha is None or test.alpha <= 1
    assert test.sem is None or test.sem >= 0


@given(st.lists(st.lists(st.integers(0, 1), min_size=4, max_size=4), min_size=2, max_size=10))
def test_kr20_equals_alpha_on_right_wrong_items(rows):
    matrix = [CandidateRow(c, {i: ItemResult(v, 1) for i, v in enumerate(row)}) for c, row in enumerate(rows)]
    a, k = stats.cronbach_alpha(matrix), stats.kr20(matrix)
    assert (a is None and k is None) or a == pytest.approx(k)
