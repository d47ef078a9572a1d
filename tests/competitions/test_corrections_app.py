"""An organiser's correction sent as JSON by the manage page (`organiser.record_correction`): recorded in
place and on the boards at once, or refused with a status and a message naming what is wrong — and then
nothing is recorded. The form it falls back to without JavaScript takes the same path."""

import pytest
from sqlalchemy import func, select

from drill.accounts.session import end_all
from drill.competitions import events, setup
from drill.competitions.models import ScoreEvent
from drill.database import utcnow
from tests.conftest import PASSWORD, csrf_token


def url(game, participant="m3", competition=None):
    participant_id = game.pid.get(participant, participant)
    return f"/competitions/{competition or game.competition.id}/participants/{participant_id}/corrections"


def by_form(client, game, participant_id, score, reason) -> str:
    """The page the correction form (without JavaScript) posts to and lands on, as text."""
    form = {"fix-round": game.round.id, "fix-score": score, "fix-reason": reason}
    path = f"/competitions/{game.competition.id}/participants/{participant_id}/correct"
    return client.post(path, data=form, follow_redirects=True).get_data(as_text=True)


def logged(db) -> int:
    db.session.rollback()  # read afresh: the app wrote through its own session
    return db.session.scalar(select(func.count()).select_from(ScoreEvent))


def test_a_correction_is_recorded_with_who_and_why_and_the_organiser_sees_it_on_the_board_at_once(
    app, db, contest, signed_in
):
    app.config["BOARD_CATCH_UP_SECONDS"] = 60.0  # other readers share a catch-up for a minute
    game = contest(kind="judged")
    organiser, reader = signed_in(game.trainer), signed_in(game.people[0])
    board = f"/competitions/{game.competition.id}/board.json"
    assert organiser.get(board).get_json()["individual"][0]["score"] == "0.00"
    seen = reader.get(board)

    sent = organiser.post(
        url(game), json={"round": game.round.id, "score": "91.25", "reason": " 评委现场打分 "}
    )

    assert sent.status_code == 201
    assert sent.get_json() == {"status": "recorded"}
    event = events.current(game.round.id, game.pid["m3"])
    assert (event.score, event.reason, event.recorded_by_id) == (91.25, "评委现场打分", game.trainer.id)
    assert organiser.get(board).get_json()["individual"][0] == {
        "rank": 1, "name": "丙选手", "team": "西山支行", "score": "91.25"
    }  # fmt: skip
    log = organiser.get(f"/competitions/{game.competition.id}/audit").get_data(as_text=True)
    assert "评委现场打分" in log and "组织者周" in log
    # The organiser's poll caught this process's board up: the next reader gets the new board too.
    assert reader.get(board, headers={"If-None-Match": seen.headers["ETag"]}).status_code == 200


def test_a_number_or_an_empty_score_withdraws_nothing_else(db, contest, signed_in):
    game = contest(kind="judged")
    organiser = signed_in(game.trainer)
    assert (
        organiser.post(url(game), json={"round": game.round.id, "score": 80, "reason": "现场"}).status_code
        == 201
    )
    assert events.current(game.round.id, game.pid["m3"]).score == 80
    withdrawn = organiser.post(url(game), json={"round": game.round.id, "score": None, "reason": "成绩作废"})
    assert withdrawn.status_code == 201
    db.session.rollback()
    assert events.current(game.round.id, game.pid["m3"]).score is None
    organiser.post(url(game), json={"round": game.round.id, "score": 66, "reason": "再记"})
    blank = organiser.post(url(game), json={"round": game.round.id, "score": " ", "reason": "再撤"})
    assert blank.status_code == 201
    db.session.rollback()
    assert events.current(game.round.id, game.pid["m3"]).score is None  # blank withdraws as null does


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ("not json", "", "请以 JSON 发送更正"),
        ([1, 2], "", "请以 JSON 发送更正"),
        ({"score": 80, "reason": "x"}, "round", "请选择轮次"),
        ({"round": "3", "score": 80, "reason": "x"}, "round", "请选择轮次"),
        ({"round": True, "score": 80, "reason": "x"}, "round", "请选择轮次"),
        ({"round": 2**40, "score": 80, "reason": "x"}, "round", "请选择轮次"),
        ({"round": "R", "score": 101, "reason": "x"}, "score", "0 到 100"),
        ({"round": "R", "score": 100.01, "reason": "x"}, "score", "0 到 100"),
        ({"round": "R", "score": -1, "reason": "x"}, "score", "0 到 100"),
        ({"round": "R", "score": "八十", "reason": "x"}, "score", "0 到 100"),
        ({"round": "R", "score": "NaN", "reason": "x"}, "score", "0 到 100"),
        ({"round": "R", "score": "1e999", "reason": "x"}, "score", "0 到 100"),
        ({"round": "R", "score": True, "reason": "x"}, "score", "0 到 100"),
        ({"round": "R", "score": [80], "reason": "x"}, "score", "0 到 100"),
        ({"round": "R", "score": 80}, "reason", "请填写原因"),
        ({"round": "R", "score": 80, "reason": "   "}, "reason", "请填写原因"),
        ({"round": "R", "score": 80, "reason": 5}, "reason", "请填写原因"),
        ({"round": "R", "score": 80, "reason": "长" * 1001}, "reason", "原因过长"),
    ],
)
def test_a_malformed_correction_names_the_field_and_records_nothing(
    db, contest, signed_in, body, field, message
):
    game = contest(kind="judged")
    organiser = signed_in(game.trainer)
    before = logged(db)
    if isinstance(body, dict) and body.get("round") == "R":
        body = {**body, "round": game.round.id}
    if isinstance(body, str):
        sent = organiser.post(url(game), data=body, content_type="application/json")
    else:
        sent = organiser.post(url(game), json=body)
    assert sent.status_code == 400
    reply = sent.get_json()
    assert reply["status"] == "invalid" and reply["field"] == field and message in reply["message"]
    assert logged(db) == before


def test_a_body_too_large_is_refused(db, contest, signed_in):
    game = contest(kind="judged")
    organiser = signed_in(game.trainer)
    sent = organiser.post(url(game), json={"round": game.round.id, "score": 1, "reason": "长" * 5000})
    assert sent.status_code == 413 and "原因过长" in sent.get_json()["message"]
    assert logged(db) == 0


def test_what_is_not_the_organisers_to_correct_is_refused_and_nothing_recorded(
    db, contest, signed_in, make_user
):
    game = contest(kind="judged")
    other = setup.create("另一场竞赛", game.trainer, state="open")
    elsewhere = setup.add_round(
        other, kind="judged", title="别处", weight=1.0, state="open", judge_weight=1.0
    )
    db.session.commit()
    body = {"round": game.round.id, "score": 70, "reason": "x"}
    organiser = signed_in(game.trainer)

    wrong_round = organiser.post(url(game), json={**body, "round": elsewhere.id})
    assert wrong_round.status_code == 400 and wrong_round.get_json()["field"] == "round"
    assert "没有这个轮次" in wrong_round.get_json()["message"]
    assert (
        organiser.post(url(game, competition=other.id), json=body).status_code == 404
    )  # not its participant
    assert organiser.post(url(game, participant=99_999), json=body).status_code == 404
    assert organiser.post(url(game, competition=99_999), json=body).status_code == 404

    scoped = make_user("t02", roles={"trainer"}, branch="west1", scope_branch="west")
    refused = signed_in(scoped).post(url(game), json=body)  # a scoped trainer: only what they set up
    assert refused.status_code == 403 and "不是您创建的" in refused.get_json()["message"]
    participant = signed_in(game.people[0])
    assert participant.post(url(game), json=body).status_code == 403
    assert participant.post(url(game), json={"round": "?"}).status_code == 403  # who asks before what
    assert logged(db) == 0


def test_a_disqualified_participant_is_not_rescored_by_a_correction(db, contest, signed_in):
    game = contest(kind="judged")
    organiser = signed_in(game.trainer)
    organiser.post(url(game), json={"round": game.round.id, "score": 88, "reason": "现场"})
    organiser.post(
        f"/competitions/{game.competition.id}/participants/{game.pid['m3']}/disqualify",
        data={"dq-reason": "代考"},
    )
    before = logged(db)
    sent = organiser.post(url(game), json={"round": game.round.id, "score": 95, "reason": "复核"})
    assert sent.status_code == 409 and "已被取消资格" in sent.get_json()["message"]
    assert "已被取消资格" in by_form(organiser, game, game.pid["m3"], "95", "复核")  # the form says the same
    assert logged(db) == before and events.current(game.round.id, game.pid["m3"]).score is None


@pytest.mark.parametrize("ended", ["signed out everywhere", "account deactivated, sessions left open"])
def test_a_correction_from_an_ended_session_or_account_is_sent_to_sign_in(db, contest, signed_in, ended):
    game = contest(kind="judged")
    organiser = signed_in(game.trainer)
    trainer = db.session.merge(game.trainer)
    if ended == "signed out everywhere":
        end_all(trainer)
    else:
        trainer.active = False  # as if set by other means than `set_active`, which ends the sessions too
    db.session.commit()
    sent = organiser.post(url(game), json={"round": game.round.id, "score": 70, "reason": "x"})
    assert sent.status_code == 302 and "/login" in sent.headers["Location"]
    assert logged(db) == 0


def test_the_form_takes_the_same_path_and_keeps_the_completion_time_of_the_score_it_corrects(
    db, contest, signed_in
):
    game = contest(kind="judged")
    participant = setup.participants(game.competition)[2]
    done = utcnow().replace(microsecond=0)
    events.record(game.round, participant, 60, completed_at=done, reason="judges", now=utcnow())
    db.session.commit()
    organiser = signed_in(game.trainer)
    assert "更正已记录" in by_form(organiser, game, participant.id, "72.5", "加分复核")
    organiser.post(
        url(game, participant=participant.id), json={"round": game.round.id, "score": 73, "reason": "再核"}
    )
    db.session.rollback()
    made = db.session.scalars(
        select(ScoreEvent).where(ScoreEvent.participant_id == participant.id).order_by(ScoreEvent.id)
    ).all()
    assert [(e.score, e.reason) for e in made] == [(60, "judges"), (72.5, "加分复核"), (73, "再核")]
    assert {e.completed_at for e in made} == {done}  # a re-mark does not move when the round was done


class TestWithCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    @pytest.fixture
    def login(self, client):
        def sign_in(user, target=client):
            token = csrf_token(target.get("/login").get_data(as_text=True))
            data = {"employee_no": user.employee_no, "password": PASSWORD, "csrf_token": token}
            assert target.post("/login", data=data).status_code == 302

        return sign_in

    def test_the_json_needs_the_pages_csrf_token(self, db, contest, signed_in):
        game = contest(kind="judged")
        organiser = signed_in(game.trainer)
        body = {"round": game.round.id, "score": 70, "reason": "x"}
        assert organiser.post(url(game), json=body).status_code == 400
        page = organiser.get(f"/competitions/{game.competition.id}/manage").get_data(as_text=True)
        token = page.split('name="fix-csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
        assert f'data-json="{url(game)}"' in page
        sent = organiser.post(url(game), json=body, headers={"X-CSRFToken": token})
        assert sent.status_code == 201
