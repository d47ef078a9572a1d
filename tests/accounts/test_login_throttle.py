"""Sign-in throttling: per account and per client address, counted in the database that every app process
shares, with a message saying when to try again; an admin unlocks; every lock and unlock is logged."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from drill import create_app
from drill.accounts.models import SecurityEvent, User
from drill.auth.rules import throttle
from drill.extensions import db as _db
from tests.conftest import PASSWORD, IsolatedClient

WRONG = "not the password"


def sign_in(client, employee_no, password, address="10.0.0.1"):
    return client.post(
        "/login",
        data={"employee_no": employee_no, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def events(db, action):
    db.session.expire_all()
    return list(db.session.scalars(select(SecurityEvent).where(SecurityEvent.action == action)))


def test_five_wrong_passwords_lock_the_account_and_then_even_the_right_one_is_refused(client, db, make_user):
    user = make_user("m001")
    for _ in range(4):
        assert "登录失败次数过多" not in sign_in(client, "m001", WRONG).get_data(as_text=True)
    assert "登录失败次数过多" in sign_in(client, "m001", WRONG).get_data(as_text=True)
    refused = sign_in(client, "m001", PASSWORD)
    assert refused.status_code == 429 and "登录失败次数过多" in refused.get_data(as_text=True)
    [lock] = events(db, "lock")
    assert lock.user_id == user.id and lock.key == "account:m001"


def test_the_locked_message_says_in_chinese_when_to_try_again(client, db, make_user):
    make_user("m001")
    for _ in range(5):
        sign_in(client, "m001", WRONG)
    text = sign_in(client, "m001", PASSWORD).get_data(as_text=True)
    assert "登录失败次数过多" in text and "之后再试" in text


def test_an_unknown_employee_number_locks_the_same_way(client, db, make_user):
    make_user("m001")
    answers = [sign_in(client, "nobody", WRONG) for _ in range(6)]
    assert answers[-1].status_code == 429
    [lock] = events(db, "lock")
    assert lock.user_id is None and lock.key == "account:nobody"


def test_a_right_password_clears_the_accounts_count(client, db, make_user):
    make_user("m001")
    for _ in range(4):
        sign_in(client, "m001", WRONG, address="10.0.0.1")
    assert sign_in(client, "m001", PASSWORD, address="10.0.0.1").status_code == 302
    client.post("/logout")
    for _ in range(4):
        sign_in(client, "m001", WRONG, address="10.0.0.2")  # another address: its own count
    assert sign_in(client, "m001", PASSWORD, address="10.0.0.2").status_code == 302
    assert events(db, "lock") == []


@pytest.fixture
def app_config(app_config):
    """For the whole file. It checks the production hash parameters and a check's time: not the suite's cheap
    ones."""
    production = {key: value for key, value in app_config.items() if key != "PASSWORD_HASH"}
    return {**production, "LOGIN_MAX_FAILURES_PER_ADDRESS": 8}


def test_one_address_trying_many_accounts_is_locked_while_other_addresses_sign_in(app, db, make_user):
    make_user("m001")
    attacker, colleague = app.test_client(), app.test_client()
    for i in range(8):
        sign_in(attacker, f"x{i}", WRONG, address="10.9.9.9")
    assert sign_in(attacker, "m001", PASSWORD, address="10.9.9.9").status_code == 429
    assert sign_in(colleague, "m001", PASSWORD, address="10.0.0.2").status_code == 302
    assert "address:10.9.9.9" in {e.key for e in events(db, "lock")}


def test_the_count_is_shared_by_every_app_process(app_config, app, db, make_user):
    make_user("m001")
    other = create_app(app_config)  # a second app node on the same database
    other.test_client_class = IsolatedClient
    try:
        for _ in range(3):
            sign_in(app.test_client(), "m001", WRONG)
        for _ in range(2):
            sign_in(other.test_client(), "m001", WRONG)
        assert sign_in(app.test_client(), "m001", PASSWORD).status_code == 429
        assert sign_in(other.test_client(), "m001", PASSWORD).status_code == 429
    finally:
        with other.app_context():
            _db.engine.dispose()


def test_an_admin_unlocks_the_account_from_the_user_page_and_both_are_logged(app, db, make_user, login):
    user = make_user("m001")
    admin = make_user("a001", roles={"admin"}, branch="head")
    for _ in range(5):
        sign_in(app.test_client(), "m001", WRONG)
    admin_client = app.test_client()
    login(admin, target=admin_client)
    page = admin_client.get(f"/users/{user.id}").get_data(as_text=True)
    assert 'id="sign-in-locked"' in page and f"/users/{user.id}/unlock" in page
    assert admin_client.post(f"/users/{user.id}/unlock").status_code == 302
    assert sign_in(app.test_client(), "m001", PASSWORD).status_code == 302
    [unlock] = events(db, "unlock")
    assert (unlock.actor_id, unlock.user_id, unlock.detail) == (admin.id, user.id, "was locked")
    assert len(events(db, "lock")) == 1
    log = admin_client.get(f"/users/{user.id}").get_data(as_text=True)
    assert 'id="security-log"' in log and "已解除登录锁定" in log and "已锁定登录" in log


def test_a_manager_cannot_unlock_an_account(app, db, make_user, login):
    target = make_user("m001")
    client = app.test_client()
    login(make_user("m002"), target=client)
    assert client.post(f"/users/{target.id}/unlock").status_code == 403


def test_an_unknown_number_answers_no_faster_than_a_known_one_with_a_wrong_password(client, make_user):
    make_user("m001")

    def fastest(employee_no):
        times = []
        for i in range(3):
            start = time.perf_counter()
            sign_in(client, employee_no, WRONG, address=f"10.1.1.{i}")
            times.append(time.perf_counter() - start)
        return min(times)

    known, unknown = fastest("m001"), fastest("nobody")
    assert unknown > known * 0.5, (known, unknown)


def test_a_hash_made_with_older_parameters_is_remade_at_the_next_sign_in(client, db, make_user):
    user = make_user("m001")
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    db.session.commit()
    assert sign_in(client, "m001", PASSWORD).status_code == 302
    db.session.expire_all()
    stored = db.session.get(User, user.id).password_hash
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert len(events(db, "rehash")) == 1


def test_the_default_hash_is_owasps_minimum_and_a_stronger_setting_remakes_it_at_the_next_sign_in(
    app, client, db, make_user
):
    user = make_user("m001")
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    app.config["PASSWORD_HASH"] = {"time_cost": 3, "memory_cost": 65536, "parallelism": 4}
    assert sign_in(client, "m001", PASSWORD).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert len(events(db, "rehash")) == 1
    assert sign_in(app.test_client(), "m001", PASSWORD).status_code == 302  # the new hash lets them in
    assert len(events(db, "rehash")) == 1


def test_password_hashing_below_owasps_minimum_stops_the_app_outside_tests(app_config):
    with pytest.raises(ValueError, match="memory_cost"):
        create_app({**app_config, "TESTING": False, "PASSWORD_HASH": {"memory_cost": 4096}})


NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LIMITS = throttle.Limits(failures=3, window=timedelta(minutes=15), lock=timedelta(minutes=15))


def test_the_failure_that_reaches_the_limit_locks_for_the_lock_time():
    count = throttle.Count()
    for minute in range(2):
        count, locked = throttle.after_failure(count, NOW + timedelta(minutes=minute), LIMITS)
        assert not locked
    count, locked = throttle.after_failure(count, NOW + timedelta(minutes=2), LIMITS)
    assert locked and throttle.locked_until(count, NOW + timedelta(minutes=3)) == NOW + timedelta(minutes=17)
    assert throttle.locked_until(count, NOW + timedelta(minutes=17)) is None


def test_failures_older_than_the_window_are_forgotten_and_an_expired_lock_starts_afresh():
    count, _ = throttle.after_failure(throttle.Count(), NOW, LIMITS)
    count, _ = throttle.after_failure(count, NOW + timedelta(minutes=1), LIMITS)
    count, locked = throttle.after_failure(count, NOW + timedelta(minutes=16), LIMITS)
    assert not locked and count.failures == 1
    expired = throttle.Count(0, NOW, NOW + timedelta(minutes=15))
    count, locked = throttle.after_failure(expired, NOW + timedelta(minutes=20), LIMITS)
    assert not locked and count.failures == 1 and count.locked_until is None
