"""A password change ends the user's other sessions; a reset and an admin's "end all sessions" end every one;
each is written to the security log."""

from sqlalchemy import select

from drill.accounts.models import SecurityEvent
from tests.conftest import PASSWORD

NEW = "a new secret"


def signed_in(app, login, user, password=PASSWORD):
    client = app.test_client()
    login(user, password, target=client)
    return client


def still_signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def actions(db):
    db.session.expire_all()
    return [(e.action, e.actor_id, e.user_id) for e in db.session.scalars(select(SecurityEvent))]


def test_changing_ones_password_ends_every_other_session_and_keeps_this_one(app, db, make_user, login):
    user = make_user("m001")
    phone, laptop = signed_in(app, login, user), signed_in(app, login, user)
    response = laptop.post(
        "/account",
        data={
            "password-current": PASSWORD,
            "password-new": NEW,
            "password-repeat": NEW,
            "password-submit": "y",
        },
    )
    assert response.status_code == 302
    assert still_signed_in(laptop) and not still_signed_in(phone)
    assert actions(db) == [("password_change", user.id, user.id)]


def test_an_admin_resetting_a_password_ends_all_the_users_sessions(app, db, make_user, login):
    user = make_user("m001")
    admin = make_user("a001", roles={"admin"}, branch="head")
    session = signed_in(app, login, user)
    admin_client = signed_in(app, login, admin)
    form = {
        "employee_no": "m001",
        "name": user.name,
        "branch_id": user.branch_id,
        "roles": ["manager"],
        "category": "personal",
        "level": "junior",
        "scope_branch_id": 0,
        "locale": "zh_CN",
        "password": NEW,
    }
    assert admin_client.post(f"/users/{user.id}/edit", data=form).status_code == 302
    assert not still_signed_in(session) and still_signed_in(admin_client)
    signed_in(app, login, user, NEW)  # the new password works
    assert actions(db) == [("password_reset", admin.id, user.id)]


def test_an_admin_ends_all_sessions_of_a_user_from_the_user_page(app, db, make_user, login):
    user = make_user("m001")
    admin = make_user("a001", roles={"admin"}, branch="head")
    first, second = signed_in(app, login, user), signed_in(app, login, user)
    admin_client = signed_in(app, login, admin)
    page = admin_client.get(f"/users/{user.id}").get_data(as_text=True)
    assert f"/users/{user.id}/sessions/end" in page
    assert admin_client.post(f"/users/{user.id}/sessions/end").status_code == 302
    assert not still_signed_in(first) and not still_signed_in(second)
    assert still_signed_in(admin_client)
    assert actions(db) == [("end_sessions", admin.id, user.id)]


def test_a_trainer_cannot_end_another_users_sessions(app, db, make_user, login):
    user = make_user("m001")
    session = signed_in(app, login, user)
    trainer = signed_in(app, login, make_user("t001", roles={"trainer"}, branch="head"))
    assert trainer.post(f"/users/{user.id}/sessions/end").status_code == 403
    assert still_signed_in(session) and actions(db) == []
