"""The one way an attempt closes (`engine.close`): why it closes decides whether it does and how, the
answers are scored once, and each kind's follow-up runs in the same transaction; a kind nobody registered
cannot close at all, so a forgotten follow-up (a round that would never score) fails loudly."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from drill.attempts import engine
from drill.attempts.engine import Why
from drill.attempts.models import Attempt
from drill.attempts.rules import kinds
from drill.database import utcnow
from drill.drills import services
from drill.drills.models import NotebookEntry
from tests.drills.conftest import sample_pack  # noqa: F401  (the eight-question pack, imported)

GRACE = 5


@pytest.fixture
def paper(db, make_user, sample_pack):  # noqa: F811
    """paper(minutes_ago=0, minutes=10, kind="practice") → a manager's open drill of three questions."""
    user = make_user("m001")

    def make(minutes_ago=0, minutes=10, kind=kinds.PRACTICE):
        started = utcnow() - timedelta(minutes=minutes_ago)
        criteria = services.Criteria(pack_slug="drill-sample", count=3, minutes=minutes)
        attempt = services.start(user, criteria, started, kind=kind, title="练兵")
        db.session.commit()
        return attempt.id

    return make


def reread(db, attempt_id):
    db.session.expire_all()
    return db.session.get(Attempt, attempt_id)


def test_a_submitted_paper_closes_once_scored_and_files_its_wrong_answers(db, paper):
    attempt_id = paper()
    closed = engine.close(attempt_id, utcnow(), Why.SUBMITTED, grace=GRACE)
    db.session.commit()
    assert closed is not None and closed.state == "submitted" and closed.max_score > 0
    assert engine.close(attempt_id, utcnow(), Why.SUBMITTED, grace=GRACE) is None  # a second tap: nothing
    # Nothing was answered: every auto-scored question of the paper is now in the notebook, once.
    noted = db.session.scalars(select(NotebookEntry.question_id)).all()
    assert len(noted) == len(set(noted)) > 0


def test_a_paper_submitted_after_its_deadline_and_grace_is_expired_not_submitted(db, paper):
    attempt_id = paper(minutes_ago=30, minutes=10)
    assert engine.close(attempt_id, utcnow(), Why.SUBMITTED, grace=GRACE).state == "expired"


def test_the_deadline_closes_a_paper_only_once_its_time_and_grace_are_up(db, paper):
    running, overdue = paper(minutes=10), paper(minutes_ago=30, minutes=10)
    assert engine.close(running, utcnow(), Why.DEADLINE, grace=GRACE) is None
    assert engine.close(overdue, utcnow(), Why.DEADLINE, grace=GRACE).state == "expired"
    db.session.commit()
    assert reread(db, running).state == "open"


def test_closing_the_round_closes_a_paper_at_once_whatever_its_deadline(db, paper):
    attempt_id = paper(minutes=60)
    assert engine.close(attempt_id, utcnow(), Why.ROUND_CLOSED).state == "expired"


def test_only_the_owner_closes_their_paper_by_a_late_save(db, paper, make_user):
    attempt_id = paper(minutes_ago=30, minutes=10)
    other = make_user("m002")
    refused = engine.save_answer(attempt_id, other.id, 1, ["a"], utcnow(), GRACE)
    assert refused.outcome is engine.SaveOutcome.NOT_FOUND
    assert reread(db, attempt_id).state == "open"


def test_a_kind_without_a_follow_up_cannot_close_and_nothing_changes(db, paper):
    attempt_id = paper(kind="unheard-of")
    with pytest.raises(LookupError, match="unheard-of"):
        engine.close(attempt_id, utcnow(), Why.SUBMITTED, grace=GRACE)
    db.session.rollback()
    attempt = reread(db, attempt_id)
    assert (attempt.state, attempt.score) == ("open", None)


def test_a_kind_keeps_the_follow_up_it_was_registered_with(app):
    kinds.register(kinds.COMPETITION, kinds.on_close(kinds.COMPETITION))  # every app registers it again
    with pytest.raises(ValueError, match="competition"):
        kinds.register(kinds.COMPETITION, kinds.nothing)
