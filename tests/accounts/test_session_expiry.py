"""Login sessions end after a while without a request and a while after signing in, whatever the user
does; and a session signed in on one app node is good on another (several nodes behind one balancer)."""

from datetime import timedelta

from sqlalchemy import update

from drill import create_app
from drill.accounts.models import LoginSession
from drill.accounts.session import SEEN_KEY
from drill.database import utcnow


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_a_session_left_idle_longer_than_the_idle_limit_ends(app, client, make_user, login):
    login(make_user("m001"))
    assert signed_in(client)
    limit = 60 * app.config["SESSION_IDLE_MINUTES"]
    with client.session_transaction() as session:
        session[SEEN_KEY] -= limit - 30  # idle for a little less than the limit: still signed in
    assert signed_in(client)
    with client.session_transaction() as session:
        session[SEEN_KEY] -= limit + 30
    assert not signed_in(client)


def test_requests_keep_a_session_alive_past_the_idle_limit(app, client, make_user, login):
    login(make_user("m001"))
    limit = 60 * app.config["SESSION_IDLE_MINUTES"]
    with client.session_transaction() as session:
        session[SEEN_KEY] -= limit - 30
    assert signed_in(client)  # this request renews the idle clock
    with client.session_transaction() as session:
        session[SEEN_KEY] -= 60
    assert signed_in(client)


def test_a_session_ends_its_maximum_hours_after_signing_in_however_busy(app, client, make_user, login, db):
    login(make_user("m001"))
    hours = app.config["SESSION_MAX_HOURS"]
    db.session.execute(update(LoginSession).values(created_at=utcnow() - timedelta(hours=hours, minutes=1)))
    db.session.commit()
    assert not signed_in(client)


def test_a_session_from_one_node_is_good_on_another(app, app_config, client, make_user, login, db):
    login(make_user("m001"))
    other_node = create_app(app_config)
    try:
        other = other_node.test_client()
        other.set_cookie("session", client.get_cookie("session").value)
        assert other.get("/account").status_code == 200
    finally:
        with other_node.app_context():
            db.engine.dispose()
