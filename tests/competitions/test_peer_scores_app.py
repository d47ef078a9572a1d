"""The peer model in the app and in `drill peer-scores`: the same numbers for the same round; bad input
named and nothing written; what a reviewer reads; what an author reads once the round closes."""

import json
from types import SimpleNamespace

from sqlalchemy import select

from drill.competitions import peer_io, round_scores
from drill.competitions.models import ReviewAllocation, Round
from tests.competitions.test_peer_app import CALIBRATED, everyone_hands_in

SCORES = {"m1": (40, 30), "m2": (50, 20), "m3": (30, 35), "m4": (55, 30)}


def reviewed(game, db, signed_in):
    clients, entries, organiser = everyone_hands_in(game, db, signed_in)
    base = f"/competitions/{game.competition.id}/rounds/{game.round.id}"
    author = {e: no for no, e in entries.items()}
    for no, client in clients.items():
        assert client.post(f"{base}/calibrate", data=CALIBRATED).status_code == 302
        for a in db.session.scalars(
            select(ReviewAllocation).where(ReviewAllocation.reviewer_id == game.pid[no])
        ):
            idea, expr = SCORES[author[a.entry_id]]
            idea = min(60, idea + (8 if no == "m2" else 0))
            data = {"c_idea": idea, "c_expr": expr, "comment": f"{no}的评语"}
            assert client.post(f"{base}/reviews/{a.entry_id}", data=data).status_code == 302
    return SimpleNamespace(clients=clients, entries=entries, organiser=organiser, base=base)


def test_the_command_gives_the_apps_numbers_for_the_same_round(app, db, contest, signed_in, runner, tmp_path):
    game = contest(k=2)
    r = reviewed(game, db, signed_in)
    assert r.organiser.post(f"{r.base}/state/closed").status_code == 302
    round_ = db.session.get(Round, game.round.id)
    source = tmp_path / "round.json"
    source.write_text(json.dumps(round_scores.round_input(round_), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out.json"
    result = runner.invoke(args=["peer-scores", str(source), "--output", str(out)])
    assert result.exit_code == 0, result.output
    offline = {e["entry"]: e for e in json.loads(out.read_text(encoding="utf-8"))["entries"]}
    in_app = round_scores.round_model(round_)
    assert set(offline) == {str(e) for e in r.entries.values()}
    for entry, found in in_app.entries.items():
        assert offline[entry]["score"] == float(found.score)
        assert offline[entry]["needs_judge"] == found.needs_judge
    # The organiser's page shows the same score for each entry.
    for entry in r.entries.values():
        page = r.organiser.get(f"{r.base}/entries/{entry}").get_data(as_text=True)
        assert f"= {in_app.entries[str(entry)].score}</code>" in page


def test_bad_input_is_refused_naming_the_record_and_nothing_is_written(runner, tmp_path):
    source = tmp_path / "bad.json"
    source.write_text(
        json.dumps(
            {
                "max_score": 100,
                "examples": [{"id": "x0", "expert": 35}],
                "calibration": [{"reviewer": "r0", "example": "x9", "score": 30}],
                "reviews": [
                    {"reviewer": "r1", "entry": "e0", "score": 71},
                    {"reviewer": "r1", "entry": "e0", "score": 60},
                    {"reviewer": "r2", "entry": "e1", "score": 101},
                ],
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out.json"
    result = runner.invoke(args=["peer-scores", str(source), "--output", str(out)])
    assert result.exit_code != 0 and not out.exists()
    assert "calibration[0] (reviewer r0, example x9): unknown example x9" in result.output
    assert "reviews[1] (reviewer r1, entry e0): a second score" in result.output
    assert "reviews[2] (reviewer r2, entry e1): score 101 is outside 0–100" in result.output


def test_the_command_reads_and_writes_the_issues_format(runner, tmp_path):
    source = tmp_path / "round.json"
    data = {
        "max_score": 100,
        "examples": [{"id": "x0", "expert": 35}],
        "calibration": [{"reviewer": "r0", "example": "x0", "score": 37.5}],
        "reviews": [
            {"reviewer": "r1", "entry": "e0", "score": 71},
            {"reviewer": "r0", "entry": "e0", "score": 75},
        ],
    }
    source.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(args=["peer-scores", str(source)])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found == peer_io.output(peer_io.score(data))
    (entry,) = found["entries"]
    assert set(entry) >= {"entry", "score", "needs_judge", "why"} and 71 <= entry["score"] <= 75
    assert [set(r) >= {"reviewer", "bias", "reliability"} for r in found["reviewers"]] == [True, True]


def test_after_the_round_closes_an_author_reads_comments_the_reference_and_an_explanation(
    db, contest, signed_in
):
    game = contest(k=2)
    r = reviewed(game, db, signed_in)
    before = r.clients["m1"].get(r.base).get_data(as_text=True)
    assert "参考答案秘文" not in before and 'id="peer-comments"' not in before
    assert r.organiser.post(f"{r.base}/state/closed").status_code == 302
    page = r.clients["m1"].get(r.base).get_data(as_text=True)
    assert 'id="peer-comments"' in page and "的评语" in page
    assert "参考答案秘文" in page
    assert 'class="total-formula"' in page and 'id="uncertainty"' in page
    assert not any(u.name in page for u in game.people if u.employee_no != "m1")


def test_a_reviewer_sees_the_rubric_levels_with_their_points(db, contest, signed_in):
    game = contest(k=2)
    clients, _entries, _organiser = everyone_hands_in(game, db, signed_in)
    base = f"/competitions/{game.competition.id}/rounds/{game.round.id}"
    client = clients["m1"]
    client.post(f"{base}/calibrate", data=CALIBRATED)
    mine = db.session.scalar(select(ReviewAllocation).where(ReviewAllocation.reviewer_id == game.pid["m1"]))
    page = client.get(f"{base}/reviews/{mine.entry_id}").get_data(as_text=True)
    assert 'id="rubric-levels"' in page
    assert "优秀 54–60" in page and "抓住主因" in page  # 90% of 60 and up
    assert "不合格 0–24" in page and "混乱" in page  # below 60% of expression's 40


def test_a_chosen_option_shows_as_its_text_not_its_id(app):
    item = SimpleNamespace(
        position=1,
        points=10,
        type="single",
        response="ec012e3a",
        question={
            "stem_html": "<p>问</p>",
            "options": [{"id": "ec012e3a", "html": "选项甲的文字"}, {"id": "b", "html": "乙"}],
        },
    )
    with app.test_request_context():
        html = app.jinja_env.get_template("competitions/_entry.html").module.answers([item])
    assert "选项甲的文字" in html and "ec012e3a" not in html and "乙" not in html
