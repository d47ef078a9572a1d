"""Score events are numbered without a hot row (#22): on PostgreSQL scorers of one competition no longer
queue behind one competition row, numbers may commit out of order, and a board caught up poll by poll
still equals a rebuild from the whole log — under concurrent writers, on SQLite and on PostgreSQL."""

import random
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from drill.competitions import boards, events
from drill.competitions.models import Competition, Participant, Round, ScoreEvent
from drill.database import utcnow

# One writer: a list of (participant 0-3, score or None to withdraw, ms to hold the transaction open).
WRITES = st.lists(
    st.tuples(st.integers(0, 3), st.none() | st.floats(0, 100), st.integers(0, 4)), min_size=1, max_size=6
)


def caught_up_equals_rebuild(app, competition_id):
    caught_up = boards.snapshot(competition_id, live=True)
    taken = boards._entry(competition_id).seq
    app.extensions["competition_boards"]["by_id"].clear()  # the next read rebuilds from the whole log
    rebuilt = boards.snapshot(competition_id, live=True)
    return caught_up, taken, rebuilt


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writers=st.lists(WRITES, min_size=2, max_size=4), seed=st.integers(0, 1000))
def test_a_board_caught_up_poll_by_poll_equals_a_rebuild_under_concurrent_writers(
    app, db, game, writers, seed
):
    app.config["BOARD_CATCH_UP_SECONDS"] = 0  # every poll asks the database
    competition_id, round_id, pids = game
    boards.snapshot(competition_id, live=True)  # built before the writers start: from now on it catches up
    done, failures, polls = threading.Event(), [], [0]

    def write(plan, rng):
        try:
            with app.app_context():
                round_ = db.session.get(Round, round_id)
                for who, score, hold in plan:
                    participant = db.session.get(Participant, pids[who])
                    now = utcnow()
                    events.record(round_, participant, score, completed_at=now, reason="test", now=now)
                    time.sleep(hold / 1000 * rng.random())  # commits land out of number order
                    db.session.commit()
        except Exception as error:
            failures.append(error)

    def poll():
        try:
            with app.app_context():
                while not done.is_set():
                    boards.snapshot(competition_id, live=True)
                    db.session.rollback()  # end the read: the next poll sees what committed since
                    polls[0] += 1
        except Exception as error:
            failures.append(error)

    rng = random.Random(seed)
    threads = [threading.Thread(target=write, args=(plan, random.Random(rng.random()))) for plan in writers]
    poller = threading.Thread(target=poll)
    poller.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    poller.join()
    assert not failures, failures
    assert polls[0] > 0
    db.session.rollback()
    caught_up, taken, rebuilt = caught_up_equals_rebuild(app, competition_id)
    logged = db.session.scalar(select(func.count()).where(ScoreEvent.competition_id == competition_id))
    assert taken == logged  # every event taken in once: none missed, none twice
    assert caught_up.individual() == rebuilt.individual()
    assert caught_up.teams() == rebuilt.teams()


def test_recording_a_score_does_not_touch_the_competition_row_on_postgresql(db, game):
    competition_id, round_id, pids = game
    before = db.session.scalar(select(Competition.event_seq).where(Competition.id == competition_id))
    now = utcnow()
    first = events.record(
        db.session.get(Round, round_id), db.session.get(Participant, pids[0]), 50, completed_at=now,
        reason="test", now=now,
    )  # fmt: skip
    second = events.record(
        db.session.get(Round, round_id), db.session.get(Participant, pids[1]), 60, completed_at=now,
        reason="test", now=now,
    )  # fmt: skip
    db.session.commit()
    after = db.session.scalar(select(Competition.event_seq).where(Competition.id == competition_id))
    assert second.seq > first.seq
    if db.engine.dialect.name == "postgresql":
        assert after == before  # numbered by a sequence: no row lock shared by the scorers
        assert first.txid == second.txid  # one transaction
    else:
        assert after == before + 2 and first.txid is None


@pytest.fixture
def game(db, contest):
    made = contest(kind="judged")
    return made.competition.id, made.round.id, [made.pid[f"m{i}"] for i in range(1, 5)]
