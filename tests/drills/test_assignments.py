"""A trainer assigns a drill; the right managers see it; the report shows who did it and what was missed."""

from datetime import datetime, timedelta

from sqlalchemy import select

from drill.attempts.models import AttemptItem
from drill.content.models import Pack, Question, QuestionVersion
from drill.drills.models import Assignment


def window(hours_from=-1, hours_to=24):
    now = datetime.now()
    fmt = "%Y-%m-%dT%H:%M"
    return (now + timedelta(hours=hours_from)).strftime(fmt), (now + timedelta(hours=hours_to)).strftime(fmt)


def assign(client, org, **overrides):
    opens, closes = window()
    data = {
        "title": "周练：数据题", "pack": "", "theme": "data-application", "level": "", "competency": "",
        "count": 3, "minutes": 10, "opens_at": opens, "closes_at": closes,
        "branches": [org["east"].id], "people": "",
    }  # fmt: skip
    return client.post("/drills/assignments/new", data={**data, **overrides})


def test_a_trainer_assigns_a_drill_that_only_its_branch_sees(
    app, client, make_user, login, org, sample_pack, db
):
    login(make_user("t001", roles={"trainer"}, branch="head"))
    response = assign(client, org)
    assert response.status_code == 302
    assignment = db.session.scalars(select(Assignment)).one()

    east = app.test_client()
    login(make_user("m100", branch="east1"), target=east)
    assert "周练：数据题" in east.get("/drills/").get_data(as_text=True)
    started = east.post(f"/drills/assignments/{assignment.id}/start")
    assert started.status_code == 302
    attempt_url = started.headers["Location"]
    east.put(f"/api/attempts/{attempt_url.rsplit('/', 1)[1]}/items/1", json={"response": "wrong"})
    east.post(attempt_url + "/submit")
    again = east.post(f"/drills/assignments/{assignment.id}/start")
    assert again.headers["Location"] == attempt_url  # one attempt per person

    west = app.test_client()
    login(make_user("m200", branch="west1"), target=west)
    assert "周练：数据题" not in west.get("/drills/").get_data(as_text=True)
    assert west.post(f"/drills/assignments/{assignment.id}/start").status_code == 404

    report = client.get(f"/drills/assignments/{assignment.id}").get_data(as_text=True)
    assert "已完成 1 / 1 人" in report
    assert "东城一网点" in report and "m100" in report and "m200" not in report
    assert "1 次作答中 1 次答错" in report


def test_an_assignment_with_nothing_to_draw_is_refused(client, make_user, login, org, sample_pack, db):
    login(make_user("t001", roles={"trainer"}, branch="head"))
    page = assign(client, org, theme="brand-culture").get_data(as_text=True)
    assert "没有符合所选题库" in page
    assert db.session.scalars(select(Assignment)).first() is None


def test_a_window_that_closes_before_it_opens_is_refused(client, make_user, login, org, sample_pack):
    login(make_user("t001", roles={"trainer"}, branch="head"))
    opens, closes = window(5, 1)
    page = assign(client, org, opens_at=opens, closes_at=closes).get_data(as_text=True)
    assert "截止时间必须晚于开始时间" in page


def test_a_manager_cannot_assign_drills(client, make_user, login, org, sample_pack):
    login(make_user("m001"))
    assert client.get("/drills/assignments/new").status_code == 403
    assert assign(client, org).status_code == 403


def test_a_drill_assigned_from_a_chosen_bank_draws_only_from_that_bank(
    app, client, make_user, login, org, sample_pack, db
):
    pack = db.session.scalars(select(Pack)).first()
    login(make_user("t001", roles={"trainer"}, branch="head"))
    response = assign(client, org, pack=str(pack.id), theme="")
    assert response.status_code == 302  # was a 500 that lost the trainer's form
    assignment = db.session.scalars(select(Assignment)).one()
    assert assignment.pack_id == pack.id

    manager = app.test_client()
    login(make_user("m100", branch="east1"), target=manager)
    started = manager.post(f"/drills/assignments/{assignment.id}/start")
    assert started.status_code == 302
    attempt_id = int(started.headers["Location"].rsplit("/", 1)[1])
    drawn = db.session.scalars(
        select(Question.pack_id)
        .join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .join(AttemptItem, AttemptItem.question_version_id == QuestionVersion.id)
        .where(AttemptItem.attempt_id == attempt_id)
    ).all()
    assert len(drawn) == 3 and set(drawn) == {pack.id}
