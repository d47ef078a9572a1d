"""A whole competition through the web — written round, case round with calibration and peer scoring,
judged round, freeze, publication, a correction and a disqualification — against boards computed by hand.

Six participants: p1–p3 in 东城 (team E), p4–p6 in 西山 (team W). Rounds and weights: written 30, case 40,
judged 30. Team score: the mean of the members. Round scores are shown to two decimals, and the overall
and team scores are computed from the round scores as shown (standings.py).

Written round (a paper of one single-choice and one true/false question, 10 points each, on 100):
    p1 both right 100 · p2 single only 50 · p3 none 0 · p4 both 100 · p5 true/false only 50 · p6 both 100

Case round (peers only, k = 5: with six participants everyone reviews every entry but their own).
Calibration on the two examples (expert ex1 idea 50 expr 30, ex2 idea 20 expr 20): p1, p3, p5 exact;
p2 10 under on ex1's idea and ex2's expression; p4 20 under on the same two; p6 50 and 30 under on ex1.
Each reviewer gives an entry its base b (p1 80, p2 70, p3 60, p4 90, p5 75, p6 65), except that p2 gives
b + 4, p6 gives b − 30, and p1 gives p5's entry b + 25. Since #15 the scores come from the peer model
(`peer_model`, criterion by criterion: each review corrected by its reviewer's bias, weighted by their
reliability, with the round's average at weight 1). Here p2, p4 and p6 look harsher on the examples than
on the entries, so their corrections lift the scores a little above b; the test checks the app against
the model fed the same records built from the tables below (`case_input`), then the numbers:
    p1 84.39 · p2 74.01 · p3 65.73 · p4 92.59 · p6 69.96
    p5: the judge budget (10% of 6 entries: one) goes to the entry the model is least sure of, p5's,
        where p1's +25 stands out; the trainer scores 72 → 72.00
Both tasks are open (60 + 40 points), so the round score is the rubric total.

Judged round: five judges at head office give T + (−4, −2, 0, +2, +10); a judge from 东城 gives T + 6 and
withdraws from 东城's participants (本单位回避). With 5 or more judges the highest and lowest go:
    东城 (5 judges): (T−2 + T + T+2) / 3 = T          p1 85, p2 75, p3 65
    西山 (6 judges): (T−2 + T + T+2 + T+6) / 4 = T + 1.5   p4 80 → 81.50, p5 90 → 91.50, p6 70 → 71.50

Overall = (30 × written + 40 × case + 30 × judged) / 100:
    p1 (3000 + 3375.6 + 2550) / 100 = 89.256 → 89.26      p4 (3000 + 3703.6 + 2445) / 100 = 91.486 → 91.49
    p2 (1500 + 2960.4 + 2250) / 100 = 67.104 → 67.10      p5 (1500 + 2880 + 2745) / 100 = 71.25
    p3 (0 + 2629.2 + 1950) / 100 = 45.792 → 45.79         p6 (3000 + 2798.4 + 2145) / 100 = 79.434 → 79.43
Teams: E (89.26 + 67.10 + 45.79) / 3 = 67.383… → 67.38; W (91.49 + 71.25 + 79.43) / 3 = 80.723… → 80.72.

Frozen public board (the freeze falls after the case round, before the judged round):
    p1 63.756 → 63.76, p2 44.604 → 44.60, p3 26.292 → 26.29, p4 67.036 → 67.04, p5 43.80, p6 57.984 → 57.98
    E (63.76 + 44.60 + 26.29) / 3 = 44.883… → 44.88; W (67.04 + 43.80 + 57.98) / 3 = 56.273… → 56.27
"""

import re
from datetime import timedelta

from sqlalchemy import select, update

from drill.attempts.models import Attempt
from drill.competitions import events, peer_io
from drill.competitions.models import Competition, Participant, ReviewAllocation, ScoreEvent
from drill.database import utcnow
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


CASE = {1: 84.39, 2: 74.01, 3: 65.73, 4: 92.59, 5: None, 6: 69.96}  # the model's case-round scores


def case_input(people, pid, attempt_of) -> dict:
    """The case round as `drill peer-scores` reads it, from this test's tables (not from the app)."""
    c = {"criteria": [{"id": "idea", "max_score": 60}, {"id": "expr", "max_score": 40}]}

    def scores(idea, expr):
        return {"idea": idea, "expr": expr}

    def given(total):
        parts = split(total)
        return scores(parts["c_idea"], parts["c_expr"])

    return {
        "max_score": 100,
        **c,
        "examples": [
            {"id": "example-1", "expert": scores(50, 30)},
            {"id": "example-2", "expert": scores(20, 20)},
        ],
        "calibration": [
            {"reviewer": str(pid[i]), "example": x, "scores": scores(*CALIBRATION[i][2 * n : 2 * n + 2])}
            for i in people
            for n, x in enumerate(("example-1", "example-2"))
        ],
        "reviews": [
            {"reviewer": str(pid[i]), "entry": str(attempt_of[j]), "scores": given(review_total(i, j))}
            for i in people
            for j in people
            if i != j
        ],
        "entries": [str(attempt_of[i]) for i in people],
        "judge_budget": 10,
    }


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

    # While reviews come in, each entry is scored as its reviews complete, on the model as fitted then;
    # the organiser's recompute (or closing the round) settles every entry on the final fit. The model,
    # fed the same reviews and calibrations built here from the test's own tables, gives the app's scores
    # (the command `drill peer-scores` runs this very function).
    assert organiser.post(f"/competitions/{cid}/rounds/{case.id}/recompute").status_code == 302
    attempt_of = {i: e for e, i in author_of.items()}
    expected = peer_io.score(case_input(people, pid, attempt_of))
    scores = {i: events.current(case.id, pid[i]) for i in people}
    sent = {i for i in people if expected.entries[str(attempt_of[i])].needs_judge}
    assert sent == {5}  # budget 10% of 6 entries: one, the most uncertain — p5's, where p1 added 25
    assert {i: s and s.score for i, s in scores.items()} == {
        i: None if i in sent else float(expected.entries[str(attempt_of[i])].score) for i in people
    }
    assert {i: s and s.score for i, s in scores.items()} == CASE
    # p5's entry is the one the model is least sure of: the trainer decides alone.
    queue = organiser.get(f"/competitions/{cid}/judging").get_data(as_text=True)
    assert f"/rounds/{case.id}/judge/{pid[5]}" in queue
    decided = organiser.post(
        f"/competitions/{cid}/rounds/{case.id}/judge/{pid[5]}", data={**split(72), "comment": "复核"}
    )
    assert decided.status_code == 302
    assert events.current(case.id, pid[5]).score == 72
    assert organiser.post(f"/competitions/{cid}/rounds/{case.id}/state/closed").status_code == 302

    # An author sees how their score was reached, with anonymous reviewers: criterion by criterion, each
    # review corrected by its reviewer's bias and weighted, the formulas adding up to the score.
    mine = clients[1].get(f"/competitions/{cid}/rounds/{case.id}").get_data(as_text=True)
    formulas = re.findall(r'class="formula">([^<]*)<', mine)
    assert len(formulas) == 2 and all(f.startswith("(1 × ") for f in formulas)
    (total,) = re.findall(r'class="total-formula">([^<]*)<', mine)
    assert total.endswith(f"= {CASE[1]:.2f}")
    assert mine.count('class="review-line"') == 10  # five reviews, two criteria
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
        (1, "选手4", "91.49"), (2, "选手1", "89.26"), (3, "选手6", "79.43"),
        (4, "选手5", "71.25"), (5, "选手2", "67.10"), (6, "选手3", "45.79"),
    ]  # fmt: skip
    assert rows(live, "teams") == [(1, "西山支行", "80.72"), (2, "东城支行", "67.38")]
    public = board(clients[2], cid)
    assert public["mode"] == "frozen"
    notice = clients[2].get(f"/competitions/{cid}/board").get_data(as_text=True)
    assert "榜单自 " in notice and " 起封榜" in notice  # says since when
    assert rows(public) == [
        (1, "选手4", "67.04"), (2, "选手1", "63.76"), (3, "选手6", "57.98"),
        (4, "选手2", "44.60"), (5, "选手5", "43.80"), (6, "选手3", "26.29"),
    ]  # fmt: skip
    assert rows(public, "teams") == [(1, "西山支行", "56.27"), (2, "东城支行", "44.88")]
    assert public["me"] == {"rank": 4, "name": "选手2", "team": "东城支行", "score": "44.60"}
    assert [r["score"] for r in board(organiser, cid, round=case.id)["individual"]] == [
        "92.59", "84.39", "74.01", "72.00", "69.96", "65.73"
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
    # p3: (1500 + 2629.2 + 1950) / 100 = 60.792 → 60.79; E: (89.26 + 67.10 + 60.79) / 3 = 72.383… → 72.38
    assert (6, "选手3", "60.79") in rows(after) and (2, "东城支行", "72.38") in rows(after, "teams")
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
    # E: (89.26 + 60.79) / 2 = 75.025 → 75.03
    assert (2, "东城支行", "75.03") in rows(after, "teams")
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
