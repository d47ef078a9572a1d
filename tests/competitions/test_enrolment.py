"""Adding participants by a list of employee numbers: each number not added comes back with its reason."""

from drill.competitions import enrolment
from drill.competitions.enrolment import Account

FINE = Account(in_scope=True, active=True, manager=True, taking_part=False)
ACCOUNTS = {
    "e1": FINE,
    "e2": FINE,
    "w1": Account(in_scope=False, active=True, manager=True, taking_part=False),
    "old": Account(in_scope=True, active=False, manager=True, taking_part=False),
    "judge1": Account(in_scope=True, active=True, manager=False, taking_part=False),
    "in": Account(in_scope=True, active=True, manager=True, taking_part=True),
    "far": Account(in_scope=False, active=False, manager=False, taking_part=False),
}


def test_every_number_not_added_is_reported_with_its_reason_in_a_fixed_order():
    numbers = ["e1", "9999", "w1", "old", "judge1", "in", "e1", "e2", "9999", "far"]
    added, skipped = enrolment.screen(numbers, ACCOUNTS)
    assert added == ["e1", "e2"]
    assert skipped == {
        enrolment.UNKNOWN: ["9999"],  # once, though listed twice
        enrolment.OUTSIDE: ["w1", "far"],  # outside the trainer's branches says no more about the account
        enrolment.INACTIVE: ["old"],
        enrolment.NOT_MANAGER: ["judge1"],
        enrolment.ALREADY: ["in"],
        enrolment.REPEATED: ["e1"],  # added once
    }


def test_a_clean_list_adds_everyone_and_reports_nothing():
    assert enrolment.screen(["e2", "e1"], ACCOUNTS) == (["e2", "e1"], {})
    assert enrolment.screen([], ACCOUNTS) == ([], {})


def test_a_long_list_of_one_reason_is_cut_and_counted():
    numbers = [f"x{i:02d}" for i in range(23)]
    assert enrolment.listed(numbers[:2]) == "x00, x01"
    assert enrolment.listed(numbers) == ", ".join(numbers[:20]) + " … (+3)"
