"""A final's board: only the finalists, ranked among themselves, and teams scored over their finalists;
before the organiser confirms them it says so and lists nobody.

Six participants: e1–e3 in 东城, w1–w3 in 西山; team rule: the mean. 初赛 (weight 1), then 决赛 (weight 1)
for the top 3 of 初赛 overall.

初赛: e1 90, w1 85, e2 80, w2 60, e3 50, w3 40 → finalists e1, w1, e2.
决赛: w1 88.5; e1 and e2 70, finished at the same moment (a shared rank); w2, no finalist, gets 95 through
an organiser's correction (a slip): it counts on the overall like any score, never on the finals board.
    finals board: w1 1 88.50 · e1 2 70.00 · e2 2 70.00   (a filtered full board would put w2 first)
    finals teams: 西山 88.50 (w1 alone) · 东城 (70 + 70) / 2 = 70.00
    (over all members they would be 西山 (88.5 + 95 + 0) / 3 = 61.17 and 东城 (70 + 70 + 0) / 3 = 46.67)
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from drill.competitions import events, setup
from drill.database import utcnow

HEAT = {"e1": 90, "w1": 85, "e2": 80, "w2": 60, "e3": 50, "w3": 40}
FINAL = {"from": "初赛", "top_n": 3, "per_branch": False}  # what the board says of the final


@pytest.fixture
def finals(db, org, make_user, signed_in):
    trainer = make_user("t01", roles={"trainer"}, branch="head", name="组织者周")
    people = {
        no: make_user(no, name=name, branch=branch)
        for no, name, branch in [
            ("e1", "东一", "east1"), ("e2", "东二", "east1"), ("e3", "东三", "east1"),
            ("w1", "西一", "west1"), ("w2", "西二", "west1"), ("w3", "西三", "west1"),
        ]
    }  # fmt: skip
    competition = setup.create("比学赶超", trainer, state="open")
    setup.add_participants(competition, list(people.values()))
    heat = setup.add_round(competition, kind="judged", title="初赛", weight=1.0, state="closed")
    final = setup.add_round(
        competition, kind="judged", title="决赛", weight=1.0, qualify_from_id=heat.id, qualify_top_n=3
    )
    by_no = {p.user.employee_no: p for p in setup.participants(competition)}
    start = utcnow() - timedelta(hours=2)
    for i, (no, score) in enumerate(HEAT.items()):
        done = start + timedelta(minutes=i)
        events.record(heat, by_no[no], score, completed_at=done, reason="初赛", now=done)
    db.session.commit()
    return SimpleNamespace(
        trainer=trainer, people=people, cid=competition.id, heat=heat.id, final=final.id, by_no=by_no,
        organiser=signed_in(trainer), url=f"/competitions/{competition.id}/board.json?round={final.id}",
    )  # fmt: skip


def confirm(game):
    response = game.organiser.post(f"/competitions/{game.cid}/rounds/{game.final}/qualify")
    assert response.status_code == 302


def play_the_final(db, game):
    from drill.competitions.models import Round

    final = db.session.get(Round, game.final)
    done = utcnow() - timedelta(minutes=30)
    for no, score in {"w1": 88.5, "e1": 70, "e2": 70}.items():
        events.record(final, game.by_no[no], score, completed_at=done, reason="决赛", now=utcnow())
    events.record(
        final, game.by_no["w2"], 95, completed_at=done, reason="更正", now=utcnow(), by=game.trainer
    )
    db.session.commit()


def rows(data, table="individual"):
    return [(r["rank"], r["name"], r["score"]) for r in data[table]]


def test_before_the_finalists_are_confirmed_the_finals_board_lists_nobody_and_says_so(db, finals, signed_in):
    data = signed_in(finals.people["e3"]).get(finals.url).get_json()
    assert data["round"] == finals.final
    assert data["final"] == dict(FINAL, confirmed=False, advanced=0)
    assert data["individual"] == [] and data["teams"] == []
    overall = finals.organiser.get(f"/competitions/{finals.cid}/board.json").get_json()
    assert overall["final"] is None and len(overall["individual"]) == 6


def test_a_finals_board_lists_only_the_finalists_ranked_among_themselves(db, finals, signed_in):
    confirm(finals)
    play_the_final(db, finals)
    finalist = signed_in(finals.people["e1"]).get(finals.url).get_json()
    assert finalist["final"] == dict(FINAL, confirmed=True, advanced=3)
    assert rows(finalist) == [(1, "西一", "88.50"), (2, "东一", "70.00"), (2, "东二", "70.00")]
    assert rows(finalist, "teams") == [(1, "西山支行", "88.50"), (2, "东城支行", "70.00")]
    assert finalist["me"] == {"rank": 2, "name": "东一", "team": "东城支行", "score": "70.00"}
    onlooker = signed_in(finals.people["w2"]).get(finals.url).get_json()  # no finalist: sees it, not in it
    assert "me" not in onlooker and rows(onlooker) == rows(finalist)
    # The overall keeps its rule: (初赛 + 决赛) / 2 over everyone, no final score counting 0; w2's 95 counts.
    # Teams over all members: 西山 (86.75 + 77.5 + 20) / 3 = 61.416… → 61.42; 东城 (80 + 75 + 25) / 3 = 60
    overall = finals.organiser.get(f"/competitions/{finals.cid}/board.json").get_json()
    assert rows(overall) == [
        (1, "西一", "86.75"), (2, "东一", "80.00"), (3, "西二", "77.50"),
        (4, "东二", "75.00"), (5, "东三", "25.00"), (6, "西三", "20.00"),
    ]  # fmt: skip
    assert rows(overall, "teams") == [(1, "西山支行", "61.42"), (2, "东城支行", "60.00")]


def test_confirming_the_finalists_changes_what_a_polling_reader_gets(db, finals, signed_in):
    reader = signed_in(finals.people["e1"])
    before = reader.get(finals.url)
    assert before.get_json()["final"]["confirmed"] is False
    confirm(finals)
    after = reader.get(finals.url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200, "confirming the finalists must bump the competition's config version"
    assert after.get_json()["final"]["advanced"] == 3
    no_score_yet = [r["name"] for r in after.get_json()["individual"]]
    assert no_score_yet == ["东一", "东二", "西一"]  # all 0.00, unfinished: a shared rank, shown by id


def test_the_board_page_labels_a_final(db, finals, signed_in):
    page = signed_in(finals.people["e1"]).get(f"/competitions/{finals.cid}/board").get_data(as_text=True)
    assert 'id="board-final"' in page and "data-final-pending=" in page and 'id="teams-final"' in page
