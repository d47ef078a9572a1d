"""What a correction sent as JSON must hold (`rules.corrections.parse`)."""

from hypothesis import given
from hypothesis import strategies as st

from drill.competitions.rules.corrections import Correction, Problem, parse


def test_a_decimal_text_a_number_or_nothing_is_a_score():
    assert parse({"round": 3, "score": "87.50", "reason": " 复核 "}) == Correction(3, 87.5, "复核")
    assert parse({"round": 3, "score": 0, "reason": "x"}) == Correction(3, 0.0, "x")
    assert parse({"round": 3, "score": 100, "reason": "x"}) == Correction(3, 100.0, "x")
    assert parse({"round": 3, "score": "", "reason": "x"}) == Correction(3, None, "x")
    assert parse({"round": 3, "reason": "x"}) == Correction(3, None, "x")  # withdraws the round's score


@given(st.floats(min_value=0, max_value=100))
def test_every_score_from_0_to_100_is_taken_as_sent(score):
    assert parse({"round": 1, "score": score, "reason": "x"}).score == score
    assert parse({"round": 1, "score": repr(score), "reason": "x"}).score == score


@given(st.one_of(st.floats().filter(lambda f: not 0 <= f <= 100), st.text().filter(lambda t: t.strip())))
def test_anything_else_names_the_score(value):
    try:
        ok = 0 <= float(value) <= 100
    except ValueError:
        ok = False
    found = parse({"round": 1, "score": value, "reason": "x"})
    assert isinstance(found, Correction) if ok else found == Problem("score", found.message)
