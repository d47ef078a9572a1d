"""A drill assigned with a fixed paper: everyone answers the same questions, so the totals are equal."""

import re

from sqlalchemy import select

from drill.attempts.models import Attempt, AttemptItem
from drill.drills.models import Assignment
from drill.drills.rules import progress
from tests.drills.test_assignments import assign


def start_and_submit(app, login, user, assignment):
    manager = app.test_client()
    login(user, target=manager)
    started = manager.post(f"/drills/assignments/{assignment.id}/start")
    assert started.status_code == 302
    assert manager.post(started.headers["Location"] + "/submit").status_code == 302
    return int(started.headers["Location"].rsplit("/", 1)[1])


def items_of(db, attempt_id):
    return db.session.scalars(
        select(AttemptItem).where(AttemptItem.attempt_id == attempt_id).order_by(AttemptItem.position)
    ).all()


def test_the_form_offers_a_fixed_paper_ticked_and_says_what_it_means(
    client, make_user, login, org, sample_pack
):
    login(make_user("t001", roles={"trainer"}, branch="head"))
    page = client.get("/drills/assignments/new").get_data(as_text=True)
    box = re.search(r'<input[^>]*name="fixed_paper"[^>]*>', page)
    assert box and "checked" in box.group(0)  # the default for a new assignment
    assert "所有人同一套题（固定试卷）" in page
    assert "人人满分相同，成绩可以直接比较" in page


def test_two_managers_of_a_fixed_paper_get_the_same_questions_and_the_same_total_points(
    app, client, make_user, login, org, sample_pack, db
):
    login(make_user("t001", roles={"trainer"}, branch="head"))
    assert assign(client, org, count=8, fixed_paper="y").status_code == 302  # the open one too
    assignment = db.session.scalars(select(Assignment)).one()
    assert assignment.fixed_paper and len(assignment.paper) == 8

    first = start_and_submit(app, login, make_user("m100", branch="east1"), assignment)
    second = start_and_submit(app, login, make_user("m101", branch="east1"), assignment)
    db.session.expire_all()
    mine, theirs = items_of(db, first), items_of(db, second)
    fixed = {q.question_version_id for q in assignment.paper}
    assert {i.question_version_id for i in mine} == {i.question_version_id for i in theirs} == fixed
    # each in their own shuffle: the option seeds are their own, so a colleague's paper tells nothing
    assert {i.option_seed for i in mine}.isdisjoint({i.option_seed for i in theirs})
    a, b = db.session.get(Attempt, first), db.session.get(Attempt, second)
    assert a.max_score == b.max_score > 0

    report = client.get(f"/drills/assignments/{assignment.id}").get_data(as_text=True)
    assert "固定试卷" in report
    assert f"所有人作答同样的 8 道题（顺序各不相同），满分 {a.max_score:.1f} 分。" in report
    assert f"0.0 / {a.max_score:.1f}" in report


def test_an_assignment_without_a_fixed_paper_draws_a_paper_per_person_as_before(
    app, client, make_user, login, org, sample_pack, db
):
    login(make_user("t001", roles={"trainer"}, branch="head"))
    assert assign(client, org, count=3).status_code == 302  # the box unticked
    assignment = db.session.scalars(select(Assignment)).one()
    assert not assignment.fixed_paper and assignment.paper == []
    attempt_id = start_and_submit(app, login, make_user("m100", branch="east1"), assignment)
    assert len(items_of(db, attempt_id)) == 3
    report = client.get(f"/drills/assignments/{assignment.id}").get_data(as_text=True)
    assert "每人一套试卷" in report and "满分可能因人而异" in report


def test_a_fixed_paper_with_nothing_to_draw_is_refused_and_nothing_is_stored(
    client, make_user, login, org, sample_pack, db
):
    login(make_user("t001", roles={"trainer"}, branch="head"))
    page = assign(client, org, theme="brand-culture", fixed_paper="y").get_data(as_text=True)
    assert "没有符合所选题库" in page
    assert db.session.scalars(select(Assignment)).first() is None


def test_dealing_a_fixed_paper_keeps_the_questions_and_shuffles_the_order():
    ids = [11, 12, 13, 14, 15, 16, 17, 18]
    dealt = [progress.deal(ids, seed) for seed in range(20)]
    assert all(sorted(p.version_id for p in paper) == ids for paper in dealt)
    assert all([p.position for p in paper] == list(range(1, 9)) for paper in dealt)
    assert len({tuple(p.version_id for p in paper) for paper in dealt}) > 1
    assert progress.deal(ids, 7) == progress.deal(ids, 7)  # a reload shows the same paper
