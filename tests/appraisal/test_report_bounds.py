"""A province's report stays readable: of 2,000 branches it compares the best and the lowest, and of 2,000
units it lists those over their quota; a smaller organisation sees every one."""

from collections import Counter

from drill.appraisal import reports
from drill.appraisal.reports import UnitShare


def test_a_short_list_is_shown_whole_and_a_long_one_by_its_two_ends():
    assert reports.ends(list(range(30))) == (list(range(30)), 0)
    shown, between = reports.ends(list(range(2000)))
    assert shown == [*range(15), *range(1985, 2000)] and between == 1970


def test_the_units_over_their_quota_are_those_whose_top_band_holds_more_than_allowed():
    shares = [
        UnitShare("A", "甲", 10, Counter(excellent=3), 2),
        UnitShare("B", "乙", 10, Counter(excellent=2), 2),
        UnitShare("C", "丙", 10, Counter(excellent=5), None),  # no quota
    ]
    assert [s.unit for s in reports.over_quota(shares, "excellent")] == ["A"]
    assert reports.over_quota(shares, None) == []
