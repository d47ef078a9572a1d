"""Taking a drill through the web: the paper, autosave, submit, results, and the rules that protect them."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from drill import housekeeping
from drill.accounts.session import SEEN_KEY, end_all
from drill.attempts.models import Attempt, AttemptItem
from drill.database import utcnow
from drill.drills.models import NotebookEntry
from tests.drills.conftest import option_ids, positions_by_key

SECRETS = [f"解析秘文{n}" for n in "一二三四五六七九"] + ["参考答案秘文八", "紫金答案", "青玉答案", "4321.5"]


@pytest.fixture
def manager(make_user, login):
    user = make_user("m001")
    login(user)
    return user


def save(client, attempt, position, response):
    return client.put(f"/api/attempts/{attempt.id}/items/{position}", json={"response": response})


def right_answers(db, attempt):
    """Every question answered right, by position."""
    at = positions_by_key(db, attempt)
    single = option_ids(db, "ds-single")
    multiple = option_ids(db, "ds-multiple")
    order = option_ids(db, "ds-ordering")
    match = option_ids(db, "ds-matching")
    return {
        at["ds-single"]: single["正确选项甲"],
        at["ds-multiple"]: [multiple["多选对一"], multiple["多选对二"]],
        at["ds-truefalse"]: False,
        at["ds-blank"]: [" 紫金 ", "青玉答案"],
        at["ds-numeric"]: "4,321.45",
        at["ds-ordering"]: [order["排序第一步"], order["排序第二步"], order["排序第三步"]],
        at["ds-matching"]: {match["左甲"]: match["右甲"], match["左乙"]: match["右乙"]},
        at["ds-open"]: "我的回答",
    }


def test_a_drill_draws_the_paper_once_and_a_reload_shows_the_same(client, manager, start_drill, db):
    attempt = start_drill()
    assert len(attempt.items) == 8
    first = paper_of(client.get(f"/drills/attempts/{attempt.id}").get_data(as_text=True))
    again = paper_of(client.get(f"/drills/attempts/{attempt.id}").get_data(as_text=True))
    assert first == again
    assert len(first) > 10  # questions, options, items and matches in their drawn order


def paper_of(html):
    """The drawn paper as the page shows it: question ids, option values and item ids, in order."""
    return re.findall(r'id="q\d+"|value="[0-9a-f]{8}"|data-id="[0-9a-f]{8}"|data-left="[0-9a-f]{8}"', html)


def test_an_open_attempt_reveals_no_answer_explanation_or_score(client, manager, start_drill, db):
    attempt = start_drill()
    pages = [
        client.get(f"/drills/attempts/{attempt.id}"),
        client.get("/drills/"),
        client.get("/drills/notebook"),
        client.get("/drills/history"),
    ]
    state = client.get(f"/api/attempts/{attempt.id}")
    saved = save(client, attempt, positions_by_key(db, attempt)["ds-open"], "x")
    assert set(state.get_json()) == {"state", "remaining"}
    assert set(saved.get_json()) == {"status", "remaining"}
    for response in [*pages, state, saved]:
        body = response.get_data(as_text=True)
        for secret in SECRETS:
            assert secret not in body, f"{secret} leaked in {response.request.path}"
        assert "correct" not in body and "explanation" not in body and "reference" not in body
    take = pages[0].get_data(as_text=True)
    # The ordering question is shown in an order other than the answer.
    order = option_ids(db, "ds-ordering")
    right = [order["排序第一步"], order["排序第二步"], order["排序第三步"]]
    assert re.findall(r'data-id="([0-9a-f]{8})"', take) != right


def test_answers_are_saved_as_given_and_survive_a_reload(client, manager, start_drill, db):
    attempt = start_drill()
    at = positions_by_key(db, attempt)
    response = save(client, attempt, at["ds-open"], "第一稿")
    assert response.status_code == 200 and response.get_json()["status"] == "saved"
    assert 0 < response.get_json()["remaining"] <= 600
    save(client, attempt, at["ds-open"], "第二稿")
    page = client.get(f"/drills/attempts/{attempt.id}").get_data(as_text=True)
    assert "第二稿" in page and "第一稿" not in page


def test_a_right_paper_scores_full_marks_and_the_results_teach(client, manager, start_drill, db):
    attempt = start_drill()
    for position, response in right_answers(db, attempt).items():
        assert save(client, attempt, position, response).status_code == 200
    assert client.post(f"/drills/attempts/{attempt.id}/submit").status_code == 302
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.state == "submitted"
    assert attempt.score == attempt.max_score == 17  # every auto-scored point; the open answer is apart
    page = client.get(f"/drills/attempts/{attempt.id}").get_data(as_text=True)
    for secret in SECRETS[:7]:
        assert secret in page  # every explanation is shown after submission
    assert "参考答案秘文八" in page and "我的回答" in page


def test_partial_credit_follows_the_documented_rules(client, manager, start_drill, db):
    attempt = start_drill()
    at = positions_by_key(db, attempt)
    multiple, order = option_ids(db, "ds-multiple"), option_ids(db, "ds-ordering")
    save(client, attempt, at["ds-multiple"], [multiple["多选对一"]])  # half the right options, none wrong
    save(client, attempt, at["ds-ordering"], [order["排序第一步"], order["排序第三步"], order["排序第二步"]])
    save(client, attempt, at["ds-blank"], ["紫金答案", "错"])
    client.post(f"/drills/attempts/{attempt.id}/submit")
    db.session.expire_all()
    earned = {item.position: item.earned for item in db.session.get(Attempt, attempt.id).items}
    assert earned[at["ds-multiple"]] == 2.0
    assert earned[at["ds-ordering"]] == 1.0  # one of three in its place
    assert earned[at["ds-blank"]] == 1.0
    assert earned[at["ds-open"]] is None


def test_submitting_twice_counts_once(client, manager, start_drill, db):
    attempt = start_drill()
    client.post(f"/drills/attempts/{attempt.id}/submit")
    db.session.expire_all()
    closed_at = db.session.get(Attempt, attempt.id).closed_at
    second = client.post(f"/drills/attempts/{attempt.id}/submit", follow_redirects=True)
    assert "已经提交" in second.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).closed_at == closed_at


def test_a_save_after_submission_is_refused_and_changes_nothing(client, manager, start_drill, db):
    attempt = start_drill()
    position = positions_by_key(db, attempt)["ds-open"]
    save(client, attempt, position, "before")
    client.post(f"/drills/attempts/{attempt.id}/submit")
    refused = save(client, attempt, position, "after")
    assert refused.status_code == 409 and "已结束" in refused.get_json()["message"]
    db.session.expire_all()
    item = db.session.scalars(
        select(AttemptItem).where(AttemptItem.attempt_id == attempt.id, AttemptItem.position == position)
    ).one()
    assert item.response == "before"


def move_deadline(db, attempt, seconds_from_now):
    db.session.execute(
        Attempt.__table__.update()
        .where(Attempt.id == attempt.id)
        .values(deadline=utcnow() + timedelta(seconds=seconds_from_now))
    )
    db.session.commit()


def test_a_late_save_is_refused_and_the_attempt_closes_with_the_earlier_answers(
    client, manager, start_drill, db
):
    attempt = start_drill()
    at = positions_by_key(db, attempt)
    single = option_ids(db, "ds-single")
    save(client, attempt, at["ds-single"], single["正确选项甲"])
    move_deadline(db, attempt, -60)  # the deadline passed a minute ago, beyond the grace
    late = save(client, attempt, at["ds-single"], single["错误选项乙"])
    assert late.status_code == 409 and "截止" in late.get_json()["message"]
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.state == "expired" and attempt.score == 2


def test_a_save_within_the_grace_counts(client, manager, start_drill, db):
    attempt = start_drill()
    move_deadline(db, attempt, -2)  # the default grace is 5 seconds
    assert save(client, attempt, positions_by_key(db, attempt)["ds-open"], "just in time").status_code == 200


def test_an_attempt_left_open_past_its_deadline_is_closed_with_its_saved_answers(
    client, manager, start_drill, db
):
    attempt = start_drill()
    at = positions_by_key(db, attempt)
    save(client, attempt, at["ds-truefalse"], False)
    client.get("/logout")  # the manager walks away
    closed = housekeeping.close_overdue(utcnow() + timedelta(minutes=11))
    assert closed == 1
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.state == "expired" and attempt.score == 1


def test_a_manager_cannot_read_or_change_another_managers_attempt(
    app, client, manager, start_drill, make_user, login, db
):
    attempt = start_drill()
    intruder = app.test_client()
    login(make_user("m002"), target=intruder)
    assert intruder.get(f"/drills/attempts/{attempt.id}").status_code == 404
    assert intruder.get(f"/api/attempts/{attempt.id}").status_code == 404
    assert save(intruder, attempt, 1, "mine now").status_code == 404
    assert intruder.post(f"/drills/attempts/{attempt.id}/submit").status_code == 404
    item = attempt.items[0]
    assert (
        intruder.post(f"/drills/attempts/{attempt.id}/items/{item.id}/self", data={"points": 5}).status_code
        == 404
    )
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).state == "open"
    assert db.session.get(AttemptItem, item.id).response is None


def test_malformed_saves_are_refused_with_a_reason(client, manager, start_drill, db):
    attempt = start_drill()
    bad = client.put(f"/api/attempts/{attempt.id}/items/1", data="not json", content_type="application/json")
    assert bad.status_code == 400 and bad.get_json()["status"] == "invalid"
    assert save(client, attempt, 99, "x").status_code == 404
    huge = save(client, attempt, 1, "长" * 30_000)
    assert huge.status_code == 413


def test_wrong_answers_go_to_the_notebook_and_come_back_in_review(client, manager, start_drill, db):
    attempt = start_drill()
    at = positions_by_key(db, attempt)
    save(client, attempt, at["ds-truefalse"], True)  # wrong
    client.post(f"/drills/attempts/{attempt.id}/submit")
    entries = db.session.scalar(select(func.count()).select_from(NotebookEntry))
    assert entries == 7  # every auto-scored question left unanswered or wrong
    page = client.get("/drills/notebook").get_data(as_text=True)
    assert "判断题干丙" in page
    review = client.post("/drills/review")
    assert review.status_code == 302
    db.session.expire_all()
    again = db.session.get(Attempt, int(review.headers["Location"].rsplit("/", 1)[1]))
    assert again.kind == "review" and len(again.items) == 7


def test_nothing_to_draw_says_so(client, manager, sample_pack):
    page = client.post(
        "/drills/",
        data={"theme": "brand-culture", "level": "", "competency": "", "pack": "", "count": 5, "minutes": 5},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "没有符合" in page


def test_history_draws_trends_after_drills(client, manager, start_drill, db):
    for _ in range(2):
        attempt = start_drill()
        client.post(f"/drills/attempts/{attempt.id}/submit")
    page = client.get("/drills/history").get_data(as_text=True)
    assert "<svg" in page and "polyline" in page


def test_an_answer_of_the_wrong_shape_leaves_the_saved_answer_as_it_was(client, manager, start_drill, db):
    """The save writes first and checks the shape against the type it returns: a refused one is undone."""
    attempt = start_drill()
    position = positions_by_key(db, attempt)["ds-open"]
    assert save(client, attempt, position, "第一次的回答").get_json()["status"] == "saved"
    item = db.session.scalar(select(AttemptItem).filter_by(attempt_id=attempt.id, position=position))
    first = (item.response, item.saved_at, item.first_saved_at)
    db.session.rollback()
    refused = save(client, attempt, position, {"not": "text"})
    assert refused.status_code == 400 and refused.get_json()["status"] == "invalid"
    db.session.expire_all()
    item = db.session.scalar(select(AttemptItem).filter_by(attempt_id=attempt.id, position=position))
    assert (item.response, item.saved_at, item.first_saved_at) == first


def test_a_response_of_the_wrong_shape_is_refused_and_a_stored_one_never_breaks_the_pages(
    client, manager, start_drill, db
):
    attempt = start_drill()
    for position in range(1, 9):  # a hand-made request: a number where a list, text or pairs belong
        refused = save(client, attempt, position, 12345)
        assert refused.status_code == 400 and refused.get_json()["message"].startswith(f"第 {position} 题：")
    # One stored before the save API checked shapes still shows as unanswered and scores 0.
    items = AttemptItem.__table__
    db.session.execute(items.update().where(items.c.attempt_id == attempt.id).values(response=12345))
    db.session.commit()
    assert client.get(f"/drills/attempts/{attempt.id}").status_code == 200
    client.post(f"/drills/attempts/{attempt.id}/submit")
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).score == 0
    assert client.get(f"/drills/attempts/{attempt.id}").status_code == 200


def saved_response(db, attempt, position):
    db.session.expire_all()
    return db.session.scalar(select(AttemptItem.response).filter_by(attempt_id=attempt.id, position=position))


def test_an_answer_saved_with_a_cookie_whose_session_has_ended_is_refused_and_not_written(
    client, manager, start_drill, db
):
    """The save checks the login session in its own statement: signing out elsewhere, an admin ending the
    sessions or the age limit stops the saves of a copied cookie as it stops the pages."""
    attempt = start_drill()
    position = positions_by_key(db, attempt)["ds-open"]
    assert save(client, attempt, position, "签退之前").get_json()["status"] == "saved"
    end_all(manager)
    db.session.commit()
    refused = save(client, attempt, position, "签退之后")
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]
    assert saved_response(db, attempt, position) == "签退之前"


def test_a_save_after_the_idle_limit_is_refused_and_a_save_keeps_the_session_alive(
    app, client, manager, start_drill, db
):
    attempt = start_drill(minutes=240)
    position = positions_by_key(db, attempt)["ds-open"]
    limit = 60 * app.config["SESSION_IDLE_MINUTES"]
    with client.session_transaction() as session:
        session[SEEN_KEY] -= limit - 30  # a long answer typed without another page: the saves keep it alive
    assert save(client, attempt, position, "还在答题").get_json()["status"] == "saved"
    with client.session_transaction() as session:
        session[SEEN_KEY] -= 60
    assert save(client, attempt, position, "继续答题").get_json()["status"] == "saved"
    with client.session_transaction() as session:
        session[SEEN_KEY] -= limit + 30
    assert save(client, attempt, position, "太久之后").status_code == 302
    assert saved_response(db, attempt, position) == "继续答题"


def test_a_phone_that_changes_network_mid_drill_stays_signed_in(client, manager, start_drill, db):
    """Wi-Fi to 4G: another address, the same cookie. The session is not bound to the address."""
    attempt = start_drill()
    position = positions_by_key(db, attempt)["ds-open"]
    moved = {"REMOTE_ADDR": "10.20.30.40"}
    answer = client.put(
        f"/api/attempts/{attempt.id}/items/{position}", json={"response": "换了网络"}, environ_base=moved
    )
    assert answer.get_json()["status"] == "saved"
    assert client.get(f"/drills/attempts/{attempt.id}", environ_base=moved).status_code == 200
    assert saved_response(db, attempt, position) == "换了网络"
