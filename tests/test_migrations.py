"""`drill db upgrade` builds the whole schema from empty, and the migrations match the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from drill import create_app
from drill.extensions import db
from drill.paths import project_dir


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
