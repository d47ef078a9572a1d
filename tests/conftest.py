"""Fixtures shared by the whole suite.

Each test gets a fresh database holding the schema, copied from one built once per test process: a SQLite
file by default; when DRILL_TEST_DATABASE_URL names a PostgreSQL server, a database there (dropped
afterwards), so CI runs the same suite on both.
"""

import os
import re
import shutil
import uuid

import pytest
from flask import has_request_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, raiseload

from drill import create_app
from drill.accounts import services
from drill.extensions import db as _db

TEST_DATABASE_URL = os.environ.get("DRILL_TEST_DATABASE_URL", "")
PASSWORD = "correct horse"
# Tests hash passwords at argon2's smallest cost (allowed only when TESTING): a user and a sign-in cost ~1 ms
# instead of ~20 ms. tests/accounts/test_login_throttle.py checks the production parameters with its own.
CHEAP_HASH = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


@event.listens_for(Session, "do_orm_execute")
def _no_lazy_sql_in_requests(state):
    """Under test, a relationship that a page's query did not load raises instead of running one more query
    per row (issue 14): a new N+1 fails CI. A query loads what its page needs (`selectinload`, a join, a
    bulk reader), or names a bounded lazy load with `lazyload(...)` (the signed-in user's branch: one query
    a request). Tests' own code and the CLI load as they like."""
    if has_request_context() and state.is_select and not (state.is_relationship_load or state.is_column_load):
        state.statement = state.statement.options(raiseload("*", sql_only=True))


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogue():
    """Plain `pytest` (without `make`) serves Chinese too: the catalogue is compiled when its .mo is missing
    or older than its .po, by the wheel's build hook (hatch_build.py); each .mo is replaced atomically, so
    pytest-xdist workers that compile it at once do no harm."""
    from pathlib import Path

    from hatch_build import compile_catalogues

    source = Path(__file__).resolve().parent.parent / "translations"
    if any(
        not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
        for po in source.glob("*/LC_MESSAGES/*.po")
    ):
        compile_catalogues(source, source)


@pytest.fixture(scope="session")
def sqlite_schema(tmp_path_factory):
    """A SQLite file holding the whole (empty) schema, built once per test process: each test starts from
    a copy of it (under a millisecond) instead of creating a hundred tables (0.15-0.25 s a test)."""
    path = tmp_path_factory.mktemp("schema") / "schema.sqlite"
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "schema", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}
    )
    with app.app_context():
        _db.create_all()
        _db.engine.dispose()  # the last connection closed: the file holds everything, no -wal beside it
    return path


@pytest.fixture
def empty_database_url(tmp_path):
    """A database with nothing in it: a new SQLite file, or a new PostgreSQL schema (dropped afterwards)."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path / 'test.sqlite'}"
        return
    from drill.config import normalise_database_url

    base = normalise_database_url(TEST_DATABASE_URL)
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options=-csearch_path%3D{schema}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def postgresql_template():
    """PostgreSQL: a database holding the whole (empty) schema, built once per test process and dropped at
    the end; each test gets a database copied from it (~50 ms) instead of a schema whose hundred tables are
    created one by one (~500 ms)."""
    if not TEST_DATABASE_URL:
        yield None
        return
    from drill.config import normalise_database_url

    base = make_url(normalise_database_url(TEST_DATABASE_URL))
    name = f"drill_template_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    app = create_app({"TESTING": True, "SECRET_KEY": "schema", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        _db.create_all()
        _db.engine.dispose()  # a template may have no connection open while it is copied
    yield admin, base, name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def database_url(empty_database_url, request):
    """A fresh database holding the schema, copied from the one built once per test process (`sqlite_schema`
    or `postgresql_template`). A test marked `empty_database` (migrations build its schema) gets it empty."""
    if request.node.get_closest_marker("empty_database"):
        yield empty_database_url
        return
    if empty_database_url.startswith("sqlite:///"):
        path = empty_database_url.removeprefix("sqlite:///")
        shutil.copyfile(request.getfixturevalue("sqlite_schema"), path)
        yield empty_database_url
        return
    admin, base, template = request.getfixturevalue("postgresql_template")
    name = f"t_{uuid.uuid4().hex[:16]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:  # FORCE: a test's stray connection does not keep it alive
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def app_config(database_url):
    """Override in a test module to change settings; CSRF is on only where a test asks for it."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "HOUSEKEEPING_SECONDS": 0,  # tests run drill.housekeeping themselves
        "PASSWORD_HASH": CHEAP_HASH,
    }


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, as in production: its own `g` (Flask-Login's user cache)
    and its own database session, so a view that forgets to commit fails its test."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    """The database session, inside an app context."""
    with app.app_context():
        yield _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def org(db):
    """A head office with two branches, each with one outlet."""
    head = services.create_branch("HO", "总行", "head_office")
    east = services.create_branch("E", "东城支行", "branch", head)
    west = services.create_branch("W", "西山支行", "branch", head)
    tree = {
        "head": head,
        "east": east,
        "west": west,
        "east1": services.create_branch("E1", "东城一网点", "outlet", east),
        "west1": services.create_branch("W1", "西山一网点", "outlet", west),
    }
    db.session.commit()
    return tree


@pytest.fixture
def make_user(db, org):
    """make_user("m1", roles={"manager"}, branch="east1") → a committed user whose password is PASSWORD."""
    counter = iter(range(1, 10_000))

    def make(employee_no=None, *, roles=("manager",), branch="east1", **extra):
        roles = set(roles)
        if "manager" in roles:
            extra.setdefault("category", "personal")
            extra.setdefault("level", "junior")
        if isinstance(extra.get("scope_branch"), str):
            extra["scope_branch"] = org[extra["scope_branch"]]
        user = services.create_user(
            employee_no=employee_no or f"u{next(counter):04d}",
            name=extra.pop("name", "测试用户"),
            branch=org[branch] if isinstance(branch, str) else branch,
            roles=roles,
            password=PASSWORD,
            **extra,
        )
        db.session.commit()
        return user

    return make


@pytest.fixture
def login(client):
    """login(user) signs the test client in through the real login form."""

    def sign_in(user, password=PASSWORD, target=client):
        response = target.post("/login", data={"employee_no": user.employee_no, "password": password})
        assert response.status_code == 302, "login failed"
        return response

    return sign_in


CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF_INPUT.search(html)
    assert match, "no csrf_token on the page"
    return match.group(1) or match.group(2)
