"""A whole competition through the web — written round, case round with calibration and peer scoring,
judged round, freeze, publication, a correction and a disqualification — against boards computed by hand.

Six participants: p1–p3 in 东城 (team E), p4–p6 in 西山 (team W). Rounds and weights: written 30, case 40,
judged 30. Team score: the mean of the members. Round scores are shown to two decimals, and the overall
and team scores are computed from the round scores as shown (standings.py).

Written round (a paper of one single-choice and one true/false question, 10 points each, on 100):
    p1 both right 100 · p2 single only 50 · p3 none 0 · p4 both 100 · p5 true/false only 50 · p6 both 100

Case round (peers only, k = 5: with six participants everyone reviews every entry but their own).
Calibration on the two examples (expert ex1 idea 50 expr 30, ex2 idea 20 expr 20; 200 marks in all):
    p1, p3, p5 exact: d = 0 → weight 1.0
    p2 off by 10 + 10 = 20: d = 0.1 → weight 0.2 + 0.8 × (1 − 0.1/0.4) = 0.8
    p4 off by 20 + 20 = 40: d = 0.2 → weight 0.2 + 0.8 × 0.5 = 0.6
    p6 off by 80:           d = 0.4 → weight 0.2 (the floor)
Each reviewer gives an entry its base b (p1 80, p2 70, p3 60, p4 90, p5 75, p6 65), except that p2 gives
b + 4, p6 gives b − 30, and p1 gives p5's entry b + 25. With five reviews the one farthest from the median
is dropped, then the calibration-weighted mean is taken:
    p1: reviews b+4 (p2), b, b, b, b−30 (p6) → median b, p6 dropped →
        b + 0.8 × 4 / (0.8 + 1 + 0.6 + 1) = 80 + 3.2/3.4 = 80.941… → 80.94
    p2: b, b, b, b, b−30 → p6 dropped → 70.00
    p3: as p1 → 60 + 3.2/3.4 → 60.94
    p4: b, b+4, b, b, b−30 (weights 1, 0.8, 1, 1 kept) → 90 + 3.2/3.8 = 90.842… → 90.84
    p5: b+25, b+4, b, b, b−30 → p6 dropped, the kept span 25 > 20 points: a judge decides; the trainer
        scores 72 → 72.00
    p6: b, b+4, b, b, b → p2 is the one farthest (4) and dropped → 65.00
Both tasks are open (60 + 40 points), so the round score is the rubric total.

Judged round: five judges at head office give T + (−4, −2, 0, +2, +10); a judge from 东城 gives T + 6 and
withdraws from 东城's participants (本单位回避). With 5 or more judges the highest and lowest go:
    东城 (5 judges): (T−2 + T + T+2) / 3 = T          p1 85, p2 75, p3 65
    西山 (6 judges): (T−2 + T + T+2 + T+6) / 4 = T + 1.5   p4 80 → 81.50, p5 90 → 91.50, p6 70 → 71.50

Overall = (30 × written + 40 × case + 30 × judged) / 100:
    p1 (3000 + 3237.6 + 2550) / 100 = 87.876 → 87.88      p4 (3000 + 3633.6 + 2445) / 100 = 90.786 → 90.79
    p2 (1500 + 2800 + 2250) / 100 = 65.50                 p5 (1500 + 2880 + 2745) / 100 = 71.25
    p3 (0 + 2437.6 + 1950) / 100 = 43.876 → 43.88         p6 (3000 + 2600 + 2145) / 100 = 77.45
Teams: E (87.88 + 65.50 + 43.88) / 3 = 65.753… → 65.75; W (90.79 + 71.25 + 77.45) / 3 = 79.83.

Frozen public board (the freeze falls after the case round, before the judged round):
    p1 62.376 → 62.38, p2 43.00, p3 24.376 → 24.38, p4 66.336 → 66.34, p5 43.80, p6 56.00
    E (62.38 + 43.00 + 24.38) / 3 = 43.253… → 43.25; W (66.34 + 43.80 + 56.00) / 3 = 55.38
"""

import re
from datetime import timedelta

from sqlalchemy import select, update

from drill.competitions import events
from drill.competitions.models import Competition, Participant, ReviewAllocation, ScoreEvent
from drill.database import utcnow
from drill.drills.models import Attempt
from tests.competitions.conftest import competition_form, competition_id, round_form
from tests.drills.conftest import option_ids, positions_by_key

WRITTEN = {
    1: (True, True),
    2: (True, False),
    3: (False, False),
    4: (True, True),
    5: (False, True),
    6: (True, True),
}
CALIBRATION = {  # what each participant gives the examples: (ex1 idea, ex1 expr, ex2 idea, ex2 expr)
    1: (50, 30, 20, 20), 2: (40, 30, 20, 10), 3: (50, 30, 20, 20),
    4: (30, 30, 20, 0), 5: (50, 30, 20, 20), 6: (0, 0, 20, 20),
}  # fmt: skip
BASE = {1: 80, 2: 70, 3: 60, 4: 90, 5: 75, 6: 65}
JUDGED = {1: 85, 2: 75, 3: 65, 4: 80, 5: 90, 6: 70}
HEAD_DELTAS = (-4, -2, 0, 2, 10)
EAST_DELTA = 6


def review_total(reviewer: int, author: int) -> float:
    offset = {2: 4, 6: -30}.get(reviewer, 0) + (25 if (reviewer, author) == (1, 5) else 0)
    return BASE[author] + offset


def split(total: float) -> dict:
    """A rubric total as criterion scores: idea 60 %, expression 40 %."""
    return {"c_idea": round(total * 0.6, 1), "c_expr": round(total - round(total * 0.6, 1), 1)}


def rows(data, key="individual"):
    return [(r["rank"], r["name"], r["score"]) for r in data[key]]


def board(client, cid, **params):
    response = client.get(f"/competitions/{cid}/board.json", query_string=params)
    assert response.status_code == 200, response.status_code
    return response.get_json()


def start(client, db, cid, round_id):
    response = client.post(f"/competitions/{cid}/rounds/{round_id}/start")
    assert response.status_code == 302 and "/competitions/attempts/" in response.headers["Location"]
    db.session.expire_all()
    return db.session.get(Attempt, int(response.headers["Location"].rsplit("/", 1)[1]))


def submit(client, attempt):
    response = client.post(f"/drills/attempts/{attempt.id}/submit")
    assert response.status_code == 302
    follow = client.get(response.headers["Location"])  # the drills page hands over to the round's page
    assert follow.status_code == 302 and "/competitions/attempts/" in follow.headers["Location"]


def test_a_whole_competition_matches_the_hand_computed_boards(app, db, org, make_user, signed_in, case_pack):
    trainer = make_user("t01", roles={"trainer"}, branch="head", name="组织者周")
    people = {
        i: make_user(f"p{i}", name=f"选手{i}", branch="east1" if i <= 3 else "west1") for i in range(1, 7)
    }
    head_judges = [
        make_user(f"h{i}", roles={"judge"}, branch="head", name=f"总行评委{i}") for i in range(1, 6)
    ]
    east_judge = make_user("e1", roles={"judge"}, branch="east1", name="东城评委")
    organiser = signed_in(trainer)
    clients = {i: signed_in(user) for i, user in people.items()}

    # --- setting up: the competition, its participants by employee number, three rounds
    cid = competition_id(organiser.post("/competitions/new", data=competition_form(reviews_per_entry=5)))
    added = organiser.post(
        f"/competitions/{cid}/participants", data={"p-employee_nos": "p1, p2, p3\np4,p5,p6"}
    )
    assert added.status_code == 302
    cells = [
        {"part": "written", "count": 1, "points": 10, "type": "single"},
        {"part": "written", "count": 1, "points": 10, "type": "truefalse"},
    ]
    for form in (
        round_form("written", "笔试", 30, cells=cells),
        round_form("case", "案例分析", 40, case_pack=case_pack.id),
        round_form(
            "judged",
            "情景模拟",
            30,
            case_pack=case_pack.id,
            judges=[j.id for j in [*head_judges, east_judge]],
        ),
    ):
        assert organiser.post(f"/competitions/{cid}/rounds/new", data=form).status_code == 302
    competition = db.session.get(Competition, cid)
    written, case, judged = competition.rounds
    pid = {
        i: db.session.scalar(select(Participant.id).where(Participant.user_id == u.id))
        for i, u in people.items()
    }
    assert all(pid.values())
    opened = organiser.post(f"/competitions/{cid}/state/open", follow_redirects=True)
    assert "竞赛已开始" in opened.get_data(as_text=True)

    # --- the written round: scored the moment each paper is handed in
    organiser.post(f"/competitions/{cid}/rounds/{written.id}/state/open")
    single, truefalse = option_ids(db, "ds-single"), None
    for i, client in clients.items():
        attempt = start(client, db, cid, written.id)
        at = positions_by_key(db, attempt)
        single_right, tf_right = WRITTEN[i]
        answer = single["正确选项甲"] if single_right else single["错误选项乙"]
        assert (
            client.put(
                f"/api/attempts/{attempt.id}/items/{at['ds-single']}", json={"response": answer}
            ).status_code
            == 200
        )
        client.put(f"/api/attempts/{attempt.id}/items/{at['ds-truefalse']}", json={"response": not tf_right})
        submit(client, attempt)
        assert events.current(written.id, pid[i]).score == [100, 50, 0, 100, 50, 100][i - 1]
    del truefalse
    # Competition answers never reach the notebook or the drills history.
    assert "单选题干甲" not in clients[3].get("/drills/notebook").get_data(as_text=True)
    assert "笔试" not in clients[3].get("/drills/history").get_data(as_text=True)
    organiser.post(f"/competitions/{cid}/rounds/{written.id}/state/closed")

    # --- the case round: written answers with the case above the tasks
    organiser.post(f"/competitions/{cid}/rounds/{case.id}/state/open")
    for i, client in clients.items():
        attempt = start(client, db, cid, case.id)
        page = client.get(f"/competitions/attempts/{attempt.id}").get_data(as_text=True)
        assert "案例背景秘文" in page and "案例材料秘文" in page and "分析存款下降的原因" in page
        for position in (1, 2):
            client.put(
                f"/api/attempts/{attempt.id}/items/{position}",
                json={"response": f"选手{i}的答案第{position}题"},
            )
        submit(client, attempt)
    assert organiser.post(f"/competitions/{cid}/rounds/{case.id}/state/reviewing").status_code == 302
    allocations = db.session.scalars(
        select(ReviewAllocation).where(ReviewAllocation.round_id == case.id)
    ).all()
    assert len(allocations) == 30  # k = 5: everyone reviews the five others

    author_of = {a.id: next(i for i, u in people.items() if u.id == a.user_id) for a in db.session.scalars(
        select(Attempt).where(Attempt.competition_round_id == case.id))}  # fmt: skip
    for i, client in clients.items():
        mine = [a for a in allocations if a.reviewer_id == pid[i]]
        # Reviewing before calibrating sends the reviewer to calibrate first.
        first = client.get(f"/competitions/{cid}/rounds/{case.id}/reviews/{mine[0].entry_id}")
        assert first.status_code == 302 and first.headers["Location"].endswith("/calibrate")
        a, b, c, d = CALIBRATION[i]
        calibrated = client.post(
            f"/competitions/{cid}/rounds/{case.id}/calibrate",
            data={"x0_c_idea": a, "x0_c_expr": b, "x1_c_idea": c, "x1_c_expr": d},
        )
        assert calibrated.status_code == 302
        shown = client.get(f"/competitions/{cid}/rounds/{case.id}/calibrate").get_data(as_text=True)
        assert 'id="deviations"' in shown
        for allocation in mine:
            total = review_total(i, author_of[allocation.entry_id])
            data = {**split(total), "comment": "评语"}
            saved = client.post(
                f"/competitions/{cid}/rounds/{case.id}/reviews/{allocation.entry_id}", data=data
            )
            assert saved.status_code == 302, saved.get_data(as_text=True)[-400:]

    scores = {i: events.current(case.id, pid[i]) for i in people}
    assert {i: s and round(s.score, 2) for i, s in scores.items()} == {
        1: 80.94,
        2: 70.0,
        3: 60.94,
        4: 90.84,
        5: None,
        6: 65.0,
    }
    # p5's reviews disagree: the trainer decides alone.
    queue = organiser.get(f"/competitions/{cid}/judging").get_data(as_text=True)
    assert f"/rounds/{case.id}/judge/{pid[5]}" in queue
    decided = organiser.post(
        f"/competitions/{cid}/rounds/{case.id}/judge/{pid[5]}", data={**split(72), "comment": "复核"}
    )
    assert decided.status_code == 302
    assert events.current(case.id, pid[5]).score == 72
    assert organiser.post(f"/competitions/{cid}/rounds/{case.id}/state/closed").status_code == 302

    # An author sees how their score was reached, with anonymous reviewers.
    mine = clients[1].get(f"/competitions/{cid}/rounds/{case.id}").get_data(as_text=True)
    (formula,) = re.findall(r'class="formula">([^<]*)<', mine)
    top, _, bottom = formula.partition(" / ")
    assert sorted(top.strip("()").split(" + ")) == ["0.60 × 80", "0.80 × 84", "1.00 × 80", "1.00 × 80"]
    assert bottom.endswith("= 80.94")
    (dropped,) = re.findall(r"review-line text-decoration-line-through[^>]*>(.*?)</li>", mine, flags=re.S)
    assert "50 ×" in dropped and "0.20" in dropped  # p6's 50 (weight 0.20) was dropped
    assert not any(f"选手{j}" in mine for j in range(2, 7))

    # --- the freeze: from now on the public board stands still
    db.session.execute(
        update(Competition).where(Competition.id == cid)
        .values(freeze_at=utcnow(), config_version=Competition.config_version + 1)
    )  # fmt: skip
    db.session.commit()

    # --- the judged round: each judge scores alone; 本单位回避; trimmed means
    organiser.post(f"/competitions/{cid}/rounds/{judged.id}/state/open")
    for judge, delta in [*zip(head_judges, HEAD_DELTAS, strict=True), (east_judge, EAST_DELTA)]:
        client = signed_in(judge)
        for i in people:
            url = f"/competitions/{cid}/rounds/{judged.id}/judge/{pid[i]}"
            response = client.post(url, data={**split(JUDGED[i] + delta), "comment": ""})
            expected = 403 if judge is east_judge and i <= 3 else 302
            assert response.status_code == expected, (judge.employee_no, i, response.status_code)
    assert {i: str(events.current(judged.id, pid[i]).score) for i in people} == {
        1: "85.0",
        2: "75.0",
        3: "65.0",
        4: "81.5",
        5: "91.5",
        6: "71.5",
    }

    # --- the boards
    live = board(organiser, cid)
    assert live["mode"] == "live"
    assert rows(live) == [
        (1, "选手4", "90.79"), (2, "选手1", "87.88"), (3, "选手6", "77.45"),
        (4, "选手5", "71.25"), (5, "选手2", "65.50"), (6, "选手3", "43.88"),
    ]  # fmt: skip
    assert rows(live, "teams") == [(1, "西山支行", "79.83"), (2, "东城支行", "65.75")]
    public = board(clients[2], cid)
    assert public["mode"] == "frozen"
    notice = clients[2].get(f"/competitions/{cid}/board").get_data(as_text=True)
    assert "榜单自 " in notice and " 起封榜" in notice  # says since when
    assert rows(public) == [
        (1, "选手4", "66.34"), (2, "选手1", "62.38"), (3, "选手6", "56.00"),
        (4, "选手5", "43.80"), (5, "选手2", "43.00"), (6, "选手3", "24.38"),
    ]  # fmt: skip
    assert rows(public, "teams") == [(1, "西山支行", "55.38"), (2, "东城支行", "43.25")]
    assert public["me"] == {"rank": 5, "name": "选手2", "team": "东城支行", "score": "43.00"}
    assert [r["score"] for r in board(organiser, cid, round=case.id)["individual"]] == [
        "90.84", "80.94", "72.00", "70.00", "65.00", "60.94"
    ]  # fmt: skip

    # --- publication: everyone sees the final board
    early = organiser.post(f"/competitions/{cid}/publish", follow_redirects=True).get_data(as_text=True)
    assert "请先结束竞赛" in early and board(clients[2], cid)["mode"] == "frozen"  # not while it runs
    assert organiser.post(f"/competitions/{cid}/state/finished").status_code == 302
    assert organiser.post(f"/competitions/{cid}/publish").status_code == 302
    final = board(clients[2], cid)
    assert final["mode"] == "published" and rows(final) == rows(live)

    # --- a correction: p3's written paper re-marked to 50, with the reason; the boards follow
    fixed = organiser.post(
        f"/competitions/{cid}/participants/{pid[3]}/correct",
        data={
            "fix-round": written.id,
            "fix-score": "50",
            "fix-reason": "复核第2题答案有误<script>alert(1)</script>",
        },
    )
    assert fixed.status_code == 302
    after = board(clients[1], cid)
    # p3: (1500 + 2437.6 + 1950) / 100 = 58.876 → 58.88; E: (87.88 + 65.50 + 58.88) / 3 = 70.753… → 70.75
    assert (6, "选手3", "58.88") in rows(after) and (2, "东城支行", "70.75") in rows(after, "teams")
    log = organiser.get(f"/competitions/{cid}/audit").get_data(as_text=True)
    assert "复核第2题答案有误&lt;script&gt;alert(1)&lt;/script&gt;" in log and "组织者周" in log
    assert "<script>alert" not in log  # what an organiser typed is text, never markup
    events_of_p3 = db.session.scalars(
        select(ScoreEvent).where(ScoreEvent.participant_id == pid[3], ScoreEvent.round_id == written.id)
    ).all()
    assert [e.score for e in events_of_p3] == [0, 50]  # appended, never edited

    # --- a disqualification: p2's scores are withdrawn (audited) and p2 leaves the boards
    out = organiser.post(f"/competitions/{cid}/participants/{pid[2]}/disqualify", data={"dq-reason": "代考"})
    assert out.status_code == 302
    after = board(clients[1], cid)
    assert "选手2" not in [r["name"] for r in after["individual"]]
    # E: (87.88 + 58.88) / 2 = 73.38
    assert (2, "东城支行", "73.38") in rows(after, "teams")
    withdrawn = db.session.scalars(
        select(ScoreEvent).where(ScoreEvent.participant_id == pid[2], ScoreEvent.score.is_(None))
    )
    assert {e.reason for e in withdrawn} == {"代考"}


def test_the_speed_bonus_keeps_most_of_the_marks_for_a_slow_right_paper(
    app, db, org, make_user, signed_in, case_pack
):
    trainer = make_user("t01", roles={"trainer"}, branch="head")
    runner = make_user("p1", name="选手1")
    organiser, client = signed_in(trainer), signed_in(runner)
    cid = competition_id(organiser.post("/competitions/new", data=competition_form()))
    organiser.post(f"/competitions/{cid}/participants", data={"p-employee_nos": "p1"})
    cells = [{"part": "written", "count": 1, "points": 10, "type": "single"}]
    organiser.post(
        f"/competitions/{cid}/rounds/new", data=round_form("written", "抢答", 1, cells=cells, speed_bonus="y")
    )
    organiser.post(f"/competitions/{cid}/state/open")
    round_ = db.session.get(Competition, cid).rounds[0]
    organiser.post(f"/competitions/{cid}/rounds/{round_.id}/state/open")
    attempt = start(client, db, cid, round_.id)
    # Half the allowance used: started 15 minutes ago with 15 minutes left.
    now = utcnow()
    db.session.execute(
        update(Attempt).where(Attempt.id == attempt.id)
        .values(started_at=now - timedelta(minutes=15), deadline=now + timedelta(minutes=15))
    )  # fmt: skip
    db.session.commit()
    client.put(
        f"/api/attempts/{attempt.id}/items/1", json={"response": option_ids(db, "ds-single")["正确选项甲"]}
    )
    submit(client, attempt)
    # 10 × (0.8 + 0.2 × (1 − t/T)) with t/T just over 0.5: just under 9 of 10 points → just under 90
    score = events.current(round_.id, db.session.scalar(select(Participant.id))).score
    assert 89.9 < score <= 90.0
