"""Pass rules: minimums on the total and on each part, none compensating another."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drill.exams.rules.passing import TOTAL, PartScore, PassRule, judge, problems, shown

TOBACCO = PassRule(part_mins={"theory": 60, "practical": 60})


def test_a_strong_theory_paper_does_not_make_up_for_a_weak_case():
    verdict = judge(TOBACCO, {"theory": PartScore(95, 100), "practical": PartScore(55, 100)})
    assert not verdict.passed
    assert verdict.reasons == ["practical 55.0% < 60%"]
    assert verdict.total_percent == 75.0  # (95 + 55) / 200
    assert verdict.part_percents == {"theory": 95.0, "practical": 55.0}


def test_both_parts_at_the_minimum_pass():
    assert judge(TOBACCO, {"theory": PartScore(60, 100), "practical": PartScore(30, 50)}).passed


def test_every_failed_condition_is_named_with_its_numbers():
    rule = PassRule(total_min=60, part_mins={"theory": 60, "practical": 62.5})
    verdict = judge(rule, {"theory": PartScore(35, 70), "practical": PartScore(18, 30)})
    assert verdict.reasons == ["theory 50.0% < 60%", "practical 60.0% < 62.5%", "total 53.0% < 60%"]


def test_the_total_is_all_points_over_all_points_not_the_mean_of_the_parts():
    # theory 18/20 = 90 %, practical 40/80 = 50 %: mean of parts 70 %, but the total is 58/100 = 58 %.
    verdict = judge(PassRule(total_min=60), {"theory": PartScore(18, 20), "practical": PartScore(40, 80)})
    assert not verdict.passed and verdict.total_percent == 58.0


def test_comparisons_are_exact_and_only_the_display_is_rounded():
    # 59.96 % would display as 60.0 %; it fails, and says so without contradicting itself.
    verdict = judge(PassRule(total_min=60), {"theory": PartScore(59.96, 100)})
    assert not verdict.passed and verdict.reasons == ["total 59.9% < 60%"]
    assert verdict.total_percent == pytest.approx(59.96)
    # Decimals are taken as written: 0.6 of 1 point is exactly 60 %, though 0.6 is not exact in binary.
    assert judge(PassRule(total_min=60), {"t": PartScore(0.6, 1)}).passed
    # And so are sums: 0.1 + 0.7 of 2 points is 40 %, though in floats 0.1 + 0.7 = 0.7999999999999999.
    assert judge(PassRule(total_min=40), {"t": PartScore(0.1, 1), "u": PartScore(0.7, 1)}).passed
    assert shown(66.66666) == "66.7%"


def test_a_part_the_rule_names_but_the_paper_lacks_fails():
    verdict = judge(TOBACCO, {"theory": PartScore(80, 100)})
    assert not verdict.passed and verdict.reasons == ["practical: no points on the paper (needs 60%)"]


def test_an_empty_rule_passes_everyone():
    assert judge(PassRule(), {"theory": PartScore(0, 100)}).passed
    assert judge(PassRule(), {}).passed and judge(PassRule(), {}).total_percent == 0.0


def test_negative_scores_are_refused():
    with pytest.raises(ValueError):
        PartScore(-1, 10)


def test_rule_problems_are_reported_for_the_exam_form():
    rule = PassRule(total_min=120, part_mins={"theory": 60, "case": -5})
    assert problems(rule, ["theory", "practical"]) == [
        "the total minimum 120% is not between 0 and 100",
        "the minimum for case, -5%, is not between 0 and 100",
        "the rule sets a minimum for case, which no blueprint row has (parts: practical, theory)",
    ]
    assert problems(TOBACCO, ["theory", "practical"]) == []


tenths = st.integers(0, 1000)


@given(
    st.dictionaries(st.sampled_from(["theory", "practical", "oral"]), st.tuples(tenths, tenths), max_size=3)
)
def test_passing_means_every_minimum_holds(raw):
    # Scores in tenths of a point, so the check below is plain integer arithmetic.
    tenths = {name: (min(a, b), max(a, b)) for name, (a, b) in raw.items()}
    parts = {name: PartScore(e / 10, p / 10) for name, (e, p) in tenths.items()}
    rule = PassRule(total_min=60, part_mins={"theory": 60, "practical": 50})
    verdict = judge(rule, parts)
    earned, possible = sum(e for e, _ in tenths.values()), sum(p for _, p in tenths.values())
    held = possible > 0 and earned * 100 >= 60 * possible
    for name, minimum in rule.part_mins.items():
        e, p = tenths.get(name, (0, 0))
        held = held and p > 0 and e * 100 >= minimum * p
    assert verdict.passed == held
    assert verdict.passed == (not verdict.reasons)


points = st.one_of(
    st.integers(0, 20_000).map(lambda c: c / 100),  # a score to two places, as papers have them
    st.floats(0, 200, allow_nan=False, allow_infinity=False),  # any other float: the exact path
)
minimums = st.one_of(st.integers(0, 100), st.integers(0, 10_000).map(lambda c: c / 100), st.floats(0, 100))


@given(
    st.dictionaries(st.sampled_from(["theory", "practical"]), st.tuples(points, points), max_size=2),
    minimums,
    minimums,
)
def test_verdicts_are_those_of_exact_fractions_whichever_way_they_are_worked_out(raw, total_min, theory_min):
    """Whole hundredths where every number is a decimal to two places (a release's 5,000 papers), exact
    fractions otherwise: the verdict, the percent and the reasons are the fractions' either way."""
    parts = {name: PartScore(min(a, b), max(a, b)) for name, (a, b) in raw.items()}
    rule = PassRule(total_min=total_min, part_mins={"theory": theory_min})
    verdict = judge(rule, parts)

    def exact(x):
        return Fraction(repr(x)) if isinstance(x, float) else Fraction(x)

    earned = sum((exact(p.earned) for p in parts.values()), Fraction(0))
    possible = sum((exact(p.possible) for p in parts.values()), Fraction(0))
    assert verdict.total_percent == (float(100 * earned / possible) if possible else 0.0)
    theory = parts.get("theory")
    theory_held = (
        theory is not None
        and theory.possible > 0
        and exact(theory.earned) * 100 >= exact(theory_min) * exact(theory.possible)
    )
    total_held = possible > 0 and earned * 100 >= exact(total_min) * possible
    assert ("theory" not in verdict.failed) == theory_held
    assert (TOTAL not in verdict.failed) == total_held
    assert verdict.passed == (theory_held and total_held)
