"""The peer-score model: reviewer bias and reliability estimated from calibration and the review graph,
explanations that recompute, judges where the model is unsure; the simulator's evidence; properties."""

import re
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drill.competitions.rules.judging import two_decimals
from drill.competitions.rules.peer_model import Criterion, Mark, Round, budget_count, estimate
from tests.competitions import peer_sim

TOTAL = (Criterion("total", 100.0),)


def marks(*rows):
    return tuple(Mark(r, t, (float(s),)) for r, t, s in rows)


def recomputed(formula: str) -> Decimal:
    """Evaluate '(1 × 62.5 + 9.00 × 70.00) / (1 + 9.00) = 68.75' from the numbers shown, exactly."""
    top, bottom, shown = re.fullmatch(r"\((.*)\) / \((.*)\) = (.*)", formula).groups()
    num = sum(Fraction(a) * Fraction(b) for a, b in (t.split(" × ") for t in top.split(" + ")))
    den = sum(Fraction(w) for w in bottom.split(" + "))
    assert two_decimals(num / den) == Decimal(shown)
    return Decimal(shown)


def test_a_harsh_reviewer_is_corrected_by_their_calibration_and_the_others():
    # r3 scores 18 below the experts on the examples and below the others on the entries.
    examples = {"x0": (40.0,), "x1": (80.0,)}
    cal = marks(
        *[(r, x, t + (-18 if r == "r3" else 0)) for r in ("r1", "r2", "r3") for x, (t,) in examples.items()]
    )
    reviews = marks(
        ("r1", "a", 70), ("r2", "a", 71), ("r3", "a", 52),
        ("r1", "b", 50), ("r2", "b", 49), ("r3", "b", 33),
        ("r1", "c", 80), ("r3", "c", 61), ("r2", "d", 60), ("r3", "d", 43),
    )  # fmt: skip
    result = estimate(Round(TOTAL, examples, cal, reviews, ("a", "b", "c", "d")))
    assert -19 < result.reviewers["r3"].bias < -16
    assert abs(result.reviewers["r1"].bias) < 1.5
    assert 68 < result.entries["a"].score < 72  # not dragged toward 52
    assert 75 < result.entries["c"].score < 82  # r3’s 61 counts as about 79 (then shrunk a little)
    line = next(x for x in result.entries["c"].criteria[0].lines if x.reviewer == "r3")
    assert line.corrected == Decimal(61) - line.bias


def test_a_reviewer_without_calibration_is_judged_on_the_review_graph():
    sim = peer_sim.simulate(peer_sim.Setting(3, 0.3, "biased", 3, entries=80))
    # Drop one biased reviewer's calibration: their bias still shows from the entries they share.
    who = next(p for p, k in sorted(sim.kinds.items()) if k == "biased")
    r = sim.round
    blind = Round(
        r.criteria, r.examples, tuple(m for m in r.calibration if m.reviewer != who), r.reviews, r.entries
    )
    found = estimate(blind).reviewers[who]
    assert found.calibrated == 0
    assert abs(found.bias - sim.biases[who]) < 8


def test_a_careless_reviewer_counts_little():
    sim = peer_sim.simulate(peer_sim.Setting(3, 0.3, "careless", 3, entries=80))
    result = estimate(sim.round)
    careless = [result.reviewers[p].reliability for p, k in sim.kinds.items() if k == "careless"]
    good = [result.reviewers[p].reliability for p, k in sim.kinds.items() if k == "good"]
    assert sum(careless) / len(careless) < 0.3 < 0.6 < sum(good) / len(good)
    assert max(careless) < sorted(good)[len(good) // 2]  # below the middle good reviewer


def test_a_tiny_round_falls_back_on_the_reviews_it_has():
    one = estimate(Round(TOTAL, reviews=marks(("r1", "a", 70)), entries=("a", "b")))
    assert one.entries["a"].score == Decimal("70.00")  # one entry: the round's average is its review
    assert one.entries["a"].needs_judge and str(one.entries["a"].why) == "only 1 review(s), 2 needed"
    assert one.entries["b"].score is None and str(one.entries["b"].why) == "no reviews"
    empty = estimate(Round(TOTAL))
    assert empty.entries == {} and empty.reviewers == {}


def test_every_shown_formula_recomputes_to_the_shown_score_and_the_criteria_add_up():
    sim = peer_sim.simulate(peer_sim.Setting(3, 0.3, "mixed", 3, entries=60))
    r = sim.round
    two = (Criterion("idea", 60.0), Criterion("expr", 40.0))

    def split(m):  # the same marks on two criteria: 60 % and 40 % of the total
        return Mark(m.reviewer, m.target, (round(m.scores[0] * 0.6, 1), round(m.scores[0] * 0.4, 1)))

    rubric = Round(
        two,
        {x: (t[0] * 0.6, t[0] * 0.4) for x, t in r.examples.items()},
        tuple(map(split, r.calibration)),
        tuple(map(split, r.reviews)),
        r.entries,
    )
    for result in (estimate(r), estimate(rubric)):
        for entry in result.entries.values():
            parts = [recomputed(c.formula) for c in entry.criteria]
            assert sum(parts) == entry.score
            assert entry.total_formula.endswith(f"= {entry.score}")


def test_judges_get_the_most_uncertain_entries_within_the_budget():
    sim = peer_sim.simulate(peer_sim.Setting(2, 0.3, "careless", 1, entries=50))
    result = estimate(replace(sim.round, judge_budget=10.0))
    sent = [e for e in result.entries.values() if e.needs_judge]
    assert result.budget == 5 and len(sent) == 5
    kept = [e.uncertainty for e in result.entries.values() if not e.needs_judge]
    assert min(e.uncertainty for e in sent) >= max(kept)
    assert all(str(e.why).startswith("among the 5 most uncertain") for e in sent)


def test_entries_with_too_few_reviews_go_to_a_judge_and_take_from_the_budget():
    reviews = marks(("r1", "a", 60), ("r2", "a", 62), ("r1", "b", 90), ("r2", "c", 30), ("r3", "c", 80))
    result = estimate(Round(TOTAL, reviews=reviews, entries=("a", "b", "c", "d"), judge_budget=50))
    assert budget_count(4, 50) == 2
    assert [e for e, r in result.entries.items() if r.needs_judge] == ["b", "d"]


@pytest.mark.parametrize(("entries", "percent", "count"), [(5, 10, 1), (4, 10, 0), (300, 10, 30), (3, 0, 0)])
def test_the_judge_budget_rounds_half_up(entries, percent, count):
    assert budget_count(entries, percent) == count


def test_the_model_beats_the_median_in_every_setting_of_the_simulator():
    _lines, rows = peer_sim.table(seeds=(1,))
    assert len(rows) == 72
    for setting, found in rows:
        assert found["model"] > found["median"], setting
    biased = [found["model"] - found["median"] for setting, found in rows if setting.kind == "biased"]
    assert sum(biased) / len(biased) > 0.03  # clearly ahead where reviewers are biased


# --- properties ----------------------------------------------------------------------------------------


def small_round(seed: int, k: int) -> peer_sim.Simulated:
    return peer_sim.simulate(peer_sim.Setting(k, 0.3, "mixed", 3, entries=24, seed=seed))


PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(seed=st.integers(0, 10_000), k=st.integers(2, 4), pick=st.integers(0, 23), shift=st.integers(-15, 15))
def test_a_reviewer_adding_a_constant_everywhere_moves_no_result_by_more_than_a_point(seed, k, pick, shift):
    sim = small_round(seed, k)
    r = sim.round
    who = sorted({m.reviewer for m in r.reviews})[pick % len({m.reviewer for m in r.reviews})]
    mine = [m.scores[0] for m in (*r.calibration, *r.reviews) if m.reviewer == who]
    shift = max(-min(mine), min(100 - max(mine), shift))  # stays within 0..100

    def moved(ms):
        return tuple(
            Mark(m.reviewer, m.target, (m.scores[0] + shift,)) if m.reviewer == who else m for m in ms
        )

    before = estimate(r)
    after = estimate(Round(r.criteria, r.examples, moved(r.calibration), moved(r.reviews), r.entries))
    for e, found in before.entries.items():
        assert abs(after.entries[e].score - found.score) <= 1, (e, shift)


@PROPERTY
@given(seed=st.integers(0, 10_000), k=st.integers(2, 4), order=st.randoms(use_true_random=False))
def test_the_order_of_the_records_changes_nothing(seed, k, order):
    r = small_round(seed, k).round
    reviews, cal, entries = list(r.reviews), list(r.calibration), list(r.entries)
    for xs in (reviews, cal, entries):
        order.shuffle(xs)
    again = estimate(
        Round(
            r.criteria, dict(reversed(list(r.examples.items()))), tuple(cal), tuple(reviews), tuple(entries)
        )
    )
    assert again == estimate(r)


@PROPERTY
@given(
    data=st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 7), st.floats(0, 100, allow_nan=False)),
        min_size=1,
        max_size=30,
    ),
    cal=st.lists(st.tuples(st.integers(0, 5), st.floats(0, 100, allow_nan=False)), max_size=6),
)
def test_results_stay_within_zero_and_the_maximum(data, cal):
    reviews = {(f"r{r}", f"e{e}"): s for r, e, s in data}
    calibration = {f"r{r}": s for r, s in cal}
    result = estimate(
        Round(
            TOTAL,
            {"x0": (50.0,)},
            tuple(Mark(r, "x0", (s,)) for r, s in calibration.items()),
            tuple(Mark(r, e, (s,)) for (r, e), s in reviews.items()),
        )
    )
    for entry in result.entries.values():
        assert 0 <= entry.score <= 100
        for c in entry.criteria:
            assert all(0 <= x.corrected <= 100 for x in c.lines)
    assert all(0 <= r.reliability <= 1 for r in result.reviewers.values())
