"""Authoring is for trainers and admins: every URL refuses a manager, and every form needs its CSRF token."""

import io

import pytest

from drill.authoring.models import Draft
from tests.authoring.conftest import PACK, counts
from tests.conftest import PASSWORD, csrf_token

ARGS = {"draft_id": 1, "pack_id": 1, "digest": "0" * 64, "name": "a.png"}


def authoring_urls(app) -> list[tuple[str, set[str]]]:
    with app.test_request_context():
        rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("authoring.")]
        return [
            (app.url_map.bind("").build(r.endpoint, {k: ARGS[k] for k in r.arguments}), r.methods)
            for r in rules
        ]


def test_every_authoring_url_is_forbidden_to_a_manager(app, client, login, make_user):
    login(make_user("m1"))
    urls = authoring_urls(app)
    assert len(urls) >= 12
    for url, methods in urls:
        for method in {"GET", "POST"} & methods:
            assert client.open(url, method=method).status_code == 403, (method, url)


def test_a_judge_is_refused_too_and_an_admin_may_author(app, client, login, make_user):
    login(make_user("j1", roles={"judge"}))
    assert client.get("/authoring/").status_code == 403
    client.post("/logout")
    login(make_user("a1", roles={"admin"}))
    assert client.get("/authoring/").status_code == 200


def test_signed_out_visitors_are_sent_to_the_login_page(app, client):
    for url, _methods in authoring_urls(app):
        response = client.get(url)
        assert response.status_code in (302, 405) and (
            response.status_code == 405 or "/login" in response.location
        )


class TestWithCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_an_upload_without_its_csrf_token_is_refused_and_stores_nothing(
        self, db, client, login, make_user
    ):
        trainer = make_user("t1", roles={"trainer"})
        html = client.get("/login").get_data(as_text=True)
        client.post("/login", data={"employee_no": trainer.employee_no, "password": PASSWORD,
                                    "csrf_token": csrf_token(html)})  # fmt: skip
        before = counts(db)
        data = {"file": (io.BytesIO(PACK.encode()), "auth-demo.md")}
        refused = client.post("/authoring/upload", data=data, content_type="multipart/form-data")
        assert refused.status_code == 400 and counts(db) == before
        token = csrf_token(client.get("/authoring/upload").get_data(as_text=True))
        data = {"file": (io.BytesIO(PACK.encode()), "auth-demo.md"), "csrf_token": token}
        accepted = client.post("/authoring/upload", data=data, content_type="multipart/form-data")
        assert accepted.status_code == 302 and counts(db)["authoring_drafts"] == 1
        draft = db.session.query(Draft).one()
        publish = client.post(f"/authoring/drafts/{draft.id}/publish", data={"token": "x"})
        assert publish.status_code == 400 and counts(db)["packs"] == 0
        discard = client.post(f"/authoring/drafts/{draft.id}/discard")
        assert discard.status_code == 400 and counts(db)["authoring_drafts"] == 1
