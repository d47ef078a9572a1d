"""A board is rebuilt when what it shows changes, wherever the change is made: the flush that changes a
competition's participants, rounds, judges or rules raises its config version (boards compare it on every
catch-up, on every node). Changes a catch-up reads afresh anyway leave it alone."""

from datetime import timedelta

from drill.competitions import setup
from drill.competitions.models import Competition, Participant, RoundJudge
from drill.database import utcnow


def test_changes_a_board_shows_raise_the_version_without_anyone_asking(db, contest, make_user):
    game = contest(kind="judged")
    competition_id, round_id = game.competition.id, game.round.id

    def competition():
        return db.session.get(Competition, competition_id)

    def raises_version(change) -> bool:
        db.session.expire_all()
        before = competition().config_version
        change()
        db.session.commit()
        db.session.expire_all()
        return competition().config_version > before

    def disqualify_by_hand():
        db.session.get(Participant, game.pid["m1"]).disqualified_at = utcnow()  # no service, no bump call

    assert raises_version(disqualify_by_hand)
    assert raises_version(lambda: setattr(game.round, "weight", 2.0))
    assert raises_version(lambda: db.session.add(RoundJudge(round_id=round_id, user_id=make_user("j1").id)))
    assert raises_version(lambda: setattr(competition(), "team_rule", "top"))
    assert raises_version(lambda: setup.add_participants(competition(), [make_user("m9", branch="east1")]))
    # Read afresh by every catch-up: no rebuild for these.
    assert not raises_version(lambda: setattr(competition(), "title", "新名称"))
    assert not raises_version(lambda: setattr(game.round, "closes_at", utcnow() + timedelta(days=1)))
