"""A trainer reminds (催办) those who have not finished an assigned drill; it waits on their to-do."""

from datetime import timedelta

from sqlalchemy import func, select

from drill.drills.models import Assignment, AssignmentReminder
from drill.drills.rules import progress
from tests.drills.test_assignments import assign, window


def reminders(db):
    return db.session.scalar(select(func.count(AssignmentReminder.id)))


def signed_in(app, login, user):
    target = app.test_client()
    login(user, target=target)
    return target


def test_a_reminder_shows_on_the_reminded_managers_home_and_only_there(
    app, client, make_user, login, org, sample_pack, db
):
    login(make_user("t001", roles={"trainer"}, branch="head", name="王培训"))
    assign(client, org)
    assignment = db.session.scalars(select(Assignment)).one()
    late, other = make_user("m100", branch="east1"), make_user("m101", branch="east1")

    report = client.get(f"/drills/assignments/{assignment.id}").get_data(as_text=True)
    assert "催办所有未完成的人（2 人）" in report and report.count("未开始") >= 2
    sent = client.post(f"/drills/assignments/{assignment.id}/remind", data={"user": late.id})
    assert sent.status_code == 302
    assert "已向 1 人发出催办" in client.get(sent.headers["Location"]).get_data(as_text=True)

    home = signed_in(app, login, late).get("/").get_data(as_text=True)
    assert "王培训 于" in home and "催办：请您尽快完成此练兵" in home
    assert "请您尽快完成此练兵" not in signed_in(app, login, other).get("/").get_data(as_text=True)
    assert "请您尽快完成此练兵" not in signed_in(app, login, late).get("/drills/").get_data(as_text=True)
    assert "请您尽快完成此练兵" not in client.get("/").get_data(as_text=True)
    report = client.get(f"/drills/assignments/{assignment.id}").get_data(as_text=True)
    assert "王培训 于" in report  # who reminded, beside the person


def test_reminding_the_same_person_again_within_the_hour_is_refused_politely(
    client, make_user, login, org, sample_pack, db
):
    login(make_user("t001", roles={"trainer"}, branch="head"))
    assign(client, org)
    assignment = db.session.scalars(select(Assignment)).one()
    late = make_user("m100", branch="east1", name="李经理")
    client.post(f"/drills/assignments/{assignment.id}/remind", data={"user": late.id})
    again = client.post(
        f"/drills/assignments/{assignment.id}/remind", data={"user": late.id}, follow_redirects=True
    )
    assert again.status_code == 200
    page = again.get_data(as_text=True)
    assert "李经理 在一小时内已被催办过" in page and "之后可再次催办" in page
    assert reminders(db) == 1


def test_reminding_everyone_skips_those_who_finished(app, client, make_user, login, org, sample_pack, db):
    login(make_user("t001", roles={"trainer"}, branch="head"))
    assign(client, org)
    assignment = db.session.scalars(select(Assignment)).one()
    done = make_user("m100", branch="east1")
    make_user("m101", branch="east1")
    started = make_user("m102", branch="east1")
    manager = signed_in(app, login, done)
    url = manager.post(f"/drills/assignments/{assignment.id}/start").headers["Location"]
    manager.post(url + "/submit")
    signed_in(app, login, started).post(f"/drills/assignments/{assignment.id}/start")

    page = client.post(f"/drills/assignments/{assignment.id}/remind", follow_redirects=True).get_data(
        as_text=True
    )
    assert "已向 2 人发出催办" in page
    reminded = set(db.session.scalars(select(AssignmentReminder.user_id)))
    assert done.id not in reminded and len(reminded) == 2
    refused = client.post(
        f"/drills/assignments/{assignment.id}/remind", data={"user": done.id}, follow_redirects=True
    )
    assert "此人已完成该练兵" in refused.get_data(as_text=True)
    assert reminders(db) == 2


def test_a_closed_drill_cannot_be_reminded(client, make_user, login, org, sample_pack, db):
    login(make_user("t001", roles={"trainer"}, branch="head"))
    opens, closes = window(-1, 24)
    assign(client, org, opens_at=opens, closes_at=closes)
    assignment = db.session.scalars(select(Assignment)).one()
    make_user("m100", branch="east1")
    assignment.closes_at = assignment.opens_at + timedelta(minutes=1)  # closed an hour ago
    db.session.commit()
    page = client.post(f"/drills/assignments/{assignment.id}/remind", follow_redirects=True).get_data(
        as_text=True
    )
    assert "只有在练兵开放期间才能催办" in page
    assert reminders(db) == 0


def test_a_trainer_of_another_branch_can_neither_remind_nor_export(
    app, client, make_user, login, org, sample_pack, db
):
    login(make_user("t001", roles={"trainer"}, branch="head"))
    assign(client, org)
    assignment = db.session.scalars(select(Assignment)).one()
    make_user("m100", branch="east1")
    west = signed_in(app, login, make_user("t200", roles={"trainer"}, branch="west", scope_branch="west"))
    assert west.post(f"/drills/assignments/{assignment.id}/remind").status_code == 404
    assert west.get(f"/drills/assignments/{assignment.id}/export.xlsx").status_code == 404
    assert west.get(f"/drills/assignments/{assignment.id}").status_code == 404
    assert reminders(db) == 0


def test_who_may_be_reminded_and_when():
    from datetime import UTC, datetime

    now = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
    assert progress.may_remind(None, now)
    assert not progress.may_remind(now - timedelta(minutes=59), now)
    assert progress.may_remind(now - timedelta(hours=1), now)
    assert progress.status(None, None, now) == progress.NOT_STARTED
    assert progress.status("open", now + timedelta(minutes=5), now) == progress.IN_PROGRESS
    assert progress.status("open", now - timedelta(minutes=5), now) == progress.OVERDUE
    assert progress.status("expired", now - timedelta(minutes=5), now) == progress.DONE
    lines = progress.by_branch(
        [("东", "done"), ("东", "in_progress"), ("西", "not_started"), ("东", "overdue")]
    )
    assert [(b.branch, b.done, b.started, b.not_started) for b in lines] == [("东", 1, 2, 0), ("西", 0, 0, 1)]


def test_the_report_shows_per_branch_who_finished_started_or_not_started(
    app, client, make_user, login, org, sample_pack, db
):
    login(make_user("t001", roles={"trainer"}, branch="head"))
    assign(client, org, branches=[org["head"].id])
    assignment = db.session.scalars(select(Assignment)).one()
    done, started = make_user("m100", branch="east1"), make_user("m101", branch="east1")
    make_user("m200", branch="west1")
    manager = signed_in(app, login, done)
    manager.post(manager.post(f"/drills/assignments/{assignment.id}/start").headers["Location"] + "/submit")
    signed_in(app, login, started).post(f"/drills/assignments/{assignment.id}/start")

    page = client.get(f"/drills/assignments/{assignment.id}").get_data(as_text=True)
    table = page.split('id="completion"')[1].split("</table>")[0]
    cells = [c.split("</td>")[0] for c in table.split('<td class="text-end">')[1:]]
    assert cells == ["1", "1", "0", "0", "0", "1"]  # 东城一网点 1 done, 1 started; 西山一网点 1 not started
    assert "东城一网点" in table and "西山一网点" in table
    assert 'class="w-100 bar-chart"' in page and "各机构完成情况：占本机构人数的比例" in page
    lines = progress.by_branch([("东", "done"), ("东", "not_started")])
    assert lines[0].shares == [50.0, 0.0, 50.0]
