"""What an organiser may change in a round, by its state: pure rules, no Flask, no database."""

import pytest

from drill.competitions.rules import editing, states

ROUND = {name: None for name in editing.SETTINGS} | {"kind": "case", "title": "案例", "weight": 1.0}


def test_a_draft_may_change_everything_its_kind_included():
    after = dict(ROUND, kind="written", blueprint=[{"part": "written", "count": 1}], weight=2.0)
    changed = editing.changes(ROUND, after)
    assert set(changed) == {"kind", "blueprint", "weight"}
    assert editing.refused(states.DRAFT, changed) == []
    assert editing.fixed(states.DRAFT) == []


@pytest.mark.parametrize("state", [states.OPEN, states.REVIEWING])
def test_once_opened_what_entries_rest_on_is_fixed(state):
    entries_rest_on = (
        "kind", "opens_at", "blueprint", "case_pack_id", "rubric_pack_id", "time_limit_minutes",
        "speed_bonus", "speed_floor", "qualify_from_id", "qualify_top_n", "qualify_per_branch",
    )  # fmt: skip
    for name in entries_rest_on:
        assert editing.refused(state, [name]) == [name], name
    still_free = (
        "title",
        "weight",
        "review_closes_at",
        "judge_budget",
        "peer_weight",
        "judge_weight",
        "judges",
    )
    for name in still_free:
        assert editing.refused(state, [name]) == [], name


def test_the_closing_time_may_move_while_open_but_not_once_entries_are_closed():
    assert editing.refused(states.OPEN, ["closes_at"]) == []
    assert editing.refused(states.REVIEWING, ["closes_at"]) == ["closes_at"]


def test_a_closed_round_changes_only_its_title_and_weight_and_a_new_weight_needs_a_reason():
    assert editing.refused(states.CLOSED, ["title", "weight"]) == []
    assert editing.refused(states.CLOSED, ["judges", "weight", "judge_budget"]) == ["judge_budget", "judges"]
    assert editing.needs_reason(states.CLOSED, ["weight"])
    assert not editing.needs_reason(states.CLOSED, ["title"])
    assert not editing.needs_reason(states.OPEN, ["weight"])


def test_unchanged_settings_are_no_change_whatever_the_state():
    assert editing.changes(ROUND, dict(ROUND)) == {}
    assert editing.refused(states.CLOSED, editing.changes(ROUND, dict(ROUND))) == []


def test_the_boards_are_rebuilt_for_what_they_show_or_weigh():
    assert editing.moves_boards(["weight"]) and editing.moves_boards(["judges"])
    assert editing.moves_boards(["peer_weight"]) and editing.moves_boards(["title"])
    assert editing.moves_boards(["qualify_top_n"])  # a final's board says who qualifies, and how
    assert not editing.moves_boards(["closes_at", "review_closes_at"])


def test_a_running_case_or_judged_round_is_rescored_when_its_weights_threshold_or_judges_change():
    assert editing.rescores("case", states.REVIEWING, ["peer_weight"])
    assert editing.rescores("case", states.OPEN, ["judge_budget"])
    assert editing.rescores("judged", states.OPEN, ["judges"])
    assert not editing.rescores("case", states.DRAFT, ["peer_weight"])  # no scores yet
    assert not editing.rescores("written", states.OPEN, ["judges"])
    assert not editing.rescores("case", states.REVIEWING, ["title", "weight"])  # the boards re-weigh


def test_once_anyone_is_scored_the_kind_case_and_rubric_are_fixed_even_in_a_draft():
    assert editing.refused(states.DRAFT, ["rubric_pack_id", "title"], scored=True) == ["rubric_pack_id"]
    assert editing.refused(states.DRAFT, ["kind", "case_pack_id"], scored=True) == ["kind", "case_pack_id"]
    assert editing.fixed(states.DRAFT, scored=True) == ["kind", "case_pack_id", "rubric_pack_id"]
    assert editing.refused(states.DRAFT, ["rubric_pack_id"]) == []  # nobody scored: a draft is free
    assert editing.why_fixed(states.DRAFT) is None
    assert editing.why_fixed(states.DRAFT, scored=True) == editing.WHY_SCORED
    # Once open they were fixed anyway, and what is still free stays free.
    assert editing.fixed(states.OPEN, scored=True) == editing.fixed(states.OPEN)
    assert editing.refused(states.OPEN, ["judges", "weight"], scored=True) == []
    assert editing.why_fixed(states.OPEN, scored=True) == editing.WHY_FIXED[states.OPEN]
