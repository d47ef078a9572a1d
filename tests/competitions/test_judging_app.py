"""Judges score alone: the other judges' sheets stay hidden until everyone assigned has scored and the
entry locks; a locked sheet does not change; a judge from the participant's own branch is not assigned.
Nobody judges a round before it opens, and once anyone is scored the round's rubric stays as it is."""

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from drill.competitions import events
from drill.competitions.models import Competition, JudgeScore, Participant, Round
from drill.content.models import Pack
from drill.content.services import import_paths
from drill.database import utcnow
from drill.paths import project_dir
from tests.competitions.conftest import PACKS, competition_form, competition_id, posted_fields, round_form


def sheet(total_idea, total_expr, comment=""):
    return {"c_idea": total_idea, "c_expr": total_expr, "comment": comment}


def test_judges_cannot_see_each_others_scores_until_the_entry_locks(db, contest, signed_in, make_user):
    judges = [
        make_user(f"j{i}", roles={"judge"}, branch="head", name=f"评委{'一二三'[i - 1]}") for i in (1, 2, 3)
    ]
    east = make_user("je", roles={"judge"}, branch="east1", name="东城评委")
    game = contest(kind="judged", judges=[*judges, east])
    cid, rid, target = game.competition.id, game.round.id, game.pid["m1"]  # 甲选手, 东城
    url = f"/competitions/{cid}/rounds/{rid}/judge/{target}"
    one, two, three = (signed_in(j) for j in judges)

    assert one.post(url, data=sheet(51.5, 33, "开场自然")).status_code == 302
    page_two = two.get(url).get_data(as_text=True)
    assert "评委一" not in page_two and "51.5" not in page_two and "84.5" not in page_two
    assert 'id="hidden-note"' in page_two
    assert "84.5" in one.get(url).get_data(as_text=True)  # a judge sees their own sheet

    # 本单位回避: the 东城 judge is not assigned to 甲; 丙 of 西山 is theirs to score.
    recused = signed_in(east)
    assert recused.post(url, data=sheet(60, 40)).status_code == 403
    assert recused.get(f"/competitions/{cid}/rounds/{rid}/judge/{game.pid['m3']}").status_code == 200

    assert two.post(url, data=sheet(45, 30)).status_code == 302
    assert events.current(rid, target) is None  # not locked: no score yet
    # 甲 opens the round's page: nothing to hand in, the judges score it live; no score yet
    mine = signed_in(game.people[0]).get(f"/competitions/{cid}/rounds/{rid}").get_data(as_text=True)
    assert 'id="round-status"' in mine and "评委现场赛" in mine and "评委现场评分" in mine
    assert three.post(url, data=sheet(48, 32)).status_code == 302
    # Locked: (84.5 + 75 + 80) / 3 = 79.83
    assert str(events.current(rid, target).score) == "79.83"
    mine = signed_in(game.people[0]).get(f"/competitions/{cid}/rounds/{rid}").get_data(as_text=True)
    assert "79.83" in mine and "judged-hint" not in mine
    assert all(s.locked_at for s in db.session.scalars(select(JudgeScore)))
    page_two = two.get(url).get_data(as_text=True)
    assert "评委一" in page_two and "84.5" in page_two and "79.83" in page_two

    # A locked sheet stays as it was.
    assert one.post(url, data=sheet(10, 10)).status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(JudgeScore.total).where(JudgeScore.judge_id == judges[0].id)) == 84.5


def test_a_participant_or_manager_cannot_judge(db, contest, signed_in, make_user):
    judge = make_user("j1", roles={"judge"}, branch="head")
    game = contest(kind="judged", judges=[judge])
    url = f"/competitions/{game.competition.id}/rounds/{game.round.id}/judge/{game.pid['m2']}"
    assert signed_in(game.people[0]).post(url, data=sheet(50, 30)).status_code == 403
    assert signed_in(game.people[1]).get(url).status_code == 403  # not even one's own sheet list
    assert db.session.scalar(select(JudgeScore.id)) is None


@pytest.fixture
def draft_judged(db, org, make_user, signed_in, case_pack):
    """A running competition whose judged round (on the test case, one judge) is still a draft."""
    trainer = make_user("t01", roles={"trainer"}, branch="head", locale="en")
    judge = make_user("j1", roles={"judge"}, branch="head", locale="en")
    make_user("p1", branch="east1")
    organiser = signed_in(trainer)
    cid = competition_id(organiser.post("/competitions/new", data=competition_form()))
    organiser.post(f"/competitions/{cid}/participants", data={"p-employee_nos": "p1"})
    form = round_form("judged", "现场", 1, case_pack=case_pack.id, judges=[judge.id])
    assert organiser.post(f"/competitions/{cid}/rounds/new", data=form).status_code == 302
    organiser.post(f"/competitions/{cid}/state/open")
    (round_,) = db.session.get(Competition, cid).rounds
    participant = db.session.scalar(select(Participant))
    return SimpleNamespace(
        organiser=organiser,
        judge=signed_in(judge),
        judge_user=judge,
        cid=cid,
        rid=round_.id,
        pid=participant.id,
    )


def test_a_judge_scores_a_round_only_once_it_has_opened(db, draft_judged):
    game = draft_judged
    url = f"/competitions/{game.cid}/rounds/{game.rid}/judge/{game.pid}"
    queue = game.judge.get(f"/competitions/{game.cid}/judging").get_data(as_text=True)
    assert "not-open" in queue and url not in queue
    for refused in (game.judge.get(url), game.judge.post(url, data=sheet(50, 30))):
        assert refused.status_code == 302 and refused.headers["Location"].endswith(f"/{game.cid}/judging")
    shown = game.judge.get(f"/competitions/{game.cid}/judging").get_data(as_text=True)
    assert "This round has not opened yet: judging starts when the organiser opens it." in shown
    assert db.session.scalar(select(JudgeScore.id)) is None

    game.organiser.post(f"/competitions/{game.cid}/rounds/{game.rid}/state/open")
    assert url in game.judge.get(f"/competitions/{game.cid}/judging").get_data(as_text=True)
    assert game.judge.post(url, data=sheet(50, 30)).status_code == 302
    assert db.session.scalar(select(JudgeScore.total)) == 80


def test_once_a_sheet_exists_even_a_drafts_case_and_rubric_are_fixed(db, draft_judged, tmp_path, case_pack):
    """A sheet saved before judges were kept out of drafts: the rubric it was scored on cannot change."""
    game = draft_judged
    other = tmp_path / "cases" / "other.md"
    other.parent.mkdir()
    text = (PACKS / "cases" / "contest-case.md").read_text(encoding="utf-8")
    other.write_text(text.replace("id: case-contest", "id: case-other"), encoding="utf-8")
    assert import_paths([tmp_path], taxonomy_path=project_dir("content") / "taxonomy.yaml").ok
    other_pack = db.session.scalar(select(Pack).where(Pack.slug == "case-other"))
    now = utcnow()
    db.session.add(
        JudgeScore(round_id=game.rid, participant_id=game.pid, judge_id=game.judge_user.id,
                   criteria={"idea": 50, "expr": 30}, total=80, comment="", created_at=now, updated_at=now)
    )  # fmt: skip
    db.session.commit()

    edit = f"/competitions/{game.cid}/rounds/{game.rid}/edit"
    page = game.organiser.get(edit).get_data(as_text=True)
    assert 'id="fixed-note"' in page and "already scored" in page
    data = posted_fields(page)
    assert not {"kind", "case_pack", "rubric_pack"} & set(data)
    assert {"title", "weight", "judges", "opens_at"} <= set(data)  # the rest of a draft is still free
    data["case_pack"] = str(other_pack.id)
    refused = game.organiser.post(edit, data=data)
    assert refused.status_code == 200 and 'id="refused"' in refused.get_data(as_text=True)
    assert posted_fields(refused.get_data(as_text=True), disabled=True)["case_pack"] == [str(case_pack.id)]
    db.session.expire_all()
    assert db.session.get(Round, game.rid).case_pack_id == case_pack.id

    del data["case_pack"]
    data["title"] = "现场（复赛）"
    assert game.organiser.post(edit, data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Round, game.rid).title == "现场（复赛）"
