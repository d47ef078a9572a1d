"""A paper on a weak signal, server side: versioned saves that a queued replay cannot roll back, the rule
for late arrivals on the paper, and results that read like the paper."""

import re

import pytest
from sqlalchemy import select

from drill.attempts.models import Attempt, AttemptItem
from tests.drills.conftest import option_ids, positions_by_key
from tests.drills.test_attempts import move_deadline


@pytest.fixture
def manager(make_user, login):
    user = make_user("m001")
    login(user)
    return user


def put(client, attempt, position, response, seq):
    return client.put(f"/api/attempts/{attempt.id}/items/{position}", json={"response": response, "seq": seq})


def saved(db, attempt, position):
    db.session.expire_all()
    return db.session.scalars(
        select(AttemptItem).where(AttemptItem.attempt_id == attempt.id, AttemptItem.position == position)
    ).one()


def test_a_replayed_older_answer_never_overwrites_a_newer_one(client, manager, start_drill, db):
    attempt = start_drill()
    at = positions_by_key(db, attempt)["ds-open"]
    newer = put(client, attempt, at, "第二稿", seq=2)
    assert newer.status_code == 200 and newer.get_json()["status"] == "saved"
    assert newer.get_json()["seq"] == 2
    older = put(client, attempt, at, "第一稿", seq=1)  # the phone's queue replays an earlier version late
    assert older.status_code == 200
    assert older.get_json()["status"] == "kept" and older.get_json()["seq"] == 2
    assert saved(db, attempt, at).response == "第二稿"
    page = client.get(f"/drills/attempts/{attempt.id}").get_data(as_text=True)
    assert "第二稿" in page and "第一稿" not in page
    assert f'id="q{at}" data-position="{at}" data-seq="2"' in page  # the page counts on from the server's


def test_the_same_version_sent_twice_is_kept_once(client, manager, start_drill, db):
    attempt = start_drill()
    at = positions_by_key(db, attempt)["ds-open"]
    assert put(client, attempt, at, "甲", seq=3).get_json()["status"] == "saved"
    first_saved_at = saved(db, attempt, at).saved_at
    again = put(client, attempt, at, "甲", seq=3)  # the reply was lost on the way: the phone sends it again
    assert again.status_code == 200 and again.get_json()["status"] == "kept"
    assert saved(db, attempt, at).saved_at == first_saved_at
    assert put(client, attempt, at, "乙", seq=4).get_json()["status"] == "saved"
    assert saved(db, attempt, at).response == "乙"


@pytest.mark.parametrize("seq", ["3", -1, 0, 1.5, True, 2**40])
def test_a_version_that_is_not_a_positive_whole_number_is_refused(client, manager, start_drill, db, seq):
    attempt = start_drill()
    at = positions_by_key(db, attempt)["ds-open"]
    refused = put(client, attempt, at, "甲", seq=seq)
    assert refused.status_code == 400 and refused.get_json()["status"] == "invalid"
    assert saved(db, attempt, at).response is None
    assert put(client, attempt, at, "甲", seq=1).status_code == 200  # the same answer with a good version


def test_a_queued_answer_arriving_after_the_grace_is_refused_and_the_saved_ones_are_scored(
    client, manager, start_drill, db
):
    attempt = start_drill()
    at = positions_by_key(db, attempt)
    single = option_ids(db, "ds-single")
    assert put(client, attempt, at["ds-single"], single["正确选项甲"], seq=1).status_code == 200
    move_deadline(db, attempt, -60)  # the phone was offline until a minute after the deadline
    late = put(client, attempt, at["ds-single"], single["错误选项乙"], seq=2)
    assert late.status_code == 409
    db.session.expire_all()
    closed = db.session.get(Attempt, attempt.id)
    assert closed.state == "expired" and closed.score == 2  # the answer saved in time counted


def test_a_queued_answer_within_the_grace_counts(client, manager, start_drill, db):
    attempt = start_drill()
    at = positions_by_key(db, attempt)["ds-open"]
    move_deadline(db, attempt, -2)  # the default grace is 5 seconds, timed by the server
    assert put(client, attempt, at, "刚好赶上", seq=1).status_code == 200


def test_another_managers_attempt_stays_closed_to_a_versioned_save(
    app, client, manager, start_drill, make_user, login, db
):
    attempt = start_drill()
    intruder = app.test_client()
    login(make_user("m002"), target=intruder)
    at = positions_by_key(db, attempt)["ds-open"]
    assert put(intruder, attempt, at, "不是我的", seq=99).status_code == 404
    assert saved(db, attempt, at).response is None


def test_the_paper_says_what_happens_on_disconnect_with_the_servers_grace(client, manager, start_drill, db):
    attempt = start_drill()
    page = client.get(f"/drills/attempts/{attempt.id}").get_data(as_text=True)
    assert "断网了会怎样" in page
    assert "截止时间过后 5 秒才送达服务器" in page
    assert 'id="paper-status"' in page and "离线" in page
    assert "<script>" not in page and "onclick" not in page


def test_results_letter_the_options_in_the_papers_order_with_a_cross_on_a_wrong_pick(
    client, manager, start_drill, db
):
    attempt = start_drill()
    at = positions_by_key(db, attempt)
    single = option_ids(db, "ds-single")
    take = client.get(f"/drills/attempts/{attempt.id}").get_data(as_text=True)
    section = take.split(f'id="q{at["ds-single"]}"')[1].split("</section>")[0]
    shown = re.findall(r'value="([0-9a-f]{8})"', section)  # the order the paper showed
    put(client, attempt, at["ds-single"], single["错误选项乙"], seq=1)
    client.post(f"/drills/attempts/{attempt.id}/submit")

    result = client.get(f"/drills/attempts/{attempt.id}").get_data(as_text=True)
    block = result.split(f'id="q{at["ds-single"]}"')[1].split("</section>")[0]
    letters = re.findall(r'data-letter="([A-Z])"', block)
    assert letters == list("ABCD"[: len(shown)])
    by_text = {v: k for k, v in single.items()}
    in_result = [by_text[i] for i in shown]
    positions = [block.index(text) for text in in_result]
    assert positions == sorted(positions)  # the same order as on the paper
    picked = re.search(r'<li class="result-option[^"]*picked"[^>]*>(.*?)</li>', block, re.S).group(1)
    assert "✗" in picked and "错误选项乙" in picked
    right = shown.index(single["正确选项甲"])
    wrong = shown.index(single["错误选项乙"])
    assert f"<strong>{'ABCD'[wrong]}</strong>" in block and f"<strong>{'ABCD'[right]}</strong>" in block


def test_a_wrong_number_and_an_unanswered_true_or_false_are_crossed_on_the_results(
    client, manager, start_drill, db
):
    attempt = start_drill()
    at = positions_by_key(db, attempt)
    put(client, attempt, at["ds-numeric"], "1", seq=1)
    client.post(f"/drills/attempts/{attempt.id}/submit")
    result = client.get(f"/drills/attempts/{attempt.id}").get_data(as_text=True)
    for key in ("ds-numeric", "ds-truefalse"):
        block = result.split(f'id="q{at[key]}"')[1].split("</section>")[0]
        assert "✗" in block and "✓" not in block, key
