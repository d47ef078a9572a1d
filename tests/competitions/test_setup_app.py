"""Setting up: participants chosen by branch, category or a list; teams are branches; the state machine;
a final that takes only the qualifiers of an earlier round."""

from sqlalchemy import select

from drill.competitions import events, setup
from drill.competitions.models import Competition, Participant
from drill.database import utcnow
from tests.competitions.conftest import competition_form, competition_id, round_form


def test_participants_by_branch_category_or_list_and_their_teams(db, org, make_user, signed_in):
    trainer = make_user("t01", roles={"trainer"}, branch="head")
    make_user("e1", branch="east1", category="personal")
    make_user("e2", branch="east1", category="corporate")
    make_user("w1", branch="west1", category="personal")
    make_user("j1", roles={"judge"}, branch="east1")  # not a manager: never a participant
    organiser = signed_in(trainer)
    cid = competition_id(organiser.post("/competitions/new", data=competition_form()))
    organiser.post(f"/competitions/{cid}/participants", data={"p-branches": [org["east"].id]})
    teams = {p.user.employee_no: p.team.name for p in db.session.scalars(select(Participant))}
    assert teams == {"e1": "东城支行", "e2": "东城支行"}  # the outlet's branch is the team
    organiser.post(f"/competitions/{cid}/participants", data={"p-categories": ["personal"]})
    assert {p.user.employee_no for p in db.session.scalars(select(Participant))} == {"e1", "e2", "w1"}
    added = organiser.post(f"/competitions/{cid}/participants", data={"p-employee_nos": "w1，e1"})
    assert added.status_code == 302  # already in: nobody added twice
    assert db.session.query(Participant).count() == 3
    found = organiser.get(f"/competitions/{cid}/manage?q=w1").get_data(as_text=True)
    assert 'id="participants"' in found and ">w1<" in found and ">e1<" not in found


def test_rounds_follow_the_state_machine(db, org, make_user, signed_in, case_pack):
    organiser = signed_in(make_user("t01", roles={"trainer"}, branch="head"))
    cid = competition_id(organiser.post("/competitions/new", data=competition_form()))
    organiser.post(
        f"/competitions/{cid}/rounds/new", data=round_form("judged", "现场", 1, case_pack=case_pack.id)
    )
    round_ = db.session.get(Competition, cid).rounds[0]
    organiser.post(
        f"/competitions/{cid}/rounds/{round_.id}/state/open"
    )  # refused: the competition is a draft
    db.session.refresh(round_)
    assert round_.state == "draft"
    organiser.post(f"/competitions/{cid}/state/open")
    organiser.post(f"/competitions/{cid}/rounds/{round_.id}/state/reviewing")  # not for a judged round
    organiser.post(f"/competitions/{cid}/rounds/{round_.id}/state/open")
    organiser.post(f"/competitions/{cid}/rounds/{round_.id}/state/closed")
    organiser.post(f"/competitions/{cid}/rounds/{round_.id}/state/open")  # nothing moves back
    db.session.refresh(round_)
    assert round_.state == "closed"


def test_a_final_takes_the_top_n_of_each_branch(db, org, make_user, signed_in, case_pack):
    organiser = signed_in(make_user("t01", roles={"trainer"}, branch="head"))
    people = [make_user(f"e{i}", branch="east1") for i in range(3)] + [
        make_user(f"w{i}", branch="west1") for i in range(3)
    ]
    cid = competition_id(organiser.post("/competitions/new", data=competition_form()))
    organiser.post(
        f"/competitions/{cid}/participants", data={"p-employee_nos": ",".join(u.employee_no for u in people)}
    )
    organiser.post(
        f"/competitions/{cid}/rounds/new", data=round_form("judged", "初赛", 1, case_pack=case_pack.id)
    )
    heat = db.session.get(Competition, cid).rounds[0]
    final = round_form(
        "judged",
        "决赛",
        2,
        case_pack=case_pack.id,
        qualify_from=heat.id,
        qualify_top_n=1,
        qualify_per_branch="y",
    )
    assert organiser.post(f"/competitions/{cid}/rounds/new", data=final).status_code == 302
    db.session.expire_all()
    heat, final = db.session.get(Competition, cid).rounds
    by_no = {p.user.employee_no: p for p in setup.participants(heat.competition)}
    for no, score in {"e0": 70, "e1": 90, "e2": 80, "w0": 60, "w1": 65, "w2": 95}.items():
        events.record(heat, by_no[no], score, completed_at=utcnow(), reason="初赛", now=utcnow())
    db.session.commit()
    organiser.post(f"/competitions/{cid}/state/open")
    assert organiser.post(f"/competitions/{cid}/rounds/{final.id}/state/open").status_code == 302
    db.session.refresh(final)
    assert final.state == "draft"  # refused: the finalists are not confirmed yet
    page = organiser.get(f"/competitions/{cid}/rounds/{final.id}/manage").get_data(as_text=True)
    assert 'id="qualification"' in page
    organiser.post(f"/competitions/{cid}/rounds/{final.id}/qualify")
    db.session.refresh(final)
    assert sorted(final.qualified) == sorted([by_no["e1"].id, by_no["w2"].id])
