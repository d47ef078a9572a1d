"""One gate for "may this person see answers now" (drill/reveal.py), and the pages that ask it: a drill's
result, an exam's result before and after the release, a case round's calibration."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from drill.attempts.models import Attempt
from drill.competitions.rules import states as rounds
from drill.database import utcnow
from drill.exams.models import Exam
from drill.reveal import EVERYTHING, JUDGE, NOTHING, ORGANISER, OTHER, OWNER, REVIEW, REVIEWER, Shown, shown

NOW = datetime(2026, 12, 7, 2, tzinfo=UTC)


@pytest.mark.parametrize("kind", ["practice", "assigned", "review"])
def test_a_drill_shows_its_owner_keys_and_explanations_only_once_closed(kind):
    assert shown(kind=kind, viewer=OWNER, closed=False, now=NOW) == NOTHING
    assert shown(kind=kind, viewer=OWNER, closed=True, now=NOW) == REVIEW
    assert not REVIEW.examples
    assert shown(kind=kind, viewer=OTHER, closed=True, now=NOW) == NOTHING


def test_an_exam_shows_its_candidate_nothing_before_the_release_and_nothing_if_review_is_off():
    def exam(released_at, allow_review=True, closed=True):
        return shown(
            kind="exam",
            viewer=OWNER,
            closed=closed,
            now=NOW,
            released_at=released_at,
            allow_review=allow_review,
        )

    assert exam(None) == NOTHING
    assert exam(NOW + timedelta(minutes=1)) == NOTHING  # a release set for later is not a release
    assert exam(NOW - timedelta(days=1), allow_review=False) == NOTHING
    assert exam(NOW - timedelta(days=1), closed=False) == NOTHING
    assert exam(NOW - timedelta(days=1)) == REVIEW
    assert shown(kind="exam", viewer=ORGANISER, closed=False, now=NOW) == EVERYTHING  # preview, grading


@pytest.mark.parametrize(
    ("state", "participant", "reviewer", "judge"),
    [
        (rounds.DRAFT, NOTHING, NOTHING, NOTHING),
        (rounds.OPEN, NOTHING, NOTHING, EVERYTHING),
        (rounds.REVIEWING, Shown(examples=True), Shown(examples=True, reference=True), EVERYTHING),
        (rounds.CLOSED, EVERYTHING, Shown(examples=True, reference=True), EVERYTHING),
    ],
)
def test_a_case_rounds_examples_and_reference_open_only_once_entries_are_closed(
    state, participant, reviewer, judge
):
    def of(viewer):
        return shown(kind="competition", viewer=viewer, closed=True, now=NOW, round_state=state)

    assert (of(OWNER), of(REVIEWER), of(JUDGE)) == (participant, reviewer, judge)
    assert of(OTHER) == NOTHING and of(ORGANISER) == EVERYTHING
    # A participant's own entry still open in a closed round shows them nothing but the examples
    assert shown(kind="competition", viewer=OWNER, closed=False, now=NOW, round_state=state).key is False


def test_an_unknown_kind_or_a_round_without_a_state_shows_nothing():
    assert shown(kind="competition", viewer=OWNER, closed=True, now=NOW) == NOTHING
    assert shown(kind="something-new", viewer=OWNER, closed=True, now=NOW) == NOTHING


def test_a_drills_explanations_appear_on_its_page_only_after_it_is_submitted(
    client, db, make_user, login, start_drill
):
    login(make_user(branch="east1"))
    attempt = start_drill()
    page = client.get(f"/drills/attempts/{attempt.id}").get_data(as_text=True)
    assert "解析秘文" not in page
    assert client.post(f"/drills/attempts/{attempt.id}/submit").status_code == 302
    assert "单选解析秘文一" in client.get(f"/drills/attempts/{attempt.id}").get_data(as_text=True)


def test_an_exam_result_shows_the_review_only_after_the_release_and_only_if_allowed(
    client, db, make_user, login, make_exam, sample_pack
):
    login(make_user(branch="east1"))
    exam = make_exam(blueprint=[{"part": "theory", "count": 1, "points": 10, "type": "single"}])
    attempt_id = int(client.post(f"/exams/{exam.id}/start").headers["Location"].rsplit("/", 1)[1])
    assert client.post(f"/drills/attempts/{attempt_id}/submit").status_code == 302
    assert db.session.get(Attempt, attempt_id).closed
    result = f"/exams/{exam.id}/result"
    assert "单选解析秘文一" not in client.get(result).get_data(as_text=True)
    exam = db.session.get(Exam, exam.id)
    exam.released_at, exam.allow_review = utcnow() - timedelta(minutes=1), False
    db.session.commit()
    assert "单选解析秘文一" not in client.get(result).get_data(as_text=True)
    exam.allow_review = True
    db.session.commit()
    assert "单选解析秘文一" in client.get(result).get_data(as_text=True)
