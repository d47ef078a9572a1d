"""Judges score alone: the other judges' sheets stay hidden until everyone assigned has scored and the
entry locks; a locked sheet does not change; a judge from the participant's own branch is not assigned."""

from sqlalchemy import select

from drill.competitions import events
from drill.competitions.models import JudgeScore


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
    assert three.post(url, data=sheet(48, 32)).status_code == 302
    # Locked: (84.5 + 75 + 80) / 3 = 79.83
    assert str(events.current(rid, target).score) == "79.83"
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
