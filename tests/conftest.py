"""Fixtures shared by the whole suite.

Each test gets a fresh database holding the schema, copied from one built once per test process: a SQLite
file by default; when DRILL_TEST_DATABASE_URL names a PostgreSQL server, a database there (dropped
afterwards), so CI runs the same suite on both.
"""

import gc
import os
import re
import shutil
import uuid

import pytest
from flask import Flask, has_request_context
from flask.testing import FlaskClient
from hypothesis import settings
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, raiseload
from werkzeug.routing import Rule

from drill import create_app
from drill.accounts import services
from drill.extensions import db as _db

TEST_DATABASE_URL = os.environ.get("DRILL_TEST_DATABASE_URL", "")
PASSWORD = "correct horse"
# Tests hash passwords at argon2's smallest cost (allowed only when TESTING): a user and a sign-in cost ~1 ms
# instead of ~20 ms. tests/accounts/test_login_throttle.py checks the production parameters with its own.
CHEAP_HASH = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
# No per-example time limit: properties are about results, and two busy test processes on two cores made
# a pure property test miss hypothesis' 200 ms default now and then. Speed is measured in bench/.
settings.register_profile("drill", deadline=None)
settings.load_profile("drill")


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests that use the test database (CI's second pass, on PostgreSQL)",
    )


def pytest_collection_modifyitems(config, items):
    """`--database-tests-only` (.ci/run's PostgreSQL pass, after the whole suite ran on SQLite): a test
    whose fixtures never reach the test database (`database_url`: parsers, pure rules, settings, a
    SQLite file of its own) would only repeat itself, so it is left out, listed as deselected: 865 of 1,448
    tests, a third of the pass's time (#20). Every test that opens the database still runs on both."""
    if not config.getoption("--database-tests-only"):
        return
    keep, drop = [], []
    for item in items:
        uses_database = {"database_url", "empty_database_url"} & set(getattr(item, "fixturenames", ()))
        (keep if uses_database else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_collection_finish(session):
    """The suite's own garbage collection (#20): a test process keeps everything it imported and collected
    (some 240,000 objects) while each test makes and drops an app and its pages, and the collector kept
    walking all of it. What is loaded by now is frozen out of its way (as each gunicorn worker does,
    drill.process.settle), and the collector runs 70 times less often: a test's objects mostly die by
    reference counting before it looks. The suite without the browser on SQLite, two workers on two cores:
    120 s -> 95-102 s (CPU 224 s -> 173-187 s); on PostgreSQL about 175 s -> 148 s."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


_BUILDERS: dict = {}
_compile_builder = Rule._compile_builder


def _compiled_once(rule: Rule, append_unknown: bool = True):
    """Every test builds its own app, and Werkzeug compiles each URL rule's builder from a syntax tree on
    every app: two thirds of an app's creation (0.1 s of CPU a test). The builder is a function of the
    rule's parsed shape alone (it reaches converters through the rule it is bound to), so the suite
    compiles each shape once. Rules with defaults keep their own: a default is baked into the builder."""
    if rule.defaults:
        return _compile_builder(rule, append_unknown)
    key = (tuple(rule._trace), append_unknown)
    if key not in _BUILDERS:
        _BUILDERS[key] = _compile_builder(rule, append_unknown)
    return _BUILDERS[key]


Rule._compile_builder = _compiled_once


class _TemplatesCompiledOnce(BytecodeCache):
    """Every test's app has its own Jinja environment, which would parse and compile each template it
    renders again (a quarter of a page test's time). Jinja's bytecode cache is made to be shared: a
    template's code is kept by name and reused while its source's checksum is unchanged."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket):
        self.code[bucket.key] = bucket.bytecode_to_string()


Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": _TemplatesCompiledOnce()}


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


class WorkerDatabase:
    """PostgreSQL: one database per test process, copied from the template, emptied after each test.

    Copying a database for every test cost ~0.3 s on this machine (CREATE DATABASE writes the whole template
    through the WAL); emptying the few tables a test wrote costs a few milliseconds. After a test, every
    other connection to it is ended (as DROP DATABASE … FORCE did), the tables holding rows are emptied
    children first, and the sequences used are restarted, so ids start at 1 again as on a fresh copy: one
    statement on a connection kept for the purpose (a round trip per table and a new connection each time
    were most of a test's extra time on PostgreSQL, #20). If emptying fails, the database is dropped and
    copied afresh."""

    def __init__(self, admin, base, template: str):
        self.admin, self.base, self.template = admin, base, template
        self.name = ""
        self.keeper = None
        self._copy()

    def _copy(self) -> None:
        self.name = f"t_{uuid.uuid4().hex[:16]}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"'))
        # Commits do not wait for the disk (the tests' own connections): the same transactions and locks,
        # without an fsync per commit.
        self.url = (
            self.base.set(database=self.name)
            .update_query_dict({"options": "-c synchronous_commit=off"})
            .render_as_string(hide_password=False)
        )
        self.keeper = create_engine(self.url, pool_size=1, max_overflow=0, pool_pre_ping=True)
        with self.keeper.connect() as connection:
            tables = _tables_children_first(connection)
        self.emptying = text(EMPTY.replace("TABLES", ", ".join(f"'{t}'" for t in tables)))

    def empty(self) -> None:
        try:
            with self.keeper.begin() as connection:
                connection.execute(text("SET LOCAL lock_timeout = '5s'"))
                connection.execute(self.emptying)
        except Exception:  # a lock held on, a cycle of keys: start again from a fresh copy
            self.drop()
            self._copy()

    def drop(self) -> None:
        self.keeper.dispose()
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))


# WorkerDatabase.empty in one statement: end the other connections, empty the tables that hold rows
# (children first: TABLES), restart the sequences used.
EMPTY = """
DO $$
DECLARE
    name text;
    holds boolean;
BEGIN
    PERFORM pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid();
    FOREACH name IN ARRAY ARRAY[TABLES]::text[] LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', name) INTO holds;
        IF holds THEN
            EXECUTE format('DELETE FROM %I', name);
        END IF;
    END LOOP;
    FOR name IN SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' AND last_value IS NOT NULL
    LOOP
        EXECUTE format('ALTER SEQUENCE %I RESTART', name);
    END LOOP;
END $$
"""


def _tables_children_first(connection) -> list[str]:
    """The schema's tables, each after every table whose rows point at it (emptied in this order)."""
    names = set(connection.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")))
    ordered = [t.name for t in reversed(_db.metadata.sorted_tables) if t.name in names]
    return ordered + sorted(names - set(ordered))


@pytest.fixture(scope="session")
def postgresql_worker_database(postgresql_template):
    admin, base, template = postgresql_template
    worker = WorkerDatabase(admin, base, template)
    yield worker
    worker.drop()


@pytest.fixture
def database_url(request, tmp_path):
    """A fresh database holding the schema, copied from the one built once per test process (`sqlite_schema`
    or `postgresql_template`). A test marked `empty_database` (migrations build its schema) gets it empty."""
    if request.node.get_closest_marker("empty_database"):
        yield request.getfixturevalue("empty_database_url")
        return
    if not TEST_DATABASE_URL:
        path = tmp_path / "test.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_schema"), path)
        yield f"sqlite:///{path}"
        return
    worker = request.getfixturevalue("postgresql_worker_database")
    yield worker.url
    worker.empty()


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
    app = create_app(app_config)  # its database is a copy of the schema already (`database_url`)
    app.test_client_class = IsolatedClient
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
