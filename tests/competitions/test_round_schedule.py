"""Rounds open by their schedule: once the competition runs, a round whose opening time has come opens
without a click (where the competition is read, and by the scheduled job); one without an opening time
waits for the organiser; the pages say which."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from drill import housekeeping
from drill.accounts.models import User
from drill.competitions import schedule
from drill.competitions.models import Competition, Round
from drill.competitions.rules import states
from drill.database import utcnow
from tests.competitions.conftest import competition_form, competition_id, round_form

CELLS = [{"part": "written", "count": 1, "points": 10, "type": "single"}]
NINE = datetime(2030, 5, 1, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


def test_a_draft_round_opens_by_schedule_only_when_its_time_has_come_and_its_competition_runs():
    at = dict(opens_at=NINE, now=NINE)
    assert states.opens_by_schedule(states.DRAFT, states.OPEN, **at)
    assert states.opens_by_schedule(states.DRAFT, states.OPEN, NINE, NINE + timedelta(days=3))
    assert not states.opens_by_schedule(states.DRAFT, states.OPEN, NINE, NINE - timedelta(seconds=1))
    assert not states.opens_by_schedule(states.DRAFT, states.DRAFT, **at)  # the competition not open yet
    assert not states.opens_by_schedule(states.DRAFT, states.OPEN, None, NINE)  # held: no opening time
    assert not states.opens_by_schedule(states.DRAFT, states.OPEN, **at, awaiting_finalists=True)
    assert not states.opens_by_schedule(states.CLOSED, states.OPEN, **at)  # nothing moves back


def setup_rounds(db, make_user, signed_in, forms):
    organiser = signed_in(make_user("t01", roles={"trainer"}, branch="head", locale="zh_CN"))
    make_user("m1", branch="east1", locale="zh_CN")
    cid = competition_id(organiser.post("/competitions/new", data=competition_form()))
    organiser.post(f"/competitions/{cid}/participants", data={"p-employee_nos": "m1"})
    for form in forms:
        assert organiser.post(f"/competitions/{cid}/rounds/new", data=form).status_code == 302
    return organiser, cid


def test_a_round_opens_at_its_time_without_a_click(db, org, make_user, signed_in, login, client):
    later = round_form(
        "written", "初赛", 1, cells=CELLS, opens_at="2099-05-01T09:00", closes_at="2099-05-01T11:00"
    )
    held = round_form("written", "复赛", 1, cells=CELLS)
    organiser, cid = setup_rounds(db, make_user, signed_in, [later, held])
    first, second = db.session.get(Competition, cid).rounds
    manage = organiser.get(f"/competitions/{cid}/manage").get_data(as_text=True)
    assert "竞赛开始后，本轮将于 2099/5/1 09:00 自动开始。" in manage
    assert "未设开始时间：本轮需要您手动开始。" in manage

    assert organiser.post(f"/competitions/{cid}/state/open").status_code == 302
    overview = organiser.get(f"/competitions/{cid}/rounds/{first.id}/manage").get_data(as_text=True)
    assert "本轮将于 2099/5/1 09:00 自动开始，无需手动操作。如需暂缓，请编辑本轮并清空开始时间。" in overview
    assert 'id="round-open"' not in overview  # no click to make
    assert 'id="round-open"' in organiser.get(f"/competitions/{cid}/rounds/{second.id}/manage").get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(Round, first.id).state == states.DRAFT

    # Its time comes: the participant's page finds it open, with the start button, and nobody clicked.
    now = utcnow()
    db.session.execute(update(Round).where(Round.id == first.id).values(opens_at=now - timedelta(minutes=1)))
    db.session.commit()
    organiser.post("/logout")
    login(db.session.scalar(select(User).where(User.employee_no == "m1")))
    page = client.get(f"/competitions/{cid}").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Round, first.id).state == states.OPEN
    assert db.session.get(Round, second.id).state == states.DRAFT  # held: no opening time
    item = page.split(f'id="round-{first.id}"', 1)[1].split('class="list-group-item"', 1)[0]
    assert "start-round" in item


def test_the_scheduled_job_opens_due_rounds_at_their_time_and_no_earlier(db, org, make_user, signed_in):
    due = round_form(
        "written", "初赛", 1, cells=CELLS, opens_at="2099-05-01T09:00", closes_at="2099-05-01T11:00"
    )
    organiser, cid = setup_rounds(db, make_user, signed_in, [due])
    organiser.post(f"/competitions/{cid}/state/open")
    (round_,) = db.session.get(Competition, cid).rounds
    opens = round_.opens_at
    assert housekeeping.open_rounds(opens - timedelta(seconds=1)) == 0
    db.session.expire_all()
    assert db.session.get(Round, round_.id).state == states.DRAFT
    assert housekeeping.open_rounds(opens) == 1
    db.session.expire_all()
    assert db.session.get(Round, round_.id).state == states.OPEN
    assert housekeeping.open_rounds(opens + timedelta(hours=1)) == 0  # once


def test_a_due_round_whose_closing_time_has_passed_stays_a_draft(db, org, make_user, signed_in):
    past = round_form(
        "written", "初赛", 1, cells=CELLS, opens_at="2020-05-01T09:00", closes_at="2020-05-01T10:00"
    )
    organiser, cid = setup_rounds(db, make_user, signed_in, [past])
    organiser.post(f"/competitions/{cid}/state/open")
    competition = db.session.get(Competition, cid)
    assert schedule.open_due(competition, utcnow()) == []
    page = organiser.get(f"/competitions/{cid}/rounds/{competition.rounds[0].id}/manage").get_data(
        as_text=True
    )
    assert 'id="window-passed"' in page
    db.session.expire_all()
    assert db.session.get(Round, competition.rounds[0].id).state == states.DRAFT
