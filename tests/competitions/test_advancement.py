"""From the qualifiers to the final: top N overall or per branch, ties at the cut by a stated rule."""

from datetime import UTC, datetime, timedelta

import pytest

from drill.competitions.rules.advancement import ALL, Qualifier, advance

T0 = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)


def q(pid, branch, score, minute=0):
    return Qualifier(pid, branch, score, T0 + timedelta(minutes=minute) if score is not None else None)


FIELD = [
    q("a1", "城关", 92),
    q("a2", "城关", 88, 30),
    q("a3", "城关", 88, 20),  # same score as a2, finished earlier
    q("a4", "城关", 70),
    q("b1", "河东", 85),
    q("b2", "河东", 60),
    q("b3", "河东", None),  # no score
    q("c1", "河西", 95),
]


def test_the_top_n_overall_advance_in_board_order():
    result = advance(FIELD, 3)
    assert result.advanced == ("c1", "a1", "a3")  # a3 beats a2 on the tie: finished 10 minutes earlier
    assert result.cut[ALL].id == "a3" and result.over_quota[ALL] == 0


def test_the_top_n_of_each_branch_advance():
    result = advance(FIELD, 2, per_branch=True)
    assert result.advanced == ("a1", "a3", "b1", "b2", "c1")
    assert result.cut == {
        "城关": result.rows["城关"][1],
        "河东": result.rows["河东"][1],
        "河西": result.rows["河西"][0],
    }
    assert [r.id for r in result.rows["河东"]] == ["b1", "b2"]  # b3 has no score and never advances


def test_a_full_tie_at_the_cut_takes_everyone_tied_to_the_final():
    tied = [*FIELD, q("a5", "城关", 88, 20)]  # same score and same completion time as a3
    result = advance(tied, 3)
    assert result.advanced == ("c1", "a1", "a3", "a5")
    assert result.over_quota[ALL] == 1
    assert [r.rank for r in result.rows[ALL][:5]] == [1, 2, 3, 3, 5]


def test_scores_equal_as_shown_are_equal_at_the_cut():
    result = advance([q("x", "A", 80.001, 5), q("y", "A", 80.004, 9)], 1)
    assert result.advanced == ("x",)  # 80.00 each; x finished first


def test_at_least_one_place_advances():
    with pytest.raises(ValueError, match="at least one place"):
        advance(FIELD, 0)
