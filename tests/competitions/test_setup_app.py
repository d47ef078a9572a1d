"""Setting up: participants chosen by branch, category or a list; teams are branches; the state machine;
a final that takes only the qualifiers of an earlier round."""

import html
import re

from sqlalchemy import select

from drill.competitions import events, setup
from drill.competitions.models import Competition, Participant
from drill.database import utcnow
from tests.competitions.conftest import competition_form, competition_id, round_form


def flashes(page: str) -> list[str]:
    found = re.findall(r'<div class="alert alert-\w+" role="alert">([^<]*)</div>', page)
    return [html.unescape(m.strip()) for m in found]


def badge(page: str, marker: str) -> str:
    """The text of the first badge whose tag holds `marker` (a class, or an attribute such as an id)."""
    return html.unescape(re.search(rf'<span class="badge[^>]*{marker}[^>]*>([^<]*)<', page).group(1))


def test_participants_by_branch_category_or_list_and_their_teams(db, org, make_user, signed_in):
    trainer = make_user("t01", roles={"trainer"}, branch="head")
    make_user("e1", branch="east1", category="personal")
    make_user("e2", branch="east1", category="corporate")
    make_user("w1", branch="west1", category="personal")
    make_user("j1", roles={"judge"}, branch="east1")  # not a manager: never a participant
    organiser = signed_in(trainer)
    cid = competition_id(organiser.post("/competitions/new", data=competition_form()))
    # An empty form would take every manager in reach: it is refused, saying what to choose
    page = organiser.post(f"/competitions/{cid}/participants", data={}, follow_redirects=True)
    assert "请选择参赛范围" in page.get_data(as_text=True)
    assert db.session.query(Participant).count() == 0
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


def test_a_list_of_numbers_adds_the_valid_ones_and_says_why_each_other_one_is_not(
    db, org, make_user, signed_in
):
    """A trainer limited to 东城 pastes a list: the valid numbers are added, each other one is named
    with its reason, so the trainer fixes only those and posts them again."""
    trainer = make_user("t02", roles={"trainer"}, branch="east", scope_branch="east", locale="en")
    make_user("e1", branch="east1")
    make_user("e2", branch="east1")
    make_user("w1", branch="west1")
    make_user("a1", roles={"admin"}, branch="east")
    make_user("j1", roles={"judge"}, branch="east1")
    make_user("x1", branch="east1").active = False
    db.session.commit()
    organiser = signed_in(trainer)
    cid = competition_id(organiser.post("/competitions/new", data=competition_form()))
    organiser.post(f"/competitions/{cid}/participants", data={"p-employee_nos": "e2"}, follow_redirects=True)

    listed = "e1, 9999\nw1，a1\nj1\nx1\ne2\ne1"
    page = organiser.post(
        f"/competitions/{cid}/participants", data={"p-employee_nos": listed}, follow_redirects=True
    ).get_data(as_text=True)
    assert flashes(page) == [
        "1 participants added.",
        "Not added, no account has this employee number: 9999",
        "Not added, outside your branches: w1",
        "Not added, the account is deactivated: x1",
        "Not added, not a customer manager: a1, j1",
        "Not added, already taking part: e2",
        "Listed more than once, added once: e1",
    ]
    assert sorted(p.user.employee_no for p in db.session.scalars(select(Participant))) == ["e1", "e2"]


def test_another_trainers_competition_is_refused_saying_whose_it_is(db, org, make_user, signed_in):
    first = signed_in(make_user("t01", roles={"trainer"}, branch="east", scope_branch="east", locale="en"))
    cid = competition_id(first.post("/competitions/new", data=competition_form()))
    second = signed_in(make_user("t02", roles={"trainer"}, branch="east", scope_branch="east", locale="en"))
    for url in (
        f"/competitions/{cid}/manage",
        f"/competitions/{cid}/edit",
        f"/competitions/{cid}/rounds/new",
    ):
        refused = second.get(url)
        page = refused.get_data(as_text=True)
        assert refused.status_code == 403
        assert "This competition is not yours" in page and "does not have the role" not in page
    # A page for a role one lacks still says so.
    manager = signed_in(make_user("m1", locale="en"))
    assert "does not have the role" in manager.get(f"/competitions/{cid}/manage").get_data(as_text=True)


def test_state_and_kind_badges_are_words_in_either_language(db, org, make_user, signed_in, case_pack):
    trainer = make_user("t01", roles={"trainer"}, branch="head", locale="en")
    make_user("m1", branch="east1")
    organiser = signed_in(trainer)
    cid = competition_id(organiser.post("/competitions/new", data=competition_form()))
    organiser.post(f"/competitions/{cid}/participants", data={"p-employee_nos": "m1"})
    organiser.post(
        f"/competitions/{cid}/rounds/new", data=round_form("judged", "现场", 1, case_pack=case_pack.id)
    )
    page = organiser.get(f"/competitions/{cid}/manage").get_data(as_text=True)
    assert badge(page, 'id="competition-state"') == "in preparation"
    assert (badge(page, "round-kind"), badge(page, "round-state")) == (
        "Judged round (live)",
        "in preparation",
    )
    organiser.post(f"/competitions/{cid}/state/open")
    (round_,) = db.session.get(Competition, cid).rounds
    organiser.post(f"/competitions/{cid}/rounds/{round_.id}/state/open")
    page = organiser.get(f"/competitions/{cid}/rounds/{round_.id}/manage").get_data(as_text=True)
    assert (badge(page, 'id="round-kind"'), badge(page, 'id="round-state"')) == (
        "Judged round (live)",
        "open",
    )
    assert badge(organiser.get("/competitions/").get_data(as_text=True), "text-bg-secondary") == "open"

    participant = signed_in(db.session.scalar(select(Participant)).user)  # Chinese, the default
    page = participant.get(f"/competitions/{cid}").get_data(as_text=True)
    assert (badge(page, "round-kind"), badge(page, "round-state")) == ("评委现场赛", "进行中")
    assert not re.search(r">\s*(draft|open|closed|reviewing|written|case|judged)\s*<", page)


def test_a_new_competition_refuses_a_freeze_time_already_past_and_an_edit_warns_of_one(
    db, org, make_user, signed_in
):
    organiser = signed_in(make_user("t01", roles={"trainer"}, branch="head", locale="en"))
    refused = organiser.post("/competitions/new", data=competition_form(freeze_at="2020-05-01T09:00"))
    assert refused.status_code == 200
    (error,) = re.findall(r'class="invalid-feedback[^"]*">([^<]*)<', refused.get_data(as_text=True))
    assert "That time has passed" in error and "everyone at 0" in error
    assert db.session.scalar(select(Competition.id)) is None

    ahead = competition_form(freeze_at="2099-05-01T09:00")
    cid = competition_id(organiser.post("/competitions/new", data=ahead))
    assert db.session.get(Competition, cid).freeze_at.year == 2099

    # Editing, a past time is allowed (freezing late at the time meant) but said plainly.
    edited = organiser.post(
        f"/competitions/{cid}/edit",
        data=competition_form(freeze_at="2020-05-01T09:00"),
        follow_redirects=True,
    )
    (saved, warning) = flashes(edited.get_data(as_text=True))
    assert saved == "Saved."
    assert warning.startswith("The public board is now frozen as it stood at 5/1/20")
    db.session.expire_all()
    assert db.session.get(Competition, cid).freeze_at.year == 2020
    again = organiser.post(
        f"/competitions/{cid}/edit",
        data=competition_form(freeze_at="2020-05-01T09:00"),
        follow_redirects=True,
    )
    assert flashes(again.get_data(as_text=True)) == ["Saved."]  # unchanged: nothing more to say
