"""The page-leave and device rules, without Flask or a database."""

from datetime import UTC, datetime

from drill.integrity.rules import controls

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


def test_practice_drills_have_no_controls_and_exams_have_all_unless_switched_off():
    assert controls.settings_for("practice", controls.DEFAULT) == controls.OFF
    assert controls.settings_for("assigned", None) == controls.OFF
    assert controls.settings_for("exam", None) == controls.DEFAULT
    assert controls.settings_for("competition", None).one_device
    stored = controls.Settings(count_leaves=False, leave_limit=3)
    assert controls.settings_for("exam", stored).leave_limit is None  # no limit without counting


def test_the_candidate_is_warned_one_page_leave_before_the_limit():
    assert [controls.leave_status(n, 3) for n in range(5)] == ["ok", "ok", "warn", "submit", "submit"]
    assert controls.leave_status(40, None) == "ok"


def left(watch, settings, device="d1", address="10.0.0.1"):
    return controls.apply(watch, controls.Incoming("left", device, address), settings, NOW)


def test_reaching_the_limit_is_recorded_once():
    settings = controls.Settings(leave_limit=2)
    first = left(controls.Watch(device="d1"), settings)
    second = left(first.watch, settings)
    third = left(second.watch, settings)
    assert (first.record, second.record, third.record) == (("left",), ("left", "limit"), ("left",))
    assert third.watch.leaves == 3 and third.watch.limit_reached_at == NOW


def test_leaves_are_not_counted_when_counting_is_off():
    outcome = left(controls.Watch(device="d1"), controls.Settings(count_leaves=False))
    assert outcome.watch.leaves == 0 and outcome.record == ("left",)


def test_a_paper_opened_on_another_device_moves_there_and_the_first_is_told():
    watch = controls.apply(
        controls.Watch(), controls.Incoming("opened", "d1", "10.0.0.1"), controls.DEFAULT, NOW
    ).watch
    moved = controls.apply(watch, controls.Incoming("opened", "d2", "10.0.0.2"), controls.DEFAULT, NOW)
    assert moved.record == ("opened", "device", "address") and not moved.superseded
    assert (moved.watch.device, moved.watch.devices) == ("d2", 1)
    told = controls.apply(moved.watch, controls.Incoming("alive", "d1", "10.0.0.2"), controls.DEFAULT, NOW)
    assert told.superseded and told.record == ()
    alone = controls.Settings(one_device=False)
    assert not controls.apply(moved.watch, controls.Incoming("alive", "d1", None), alone, NOW).superseded


def test_the_overview_counts_candidates_over_the_threshold():
    assert controls.over({1: 3, 2: 2, 3: 5}, 2) == 2
