"""Editing a round through its form: anything while a draft; once open, only what no entry rests on; once
closed, the title and the weight, a new weight audited with its reason. Each post is what the browser
sends from the edit page (disabled fields are not sent), changed where the organiser changed it.

Boards (two judged rounds 现场一 and 现场二, two participants; overall = Σ w × s / Σ w):
    选手1: 现场一 90, 现场二 60        选手2: 现场一 70, 现场二 85
    weights 1 : 1   选手1 (90 + 60) / 2 = 75.00          选手2 (70 + 85) / 2 = 77.50
    weights 3 : 1   选手1 (3 × 90 + 60) / 4 = 82.50      选手2 (3 × 70 + 85) / 4 = 73.75
"""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from drill.competitions import events, setup
from drill.competitions.models import Competition, JudgeScore, Round, ScoreEvent
from drill.database import utcnow
from tests.competitions.conftest import competition_form, competition_id, posted_fields, round_form


def edit_page(client, cid, rid):
    response = client.get(f"/competitions/{cid}/rounds/{rid}/edit")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def board(client, cid):
    data = client.get(f"/competitions/{cid}/board.json").get_json()
    return [(r["rank"], r["name"], r["score"]) for r in data["individual"]]


@pytest.fixture
def running(db, org, make_user, signed_in, case_pack):
    """A running competition of two open judged rounds (weight 1 each), made through the forms, with
    the scores of the module docstring recorded."""
    trainer = make_user("t01", roles={"trainer"}, branch="head", name="组织者周")
    judge = make_user("j1", roles={"judge"}, branch="head", name="评委甲")
    make_user("p1", name="选手1", branch="east1")
    make_user("p2", name="选手2", branch="west1")
    organiser = signed_in(trainer)
    cid = competition_id(organiser.post("/competitions/new", data=competition_form()))
    organiser.post(f"/competitions/{cid}/participants", data={"p-employee_nos": "p1,p2"})
    for title in ("现场一", "现场二"):
        form = round_form("judged", title, 1, case_pack=case_pack.id, judges=[judge.id])
        assert organiser.post(f"/competitions/{cid}/rounds/new", data=form).status_code == 302
    organiser.post(f"/competitions/{cid}/state/open")
    first, second = db.session.get(Competition, cid).rounds
    for round_ in (first, second):
        organiser.post(f"/competitions/{cid}/rounds/{round_.id}/state/open")
    by_no = {p.user.employee_no: p for p in setup.participants(first.competition)}
    for round_, scores in ((first, {"p1": 90, "p2": 70}), (second, {"p1": 60, "p2": 85})):
        for no, score in scores.items():
            events.record(round_, by_no[no], score, completed_at=utcnow(), reason="现场", now=utcnow())
    db.session.commit()
    return SimpleNamespace(
        organiser=organiser, trainer=trainer, cid=cid, first=first.id, second=second.id, judge=judge
    )


def test_a_draft_round_changes_its_blueprint_then_its_kind(db, org, make_user, signed_in, case_pack):
    organiser = signed_in(make_user("t01", roles={"trainer"}, branch="head"))
    cid = competition_id(organiser.post("/competitions/new", data=competition_form()))
    cells = [{"part": "written", "count": 1, "points": 10, "type": "single"}]
    written = round_form("written", "笔试", 1, cells=cells, opens_at="2030-05-01T09:00")
    assert organiser.post(f"/competitions/{cid}/rounds/new", data=written).status_code == 302
    round_ = db.session.get(Competition, cid).rounds[0]
    assert round_.opens_at == datetime(2030, 5, 1, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    url = f"/competitions/{cid}/rounds/{round_.id}/edit"
    assert url in organiser.get(f"/competitions/{cid}/manage").get_data(as_text=True)

    page = edit_page(organiser, cid, round_.id)
    assert 'id="fixed-note"' not in page  # a draft: nothing is fixed
    data = posted_fields(page)
    assert data["title"] == ["笔试"] and data["kind"] == ["written"]
    assert data["opens_at"] == ["2030-05-01 09:00:00"]  # shown in local time, as it was given
    assert (data["cells-0-count"], data["cells-0-points"], data["cells-0-type"]) == (
        ["1"],
        ["10.00"],
        ["single"],
    )
    data.update(
        {"cells-1-part": "written", "cells-1-count": "2", "cells-1-points": "5", "cells-1-type": "truefalse"}
    )
    assert organiser.post(url, data=data).status_code == 302
    db.session.expire_all()
    assert [(c["count"], c["points"], c["type"]) for c in round_.blueprint] == [
        (1, 10.0, "single"),
        (2, 5.0, "truefalse"),
    ]

    data = posted_fields(edit_page(organiser, cid, round_.id))
    assert data["cells-1-count"] == ["2"]
    data.update(kind="case", case_pack=str(case_pack.id), peer_weight="1", judge_weight="0")
    assert organiser.post(url, data=data).status_code == 302
    db.session.expire_all()
    assert (round_.kind, round_.case_pack_id, round_.blueprint) == ("case", case_pack.id, None)
    assert round_.opens_at == datetime(2030, 5, 1, 1, 0, tzinfo=UTC)  # untouched, so unchanged


def test_after_opening_a_new_weight_moves_the_overall_board(db, running):
    assert board(running.organiser, running.cid) == [(1, "选手2", "77.50"), (2, "选手1", "75.00")]
    page = edit_page(running.organiser, running.cid, running.first)
    assert 'id="fixed-note"' in page
    data = posted_fields(page)
    # What entries rest on is shown disabled, so the browser does not send it.
    assert not {"kind", "opens_at", "time_limit_minutes", "case_pack", "qualify_from", "cells-0-count"} & set(
        data
    )
    assert {"title", "weight", "closes_at", "judge_budget"} <= set(data)
    data["weight"] = "3"
    response = running.organiser.post(f"/competitions/{running.cid}/rounds/{running.first}/edit", data=data)
    assert response.status_code == 302
    round_ = db.session.get(Round, running.first)
    assert (round_.weight, round_.kind, round_.state) == (3.0, "judged", "open")
    assert [j.user_id for j in round_.judges] == [running.judge.id]  # kept as they were
    assert board(running.organiser, running.cid) == [(1, "选手1", "82.50"), (2, "选手2", "73.75")]


def test_after_opening_a_changed_blueprint_is_refused_and_nothing_changes(db, org, make_user, signed_in):
    organiser = signed_in(make_user("t01", roles={"trainer"}, branch="head"))
    cid = competition_id(organiser.post("/competitions/new", data=competition_form()))
    cells = [{"part": "written", "count": 1, "points": 10, "type": "single"}]
    written = round_form("written", "笔试", 1, cells=cells, opens_at="2030-05-01T09:00")
    organiser.post(f"/competitions/{cid}/rounds/new", data=written)
    round_ = db.session.get(Competition, cid).rounds[0]
    url = f"/competitions/{cid}/rounds/{round_.id}/edit"
    stale = posted_fields(edit_page(organiser, cid, round_.id))  # opened while this page was still a draft's
    organiser.post(f"/competitions/{cid}/state/open")
    organiser.post(f"/competitions/{cid}/rounds/{round_.id}/state/open")
    db.session.refresh(round_)
    assert round_.state == "open"
    version = round_.competition.config_version

    stale.update({"cells-0-count": "3", "weight": "2"})
    refused = organiser.post(url, data=stale)
    assert refused.status_code == 200
    page = refused.get_data(as_text=True)
    (message,) = (line for line in page.splitlines() if 'id="refused"' in line)
    assert "组卷蓝图" in message and "在总成绩中的权重" not in message  # names the blueprint, only it
    db.session.expire_all()
    assert round_.blueprint == [
        {"part": "written", "count": 1, "points": 10.0, "theme": None, "competency": None, "type": "single",
         "difficulty": None, "level": None}
    ]  # fmt: skip
    assert (round_.weight, round_.competition.config_version) == (1.0, version)  # nothing at all changed

    # The same stale page, its blueprint as it is: the weight alone changes, and that is allowed.
    stale["cells-0-count"] = "1"
    assert organiser.post(url, data=stale).status_code == 302
    db.session.expire_all()
    assert round_.weight == 2.0 and round_.blueprint[0]["count"] == 1


def test_a_closed_rounds_new_weight_needs_a_reason_and_is_audited(db, running):
    organiser, cid, rid = running.organiser, running.cid, running.first
    organiser.post(f"/competitions/{cid}/rounds/{rid}/state/closed")
    url = f"/competitions/{cid}/rounds/{rid}/edit"
    data = posted_fields(edit_page(organiser, cid, rid))
    assert set(data) - {"csrf_token"} == {"title", "weight", "reason"}  # all else is fixed now
    data["weight"] = "3"
    without = organiser.post(url, data=data)
    assert without.status_code == 200
    assert db.session.get(Round, rid).weight == 1.0
    data["reason"] = "决赛前复核：现场一按三倍计"
    assert organiser.post(url, data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Round, rid).weight == 3.0
    # One audited line per participant scored in the round: the score as it was, who and why.
    audited = db.session.scalars(
        select(ScoreEvent).where(ScoreEvent.round_id == rid, ScoreEvent.recorded_by_id == running.trainer.id)
    ).all()
    assert sorted(e.score for e in audited) == [70, 90]
    assert all("决赛前复核" in e.reason and "1 → 3" in e.reason for e in audited)
    log = organiser.get(f"/competitions/{cid}/audit").get_data(as_text=True)
    assert "决赛前复核：现场一按三倍计" in log and "组织者周" in log
    assert board(organiser, cid) == [(1, "选手1", "82.50"), (2, "选手2", "73.75")]


def test_taking_a_judge_off_the_panel_settles_what_the_others_finished(db, running, make_user, signed_in):
    second_judge = make_user("j2", roles={"judge"}, branch="head", name="评委乙")
    organiser, cid, rid = running.organiser, running.cid, running.second
    data = posted_fields(edit_page(organiser, cid, rid))
    data["judges"] = [str(running.judge.id), str(second_judge.id)]
    assert organiser.post(f"/competitions/{cid}/rounds/{rid}/edit", data=data).status_code == 302
    p1 = next(p for p in setup.participants(db.session.get(Competition, cid)) if p.user.employee_no == "p1")
    sheet = {"c_idea": 50, "c_expr": 30, "comment": ""}  # 80
    assert (
        signed_in(running.judge)
        .post(f"/competitions/{cid}/rounds/{rid}/judge/{p1.id}", data=sheet)
        .status_code
        == 302
    )
    assert events.current(rid, p1.id).score == 60  # 评委乙 has not scored: nothing locks yet
    assert db.session.scalar(select(JudgeScore.locked_at)) is None

    data["judges"] = [str(running.judge.id)]  # 评委乙 cannot come after all
    assert organiser.post(f"/competitions/{cid}/rounds/{rid}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(JudgeScore.locked_at)) is not None
    assert events.current(rid, p1.id).score == 80  # 评委甲 alone was left to score: (80) / 1
