"""When a written or case round takes entries: its state and its window, at a given time."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from drill.competitions import entries

NOW = datetime(2030, 5, 1, 9, 30, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("state", "opens", "closes", "expected"),
    [
        ("open", None, None, "taking"),
        ("open", NOW - HOUR, NOW + HOUR, "taking"),
        ("open", NOW, NOW + HOUR, "taking"),  # from its opening time
        ("open", NOW + HOUR, None, "upcoming"),  # opened early: entries wait for the time
        ("open", NOW - HOUR, NOW, "over"),  # up to its closing time, not at it
        ("draft", NOW - HOUR, NOW + HOUR, "upcoming"),  # the organiser has not opened it
        ("draft", None, NOW - HOUR, "upcoming"),
        ("reviewing", None, None, "over"),
        ("closed", NOW - HOUR, NOW + HOUR, "over"),
    ],
)
def test_a_round_takes_entries_only_while_open_and_inside_its_window(state, opens, closes, expected):
    round_ = SimpleNamespace(state=state, opens_at=opens, closes_at=closes)
    assert entries.window(round_, NOW) == expected
    assert entries.window_open(round_, NOW) == (expected == "taking")


def test_a_round_past_its_closing_time_is_too_late_to_open():
    assert entries.too_late_to_open(SimpleNamespace(closes_at=NOW), NOW)  # at its closing time
    assert entries.too_late_to_open(SimpleNamespace(closes_at=NOW - HOUR), NOW)
    assert not entries.too_late_to_open(SimpleNamespace(closes_at=NOW + HOUR), NOW)
    assert not entries.too_late_to_open(SimpleNamespace(closes_at=None), NOW)  # no set time
