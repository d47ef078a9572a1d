"""drill: on-the-job skill drills, exams and competitions for customer managers."""

from flask import Flask

from drill.config import load_config
from drill.paths import project_dir


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app. No side effects beyond keeping a generated secret key: no migrations, no network.

    The factory and its helpers import the areas as they wire them (Flask's app-factory pattern): every
    area imports `drill` first, so importing them here at the top would be a cycle."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(project_dir("templates")),
    )
    load_config(app, test_config)
    from drill import bounds

    bounds.install(app)  # bounded <int:...> ids and ?page=, before any route is added
    register_extensions(app)
    register_attempt_kinds()
    register_change_listeners()
    register_profile_sections()
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    from drill import housekeeping

    housekeeping.install(app)
    return app


def register_extensions(app: Flask) -> None:
    from drill import (
        database,
        models,  # noqa: F401  (every table known to Alembic)
    )
    from drill.accounts.session import configure_login
    from drill.extensions import babel, bootstrap, csrf, db, login_manager, migrate
    from drill.i18n import register_template_helpers, select_locale, select_timezone

    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":  # a SQLite file never drops a connection
            database.ping_when_idle(db.engine, float(app.config["DB_PING_IDLE_SECONDS"]))
        else:
            database.queue_sqlite_writers(db.engine)
    migrate.init_app(app, db, directory=str(project_dir("migrations")), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    bootstrap.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(project_dir("translations")),
    )
    configure_login(app)
    register_template_helpers(app)
    from drill.labels import label

    # Every stored code shown to a reader: `{{ item.type|label("question_type") }}` (drill/labels.py, which
    # reads every area's vocabulary: registered here, above the areas, not in drill.i18n below them).
    app.jinja_env.filters["label"] = label
    from drill.auth import security

    security.init_app(app)  # security settings' defaults and the HTTP security headers


def register_attempt_kinds() -> None:
    """What follows when an attempt of each kind closes (attempts.rules.kinds): every kind, in one place."""
    from drill.attempts.rules import kinds
    from drill.competitions.entries import score_written_entry
    from drill.drills.services import file_in_notebook

    for kind in kinds.DRILLS:
        kinds.register(kind, file_in_notebook)
    kinds.register(kinds.EXAM, kinds.nothing)  # marked, then released by the exam's organisers
    kinds.register(kinds.COMPETITION, score_written_entry)


def register_change_listeners() -> None:
    """What a flush also writes down: a change to what a competition round's scores come from."""
    from drill.competitions import kept_rounds

    kept_rounds.listen()


def register_profile_sections() -> None:
    """What other areas show on a person's page (drill.accounts.profile): every section, in one place."""
    from drill.accounts import profile
    from drill.exams.release import certificates_section

    profile.register("certificates", certificates_section)


def register_blueprints(app: Flask) -> None:
    """Every area's blueprint; each lists its URLs in its `views/__init__.py`."""
    from drill.accounts import views as accounts
    from drill.appraisal import views as appraisal
    from drill.attempts import views as attempts
    from drill.auth import views as auth
    from drill.authoring import views as authoring
    from drill.competitions import views as competitions
    from drill.content import views as content
    from drill.drills import views as drills
    from drill.exams import views as exams
    from drill.integrity import views as integrity
    from drill.main import views as main
    from drill.verify import views as verify

    for area in (main, auth, accounts, content, drills, attempts, exams, authoring, competitions, appraisal):
        app.register_blueprint(area.bp)
    app.register_blueprint(integrity.bp)  # page-leave events, timelines, similarity flags
    app.register_blueprint(verify.bp)  # 证书查验: public, by a certificate's code


def register_errorhandlers(app: Flask) -> None:
    from drill.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from drill.accounts.cli import user_group
    from drill.demo.cli import demo_command

    app.cli.add_command(user_group)
    app.cli.add_command(demo_command)
    from drill.content.cli import check_command, import_command

    app.cli.add_command(check_command)
    app.cli.add_command(import_command)
    from drill.content.convert.cli import convert_group, export_group, new_command

    app.cli.add_command(convert_group)
    app.cli.add_command(export_group)
    app.cli.add_command(new_command)
    from drill.housekeeping_cli import close_overdue_command, housekeeping_command

    app.cli.add_command(close_overdue_command)
    app.cli.add_command(housekeeping_command)
    from drill.integrity.cli import similar_command

    app.cli.add_command(similar_command)
    from drill.competitions.cli import peer_scores_command

    app.cli.add_command(peer_scores_command)
