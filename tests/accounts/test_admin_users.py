import pytest
from sqlalchemy import func, select

from drill.accounts.models import User
from tests.conftest import csrf_token


def user_form(org, **overrides):
    data = {
        "employee_no": "m500",
        "name": "李娜",
        "branch_id": org["west1"].id,
        "roles": ["manager", "judge"],
        "category": "corporate",
        "level": "intermediate",
        "scope_branch_id": 0,
        "locale": "zh_CN",
        "password": "initial-pass",
    }
    data.update(overrides)
    return data


def test_an_admin_creates_a_user_who_can_then_sign_in(app, client, make_user, login, org, db):
    login(make_user("a001", roles={"admin"}, branch="head"))
    response = client.post("/users/new", data=user_form(org))
    assert response.status_code == 302
    created = db.session.scalar(select(User).where(User.employee_no == "m500"))
    assert created.roles == {"manager", "judge"}
    assert created.branch.code == "W1" and created.level == "intermediate"
    other = app.test_client()
    assert other.post("/login", data={"employee_no": "m500", "password": "initial-pass"}).status_code == 302


def test_a_manager_without_level_is_refused_with_the_reason(client, make_user, login, org, db):
    login(make_user("a001", roles={"admin"}, branch="head"))
    page = client.post("/users/new", data=user_form(org, level="")).get_data(as_text=True)
    assert "客户经理需要填写类别和级别" in page
    assert db.session.scalar(select(User).where(User.employee_no == "m500")) is None


def test_a_duplicate_employee_number_is_refused(client, make_user, login, org):
    login(make_user("a001", roles={"admin"}, branch="head"))
    make_user("m500")
    page = client.post("/users/new", data=user_form(org)).get_data(as_text=True)
    assert "此工号已有账号" in page


def test_a_scoped_admin_cannot_place_a_user_outside_the_scope(client, make_user, login, org, db):
    login(make_user("a001", roles={"admin"}, branch="east", scope_branch="east"))
    response = client.post("/users/new", data=user_form(org))  # west1 is outside
    assert response.status_code == 200
    assert db.session.scalar(select(User).where(User.employee_no == "m500")) is None


def test_disabling_a_user_ends_their_sessions(app, client, make_user, login, db):
    manager = make_user("m001")
    theirs = app.test_client()
    login(manager, target=theirs)
    assert theirs.get("/").status_code == 200
    login(make_user("a001", roles={"admin"}, branch="head"))
    client.post(f"/users/{manager.id}/active", data={})
    assert theirs.get("/").status_code == 302


def test_the_language_switch_is_kept_per_user(client, make_user, login, db):
    user = make_user("m001")
    login(user)
    assert "练兵" in client.get("/").get_data(as_text=True)
    client.post("/language", data={"locale": "en", "next": "/"})
    assert "Drills" in client.get("/").get_data(as_text=True)
    db.session.refresh(user)
    assert user.locale == "en"


class TestWithCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_a_form_without_its_token_is_refused_and_changes_nothing(self, client, make_user, org, db):
        make_user("a001", roles={"admin"}, branch="head")
        token = csrf_token(client.get("/login").get_data(as_text=True))
        client.post("/login", data={"employee_no": "a001", "password": "correct horse", "csrf_token": token})
        before = db.session.scalar(select(func.count()).select_from(User))
        response = client.post("/users/new", data=user_form(org))
        assert response.status_code == 400
        assert "表单已失效" in response.get_data(as_text=True)
        assert db.session.scalar(select(func.count()).select_from(User)) == before

    def test_a_form_with_its_token_goes_through(self, client, make_user, org, db):
        make_user("a001", roles={"admin"}, branch="head")
        token = csrf_token(client.get("/login").get_data(as_text=True))
        client.post("/login", data={"employee_no": "a001", "password": "correct horse", "csrf_token": token})
        token = csrf_token(client.get("/users/new").get_data(as_text=True))
        response = client.post("/users/new", data={**user_form(org), "csrf_token": token})
        assert response.status_code == 302
