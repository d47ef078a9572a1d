"""The deadline job: `drill housekeeping` closes every overdue paper in chunks, each once however many
nodes run it at the same moment; a request closes only its own user's paper, and a trainer's report
closes nothing (it says "overdue, closing")."""

from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from drill import housekeeping
from drill.attempts.models import Attempt
from drill.attempts.rules import kinds
from drill.database import utcnow
from drill.drills import services
from drill.drills.models import Assignment
from drill.extensions import db as _db
from tests.drills.test_concurrency import run_together


@pytest.fixture
def overdue(db, sample_pack):
    """overdue(user, n=1) → ids of n papers the user started an hour ago with ten minutes to answer."""

    def make(user, n=1):
        started = utcnow() - timedelta(hours=1)
        criteria = services.Criteria(pack_slug="drill-sample", count=3, minutes=10)
        ids = [services.start(user, criteria, started, title="练兵").id for _ in range(n)]
        db.session.commit()
        return ids

    return make


def states_of(db, ids):
    db.session.expire_all()
    return [db.session.get(Attempt, i).state for i in ids]


def test_the_job_closes_every_overdue_paper_in_chunks_and_scores_it(db, make_user, overdue, runner):
    ids = overdue(make_user("m001"), 7)
    assert housekeeping.run(utcnow(), chunk=2) == (7, 0)
    assert states_of(db, ids) == ["expired"] * 7
    assert all(db.session.get(Attempt, i).max_score for i in ids)
    result = runner.invoke(args=["housekeeping", "--chunk", "2"])
    assert result.exit_code == 0 and "已关闭 0 份超时作答" in result.output


def test_two_nodes_running_the_job_at_once_close_each_paper_once(app, db, make_user, overdue, monkeypatch):
    ids = overdue(make_user("m001"), 12)
    closings = []
    follow_up = kinds.on_close(kinds.PRACTICE)

    def counted(closing):  # the drill's own follow-up, counting the papers it closes
        closings.append(closing.attempt.id)
        follow_up(closing)

    monkeypatch.setitem(kinds._ON_CLOSE, kinds.PRACTICE, counted)

    def node():
        with app.app_context():
            return housekeeping.run_once(utcnow(), chunk=3).closed

    totals = run_together(node, node)
    assert sum(totals) == 12
    assert sorted(closings) == sorted(ids)  # every paper closed, none twice
    assert states_of(db, ids) == ["expired"] * 12


def test_a_run_that_finds_another_node_running_it_does_nothing(app, db, make_user, overdue, runner):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the run lock is PostgreSQL's advisory lock; SQLite has one writer")
    ids = overdue(make_user("m001"))
    with db.engine.connect() as other_node:
        other_node.execute(text("SELECT pg_advisory_lock(hashtext(:key))"), {"key": housekeeping.RUN_LOCK})
        assert housekeeping.run_once(utcnow()).ran is False
        result = runner.invoke(args=["housekeeping"])
        assert "另一个节点正在执行" in result.output
        assert states_of(db, ids) == ["open"]
        other_node.execute(text("SELECT pg_advisory_unlock(hashtext(:key))"), {"key": housekeeping.RUN_LOCK})
    assert housekeeping.run_once(utcnow()).closed == 1


def test_opening_your_own_late_paper_closes_yours_and_no_one_elses(client, db, make_user, login, overdue):
    me, other = make_user("m001"), make_user("m002")
    (mine,), (theirs,) = overdue(me), overdue(other)
    login(me)
    assert client.get(f"/drills/attempts/{mine}").status_code == 200
    assert states_of(db, [mine, theirs]) == ["expired", "open"]


def test_a_trainers_report_closes_nothing_and_shows_overdue_closing(
    app, client, db, make_user, login, org, sample_pack
):
    from tests.drills.test_assignments import assign

    login(make_user("t001", roles={"trainer"}, branch="head"))
    assert assign(client, org).status_code == 302
    assignment_id = db.session.scalar(select(Assignment.id))
    manager = app.test_client()
    login(make_user("m100", branch="east1"), target=manager)
    started = manager.post(f"/drills/assignments/{assignment_id}/start")
    attempt_id = int(started.headers["Location"].rsplit("/", 1)[1])
    db.session.execute(
        update(Attempt).where(Attempt.id == attempt_id).values(deadline=utcnow() - timedelta(minutes=5))
    )
    db.session.commit()
    report = client.get(f"/drills/assignments/{assignment_id}").get_data(as_text=True)
    assert "已超时，正在收卷" in report
    assert states_of(db, [attempt_id]) == ["open"]
    housekeeping.run(utcnow())
    assert states_of(db, [attempt_id]) == ["expired"]
    assert "已超时，正在收卷" not in client.get(f"/drills/assignments/{assignment_id}").get_data(as_text=True)


def test_the_job_leaves_papers_within_their_grace_open(db, make_user, sample_pack):
    user = make_user("m001")
    criteria = services.Criteria(pack_slug="drill-sample", count=3, minutes=10)
    attempt = services.start(user, criteria, utcnow() - timedelta(minutes=10, seconds=2), title="练兵")
    _db.session.commit()
    assert housekeeping.run(utcnow()) == (0, 0)  # two seconds past: the five-second grace still holds
    assert states_of(db, [attempt.id]) == ["open"]
