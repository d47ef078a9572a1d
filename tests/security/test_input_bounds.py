"""Hostile input at the edge gets a clear 404, 400 or 413, never a 500: ids no column can hold, page numbers
past any list, answers too long (chunked too), nested too deeply or of the wrong shape, huge CSV cells."""

from __future__ import annotations

import io

import pytest
from flask import url_for

from tests.drills.conftest import positions_by_key

HUGE = (2**63, 10**30)
TEXT_ARGS = {"target": "closed", "fmt": "csv", "digest": "0" * 64, "name": "a.png", "filename": "drill.css"}


def test_an_id_no_database_column_can_hold_is_simply_not_found_on_every_route(app, make_user, login, client):
    login(make_user(roles={"admin", "trainer"}, branch="head"))
    calls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            numbers = [a for a in rule.arguments if rule._converters[a].__class__.__name__ == "BoundedInt"]
            if not numbers:
                continue
            for huge in HUGE:
                values = {a: (huge if a in numbers else TEXT_ARGS.get(a, "x")) for a in rule.arguments}
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    calls.append((method, url_for(rule.endpoint, **values)))
    assert len(calls) > 100
    wrong = [(m, url, s) for m, url in calls if (s := client.open(url, method=m).status_code) != 404]
    assert not wrong, wrong


def test_a_page_number_past_any_list_is_not_found(make_user, login, client):
    login(make_user(roles={"admin"}, branch="head"))
    assert client.get("/users?page=2").status_code == 200
    assert client.get(f"/users?page={10**12}").status_code == 404
    assert client.get(f"/users?page={2**64}").status_code == 404
    assert client.get("/users?page=abc").status_code == 200  # read as the first page


@pytest.fixture
def paper(client, db, make_user, login, start_drill):
    login(make_user(branch="east1"))
    attempt = start_drill()
    return attempt, positions_by_key(db, attempt)


def test_an_answer_nested_too_deeply_is_refused_with_a_clear_message(client, paper):
    attempt, at = paper
    deep = '{"response": ' + "[" * 3000 + "]" * 3000 + "}"
    response = client.put(
        f"/api/attempts/{attempt.id}/items/{at['ds-open']}", data=deep, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.get_json()["message"] == "答案嵌套过深。"


def test_a_chunked_answer_past_the_limit_is_refused_and_not_saved(client, db, paper):
    attempt, at = paper
    body = ('{"response": "' + "长" * 40_000 + '"}').encode()
    url = f"/api/attempts/{attempt.id}/items/{at['ds-open']}"
    response = client.put(
        url,
        input_stream=io.BytesIO(body),
        headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413, response.get_data(as_text=True)
    assert response.get_json()["message"] == "答案太长。"
    assert client.put(url, data=body, content_type="application/json").status_code == 413
    db.session.expire_all()
    assert next(i for i in attempt.items if i.position == at["ds-open"]).response is None
    assert client.put(url, json={"response": "观点与表达"}).status_code == 200


@pytest.mark.parametrize(
    ("key", "bad", "good", "says"),
    [
        ("ds-single", ["a", "b"], None, "单选题的答案是一个选项的编号（字符串）"),
        ("ds-multiple", "a", ["a"], "多选题的答案是选项编号（字符串）的列表"),
        ("ds-truefalse", "对", True, "判断题的答案是 true（对）或 false（错）"),
        ("ds-numeric", 4321.5, "4321.5", "数值题的答案是写成字符串的数"),
        ("ds-open", {"text": "x"}, "观点", "问答题的答案是文本"),
    ],
)
def test_an_answer_of_the_wrong_shape_for_its_question_is_refused_naming_what_is_expected(
    client, paper, key, bad, good, says
):
    attempt, at = paper
    url = f"/api/attempts/{attempt.id}/items/{at[key]}"
    response = client.put(url, json={"response": bad})
    assert response.status_code == 400
    assert response.get_json()["message"].startswith(f"第 {at[key]} 题：{says}")
    assert client.put(url, json={"response": good}).status_code == 200


def test_a_user_sheet_with_a_cell_over_128_kib_gets_a_clear_error(make_user, login, client):
    login(make_user(roles={"admin"}, branch="head"))
    sheet = "工号,姓名,机构\nX1," + "长" * 140_000 + ",E1\n"
    response = client.post(
        "/users/import",
        data={"sheet": (io.BytesIO(sheet.encode()), "users.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "有单元格超过 128 KiB" in response.get_data(as_text=True)


def test_query_numbers_past_any_real_value_do_not_fail(client, make_user, login, db, make_exam, sample_pack):
    login(make_user(roles={"admin"}, branch="head"))
    exam = make_exam()
    assert client.get(f"/exams/{exam.id}/preview?sample={2**70}").status_code == 200
