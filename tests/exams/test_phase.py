"""An exam's phase for its organisers: released, closed early, upcoming, open, or being graded."""

from datetime import UTC, datetime, timedelta

import pytest

from drill.exams.rules.eligibility import phase

OPENS = datetime(2026, 5, 1, 1, tzinfo=UTC)
CLOSES = OPENS + timedelta(hours=3)


@pytest.mark.parametrize(
    ("released", "closed_early", "now", "expected"),
    [
        (False, False, OPENS - timedelta(seconds=1), "upcoming"),
        (False, False, OPENS, "open"),
        (False, False, CLOSES - timedelta(seconds=1), "open"),
        (False, False, CLOSES, "grading"),
        (False, True, OPENS + timedelta(hours=1), "closed_early"),
        (True, True, CLOSES + timedelta(days=1), "released"),
        (True, False, CLOSES + timedelta(days=1), "released"),
    ],
)
def test_the_phase_follows_the_window_the_closure_and_the_release(released, closed_early, now, expected):
    found = phase(released=released, closed_early=closed_early, opens=OPENS, closes=CLOSES, now=now)
    assert found == expected
