"""The organiser's round overview reads; it never closes anyone's paper (that is the deadline job's)."""

from datetime import timedelta

from sqlalchemy import select, update

from drill import housekeeping
from drill.attempts.models import Attempt
from drill.database import utcnow


def test_opening_the_round_overview_closes_no_overdue_entry(db, contest, signed_in):
    game = contest()
    base = f"/competitions/{game.competition.id}/rounds/{game.round.id}"
    started = signed_in(game.people[0]).post(f"{base}/start")
    attempt_id = int(started.headers["Location"].rsplit("/", 1)[1])
    db.session.execute(
        update(Attempt).where(Attempt.id == attempt_id).values(deadline=utcnow() - timedelta(minutes=5))
    )
    db.session.commit()
    organiser = signed_in(game.trainer)
    assert organiser.get(f"{base}/manage").status_code == 200
    assert db.session.scalar(select(Attempt.state).where(Attempt.id == attempt_id)) == "open"
    housekeeping.run(utcnow())
    db.session.expire_all()
    assert db.session.scalar(select(Attempt.state).where(Attempt.id == attempt_id)) == "expired"
