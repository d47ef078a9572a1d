"""The peer model's fit runs on arrays (a province's round in a fraction of a second, #14) and gives the
numbers the sweep written element by element gives, on every kind of round."""

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drill.competitions.rules.peer_model import Prior, _fit
from tests.competitions import peer_reference

TOP = 100.0
scores = st.floats(0, TOP, allow_nan=False)
MANY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def close(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(math.isclose(a[k], b[k], rel_tol=1e-9, abs_tol=1e-9) for k in a)


@MANY
@given(
    reviews=st.dictionaries(st.tuples(st.integers(0, 9), st.integers(0, 14)), scores, max_size=60),
    calibration=st.dictionaries(st.tuples(st.integers(0, 9), st.integers(0, 2)), scores, max_size=20),
    experts=st.tuples(scores, scores, scores),
    top=st.sampled_from([TOP, 60.0, 5.0]),
)
def test_the_array_fit_gives_the_element_by_element_numbers(reviews, calibration, experts, top):
    expert = {f"x{i}": min(s, top) for i, s in enumerate(experts)}
    given_reviews = sorted((f"r{r}", f"e{e}", min(s, top)) for (r, e), s in reviews.items())
    given_calibration = sorted((f"r{r}", f"x{x}", min(s, top)) for (r, x), s in calibration.items())
    found = _fit(top, expert, given_calibration, given_reviews, Prior())
    wanted = peer_reference.fit(top, expert, given_calibration, given_reviews, Prior())
    assert math.isclose(found.mean, wanted.mean, rel_tol=1e-9, abs_tol=1e-9)
    assert math.isclose(found.spread, wanted.spread, rel_tol=1e-9)
    for name in ("bias", "noise", "score", "variance"):
        assert close(getattr(found, name), getattr(wanted, name)), name


def test_the_benchmark_fits_a_generated_round_and_reports_it(capsys):
    from bench import peer_fit

    assert peer_fit.main(["--entries", "40", "--repeat", "1"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("RESULT ") and '"reviews": 120' in last
