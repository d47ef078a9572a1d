"""The pure rules of drills: deadlines, drawing, the notebook, totals. No Flask, no sleeping."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from drill.attempts.rules import states, timing
from drill.attempts.rules.results import ScoredItem, by_competency, total
from drill.drills.rules import notebook
from drill.drills.rules.paper import Candidate, draw

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def test_the_deadline_is_start_plus_limit_or_the_window_close_if_earlier():
    assert timing.deadline_for(T0, 10) == T0 + timedelta(minutes=10)
    assert timing.deadline_for(T0, 10, closes=T0 + timedelta(minutes=4)) == T0 + timedelta(minutes=4)


def test_remaining_seconds_never_go_negative():
    deadline = T0 + timedelta(minutes=1)
    assert timing.remaining_seconds(deadline, T0) == 60
    assert timing.remaining_seconds(deadline, deadline + timedelta(hours=1)) == 0


def test_a_save_inside_the_grace_counts_and_one_after_does_not():
    deadline = T0 + timedelta(minutes=10)
    assert timing.accepts(deadline, deadline + timedelta(seconds=4), grace_seconds=5)
    assert not timing.accepts(deadline, deadline + timedelta(seconds=6), grace_seconds=5)
    assert timing.overdue(deadline, deadline + timedelta(seconds=6), grace_seconds=5)


def test_attempts_never_move_backwards():
    assert states.can_move("open", "submitted") and states.can_move("open", "expired")
    for closed in ("submitted", "expired"):
        assert not any(states.can_move(closed, target) for target in ("open", "submitted", "expired"))


def candidates(n):
    return [Candidate(version_id=i, question_key=f"q{i}") for i in range(n)]


def test_the_same_seed_draws_the_same_paper():
    assert draw(candidates(30), 10, seed=7) == draw(candidates(30), 10, seed=7)
    assert draw(candidates(30), 10, seed=7) != draw(candidates(30), 10, seed=8)


@given(n=st.integers(0, 40), count=st.integers(1, 50), seed=st.integers())
def test_a_paper_never_repeats_a_question_and_draws_what_there_is(n, count, seed):
    paper = draw(candidates(n), count, seed)
    ids = [item.version_id for item in paper]
    assert len(ids) == len(set(ids)) == min(n, count)
    assert [item.position for item in paper] == list(range(1, len(paper) + 1))


def test_due_mistakes_lead_the_paper():
    due = [Candidate(100, "q100"), Candidate(101, "q101")]
    paper = draw(candidates(10), 5, seed=1, first=due)
    assert [item.version_id for item in paper[:2]] == [100, 101]
    assert len(paper) == 5


def test_a_wrong_answer_enters_box_one_due_at_once():
    entry = notebook.after_answer(None, correct=False, now=T0)
    assert entry == notebook.Entry(box=1, due=T0)


def test_a_right_answer_outside_the_notebook_changes_nothing():
    assert notebook.after_answer(None, correct=True, now=T0) is None


def test_right_answers_on_spaced_intervals_lead_out_of_the_notebook():
    entry = notebook.after_answer(None, False, T0)
    entry = notebook.after_answer(entry, True, T0)
    assert entry == notebook.Entry(2, datetime(2026, 11, 29, tzinfo=UTC))  # from the start of the next day
    early = notebook.after_answer(entry, True, T0 + timedelta(hours=1))
    assert early == entry  # right again before it is due: spacing is the point
    entry = notebook.after_answer(entry, True, T0 + timedelta(days=1))
    assert entry.box == 3
    assert notebook.after_answer(entry, True, entry.due) is None  # mastered


def test_a_review_falls_due_at_the_start_of_the_local_day():
    shanghai = ZoneInfo("Asia/Shanghai")
    evening = datetime(2026, 12, 6, 14, 30, tzinfo=UTC)  # 22:30 in Beijing on 6 December
    entry = notebook.after_answer(notebook.Entry(1, evening), True, evening, shanghai)
    assert entry.due == datetime(2026, 12, 7, 0, 0, tzinfo=shanghai)  # due from 00:00 on 7 December there
    assert notebook.is_due(entry, datetime(2026, 12, 6, 23, 5, tzinfo=UTC))  # 07:05 on 7 December, Beijing


def test_a_wrong_answer_sends_it_back_to_box_one():
    entry = notebook.Entry(3, T0)
    assert notebook.after_answer(entry, False, T0 + timedelta(days=9)) == notebook.Entry(
        1, T0 + timedelta(days=9)
    )


def test_totals_leave_open_answers_out_and_break_down_by_competency():
    items = [
        ScoredItem(2, 2, ("ethics",)),
        ScoredItem(2, 0.5, ("ethics", "analysis")),
        ScoredItem(10, None, ("analysis",)),
    ]
    assert total(items).earned == 2.5 and total(items).points == 4
    shares = by_competency(items)
    assert shares["ethics"].percent == 62.5
    assert shares["analysis"].earned == 0.5 and shares["analysis"].points == 2
