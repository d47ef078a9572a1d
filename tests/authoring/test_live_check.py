"""The editor's check while the trainer types: drill check's problems at their lines, nothing saved."""

import io

import pytest

from drill.authoring.models import Draft
from tests.authoring.conftest import BAD_LINE, BROKEN, PACK, counts
from tests.conftest import PASSWORD, csrf_token


def check(client, draft_id: int, text: str, **extra):
    data = {"kind": "quiz", "name": "auth-demo", "text": text, **extra}
    return client.post(f"/authoring/drafts/{draft_id}/check", data=data)


def test_the_typed_text_is_checked_at_its_lines_and_nothing_is_saved(db, draft_of, as_trainer):
    draft_id = draft_of(PACK)
    draft = db.session.get(Draft, draft_id)
    saved_at, before = draft.updated_at, counts(db)
    response = check(as_trainer, draft_id, BROKEN.replace("\n", "\r\n"))
    assert response.status_code == 200
    result = response.json
    assert result["ok"] is False and result["errors"] == 1
    assert result["status"].startswith("1 errors, 0 warnings")
    [problem] = result["problems"]
    assert problem["line"] == BAD_LINE and problem["severity"] == "error"
    assert "分直" in problem["message"] and problem["where"] == f"line {BAD_LINE}"
    db.session.expire_all()
    draft = db.session.get(Draft, draft_id)
    assert draft.text == PACK and draft.updated_at == saved_at and counts(db) == before
    fixed = check(as_trainer, draft_id, PACK).json
    assert fixed["ok"] is True and fixed["problems"] == [] and "passes" in fixed["status"]


def test_the_check_speaks_chinese_and_never_says_it_passes_with_errors(db, client, login, make_user):
    login(make_user("t002", roles={"trainer"}, locale="zh_CN"))
    response = client.post(
        "/authoring/upload",
        data={"file": (io.BytesIO(PACK.encode()), "auth-demo.md")},
        content_type="multipart/form-data",
    )
    draft_id = int(response.headers["Location"].rsplit("/", 1)[1])
    result = check(client, draft_id, BROKEN).json
    assert "通过" not in result["status"] and result["status"].startswith("1 个错误")
    assert result["problems"][0]["message"].startswith(
        "题目 `auth-002`：属性行中有未知的键 `分直`。是不是要写 `分值`？"
    )
    assert result["problems"][0]["where"] == f"第 {BAD_LINE} 行"
    unknown = check(client, draft_id, PACK.replace("level: 初级", "级别: 初级\n难度: 高")).json
    [message] = [p["message"] for p in unknown["problems"]]
    assert (
        "难度" in message and "编号" in message and "标题" in message
    )  # the keys as a Chinese author writes them
    assert "title" not in message and "theme" not in message
    missing = check(client, draft_id, PACK.replace("title: 授权演示题库\n", "")).json
    [message] = [p["message"] for p in missing["problems"]]
    assert "标题" in message and "title" not in message


def test_a_bad_form_is_refused_and_another_trainers_draft_is_not_found(
    db, draft_of, client, login, make_user
):
    draft_id = draft_of(PACK)
    refused = check(client, draft_id, PACK, name="../x")
    assert refused.status_code == 400 and "name" in refused.json["invalid"]
    client.post("/logout")
    login(make_user("t002", roles={"trainer"}))
    assert check(client, draft_id, BROKEN).status_code == 404
    assert db.session.get(Draft, draft_id).text == PACK


class TestWithCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_the_check_needs_the_editors_csrf_token(self, db, client, make_user):
        trainer = make_user("t1", roles={"trainer"}, locale="en")
        token = csrf_token(client.get("/login").get_data(as_text=True))
        client.post(
            "/login", data={"employee_no": trainer.employee_no, "password": PASSWORD, "csrf_token": token}
        )
        token = csrf_token(client.get("/authoring/upload").get_data(as_text=True))
        data = {"file": (io.BytesIO(PACK.encode()), "auth-demo.md"), "csrf_token": token}
        draft_id = int(client.post("/authoring/upload", data=data, content_type="multipart/form-data")
                       .headers["Location"].rsplit("/", 1)[1])  # fmt: skip
        assert check(client, draft_id, BROKEN).status_code == 400
        token = csrf_token(client.get(f"/authoring/drafts/{draft_id}").get_data(as_text=True))
        result = check(client, draft_id, BROKEN, csrf_token=token)
        assert result.status_code == 200 and result.json["problems"][0]["line"] == BAD_LINE
