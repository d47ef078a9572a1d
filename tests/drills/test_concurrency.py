"""Races a manager can cause with two tabs or a flaky network, on SQLite and PostgreSQL alike:
nothing saved is lost, nothing is counted twice, and no request fails with a 500."""

import threading

import pytest
from sqlalchemy import delete, func, select

from drill.attempts.models import Attempt, AttemptItem
from drill.drills.models import Assignment, NotebookEntry
from tests.drills.conftest import positions_by_key, shaped, types_by_position


@pytest.fixture
def tabs(app, client, make_user, login):
    """tabs(n) → n test clients signed in as the same manager (one browser session, several tabs)."""
    login(make_user("m001"))
    cookie = client.get_cookie("session")

    def make(n):
        clients = []
        for _ in range(n):
            tab = app.test_client()
            tab.set_cookie("session", cookie.value)
            clients.append(tab)
        return clients

    return make


def run_together(*calls):
    """Start every call at the same moment; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_a_save_racing_a_submit_is_either_scored_or_refused_never_lost(tabs, start_drill, db):
    for _ in range(6):
        saver, submitter = tabs(2)
        attempt = start_drill(target=saver)
        position = positions_by_key(db, attempt)["ds-open"]
        save, submit = run_together(
            lambda a=attempt, s=saver, p=position: s.put(
                f"/api/attempts/{a.id}/items/{p}", json={"response": "在最后一刻"}
            ),
            lambda a=attempt, s=submitter: s.post(f"/drills/attempts/{a.id}/submit"),
        )
        assert save.status_code in (200, 409) and submit.status_code == 302
        db.session.expire_all()
        item = db.session.scalars(
            select(AttemptItem).where(AttemptItem.attempt_id == attempt.id, AttemptItem.position == position)
        ).one()
        assert db.session.get(Attempt, attempt.id).state == "submitted"
        if save.status_code == 200:
            assert item.response == "在最后一刻"  # saved before the submit took the lock, so it was scored
            assert item.detail is not None
        else:
            assert item.response is None


def test_two_tabs_saving_different_answers_keep_both(tabs, start_drill, db):
    first_tab, *others = tabs(8)
    attempt = start_drill(target=first_tab)
    clients = [first_tab, *others]
    answers = {p: shaped(t, f"答案{p}") for p, t in types_by_position(db, attempt).items()}
    results = run_together(
        *[
            lambda p=position, c=clients[position - 1]: c.put(
                f"/api/attempts/{attempt.id}/items/{p}", json={"response": answers[p]}
            )
            for position in range(1, 9)
        ]
    )
    assert [r.status_code for r in results] == [200] * 8
    db.session.expire_all()
    saved = {i.position: i.response for i in db.session.get(Attempt, attempt.id).items}
    assert saved == answers


def test_submitting_from_several_tabs_at_once_counts_once(tabs, start_drill, db):
    clients = tabs(4)
    attempt = start_drill(target=clients[0])
    results = run_together(*[lambda c=c: c.post(f"/drills/attempts/{attempt.id}/submit") for c in clients])
    assert all(r.status_code == 302 for r in results)
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).state == "submitted"
    # Seven auto-scored questions left blank: each is in the notebook exactly once.
    entries = db.session.scalar(select(func.count()).select_from(NotebookEntry))
    assert entries == 7


def test_a_double_tap_on_an_assigned_drill_starts_one_attempt(
    app, tabs, make_user, login, org, sample_pack, db
):
    from tests.drills.test_assignments import assign

    trainer = app.test_client()
    login(make_user("t001", roles={"trainer"}, branch="head"), target=trainer)
    assert assign(trainer, org).status_code == 302
    assignment_id = db.session.scalar(select(Assignment.id))
    for _ in range(3):
        db.session.execute(delete(Attempt))
        db.session.commit()
        taps = tabs(2)
        first, second = run_together(
            *[lambda t=t: t.post(f"/drills/assignments/{assignment_id}/start") for t in taps]
        )
        assert first.status_code == second.status_code == 302  # the second tap: "already started", no 500
        assert first.headers["Location"] == second.headers["Location"]
        db.session.expire_all()
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
