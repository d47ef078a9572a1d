"""`drill db upgrade` builds the whole schema from empty, and the migrations match the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from drill import create_app
from drill.extensions import db
from drill.paths import project_dir

pytestmark = pytest.mark.empty_database  # the migrations build the schema


@pytest.fixture
def empty_app(app_config):
    app = create_app(app_config)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_upgrade_from_empty_matches_the_models(empty_app):
    with empty_app.app_context():
        upgrade(directory=str(project_dir("migrations")))
        assert "users" in inspect(db.engine).get_table_names()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert diff == [], f"the models changed without a migration: {diff}"


def test_downgrade_to_empty_and_upgrade_again(empty_app):
    directory = str(project_dir("migrations"))
    with empty_app.app_context():
        upgrade(directory=directory)
        downgrade(directory=directory, revision="base")
        assert "users" not in inspect(db.engine).get_table_names()
        upgrade(directory=directory)
        assert "users" in inspect(db.engine).get_table_names()


def test_an_older_database_with_data_upgrades_to_the_current_schema(empty_app):
    directory = str(project_dir("migrations"))
    with empty_app.app_context():
        upgrade(directory=directory, revision="0001_accounts")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO branches (id, code, name, kind, path) "
                    "VALUES (1, 'HO', '总行', 'head_office', '/1/')"
                )
            )
        upgrade(directory=directory)
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT name FROM branches")).scalar_one() == "总行"


def test_level_changes_approved_before_0009_count_as_applied_and_duplicates_collapse(empty_app):
    directory = str(project_dir("migrations"))
    change = (
        "INSERT INTO appraisal_level_changes (id, user_id, category, from_level, to_level, direction, "
        "reason, periods, state, proposed_on, decided_at, decision_note) VALUES "
        "({id}, 1, 'tobacco', 'junior', 'intermediate', 'up', '[]', '[]', '{state}', '2026-01-05', {at}, '')"
    )
    with empty_app.app_context():
        upgrade(directory=directory, revision="0008_exam_shuffle_options")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO branches (id, code, name, kind, path) "
                    "VALUES (1, 'HO', '总行', 'head_office', '/1/')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO users (id, employee_no, name, password_hash, branch_id, locale, active, "
                    "created_at) VALUES (1, 'M1', '甲', 'x', 1, 'zh_CN', true, '2026-01-01 00:00:00+00:00')"
                )
            )
            connection.execute(text(change.format(id=1, state="approved", at="'2026-01-06 00:00:00+00:00'")))
            for id_ in (2, 3):  # two admins' runs before the index existed
                connection.execute(text(change.format(id=id_, state="proposed", at="NULL")))
        upgrade(directory=directory)
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, state, applied_at IS NOT NULL FROM appraisal_level_changes ORDER BY id")
            ).all()
    assert [tuple(r) for r in rows] == [(1, "approved", True), (2, "proposed", False), (3, "rejected", False)]


def _insert(connection, table: str, **given) -> int:
    """A row with `given` values and a plain value in every other NOT NULL column (reflected, so the test
    follows the schema at the revision it runs at); returns its id."""
    from datetime import UTC, datetime

    from sqlalchemy import MetaData, Table, insert
    from sqlalchemy import types as t

    reflected = Table(table, MetaData(), autoload_with=connection)
    values = dict(given)
    for column in reflected.columns:
        if column.name in values or column.nullable or column.primary_key:
            continue
        if column.server_default is not None:
            continue
        kind = column.type
        if isinstance(kind, t.Boolean):
            values[column.name] = False
        elif isinstance(kind, t.Integer | t.Float | t.Numeric):
            values[column.name] = 1
        elif isinstance(kind, t.DateTime):
            values[column.name] = datetime(2026, 1, 1, tzinfo=UTC)
        elif isinstance(kind, t.Date):
            values[column.name] = datetime(2026, 1, 1).date()
        elif isinstance(kind, t.JSON):
            values[column.name] = {}
        else:
            values[column.name] = f"{column.name}-{table}"[: getattr(kind, "length", None) or 64]
    return connection.execute(insert(reflected).values(values).returning(reflected.c.id)).scalar_one()


def test_a_database_holding_attempts_and_their_answers_upgrades_through_every_migration(empty_app):
    """Rows pointing at `attempts` (answers, marks) must not stop a migration that changes it (0016)."""
    directory = str(project_dir("migrations"))
    with empty_app.app_context():
        upgrade(directory=directory, revision="0015_phone")
        with db.engine.begin() as connection:
            branch = _insert(connection, "branches", code="HO", name="总行", kind="head_office", path="/1/")
            user = _insert(connection, "users", employee_no="m001", name="甲", branch_id=branch)
            pack = _insert(connection, "packs", slug="p", kind="quiz")
            question = _insert(connection, "questions", pack_id=pack, key="q-001")
            version = _insert(connection, "question_versions", question_id=question, number=1, type="single")
            attempt = _insert(connection, "attempts", user_id=user, kind="drill", state="submitted")
            _insert(connection, "attempt_items", attempt_id=attempt, position=1, question_version_id=version)
        upgrade(directory=directory)
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM attempt_items")).scalar_one() == 1
            assert connection.execute(text("SELECT state FROM attempts")).scalar_one() == "submitted"


def test_records_stored_before_0025_get_their_tie_keys_from_their_trails(empty_app):
    """The roll-up orders ties by the stored tie keys (0025): records already there must carry the same keys
    as their trails, each dimension's contribution in order, or a recomputed year would rank them anew."""
    import json

    from drill.appraisal.rules.records import stored_tie_keys

    directory = str(project_dir("migrations"))
    trails = [
        {"dimensions": [{"key": "a", "contribution": 31.15}, {"key": "b", "contribution": 8.0}]},
        {"dimensions": [{"key": "a", "contribution": 2.5}, {"key": "b"}, {"key": "c", "contribution": 0.75}]},
        {"parts": []},  # a rolled-up record: no dimensions of its own
    ]
    with empty_app.app_context():
        upgrade(directory=directory, revision="0024_assignment_target_people")
        with db.engine.begin() as connection:
            _insert(connection, "branches", id=1, code="HO", name="总行", kind="head_office", path="/1/")
            # the first user gets id 1: the value _insert gives every other user column
            assert _insert(connection, "users", employee_no="admin", branch_id=1) == 1
            scheme = _insert(connection, "appraisal_scheme_versions")
            period = _insert(connection, "appraisal_periods", scheme_version_id=scheme)
            for n, trail in enumerate(trails, start=1):
                user = _insert(connection, "users", employee_no=f"m{n}", branch_id=1)
                _insert(connection, "appraisal_records", period_id=period, user_id=user, trail=trail)
        upgrade(directory=directory)
        with db.engine.connect() as connection:
            stored = (
                connection.execute(text("SELECT tie_keys FROM appraisal_records ORDER BY id")).scalars().all()
            )
    found = [json.loads(keys) if isinstance(keys, str) else keys for keys in stored]
    assert found == [stored_tie_keys(trail) for trail in trails] == [[31.15, 8.0], [2.5, 0.75], []]
