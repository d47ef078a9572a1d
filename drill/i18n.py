"""Language choice: a signed-in user's own setting, else the visitor's pick, else Chinese."""

from flask import Flask, current_app, session
from flask_babel import get_locale
from flask_login import current_user

VISITOR_LOCALE_KEY = "locale"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get(VISITOR_LOCALE_KEY)
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def register_template_helpers(app: Flask) -> None:
    from drill.accounts.roles import BRANCH_KINDS, CATEGORIES, LEVELS, ROLES

    app.jinja_env.globals.update(roles=ROLES, categories=CATEGORIES, levels=LEVELS, branch_kinds=BRANCH_KINDS)

    from markupsafe import Markup

    from drill.content.catalog import competency_label, theme_label
    from drill.content.render import render_answer

    app.jinja_env.filters["competency_label"] = competency_label
    app.jinja_env.filters["theme_label"] = theme_label
    # What a user typed, shown as safe HTML (escaped first, then sanitised).
    app.jinja_env.filters["answer_html"] = lambda text: Markup(render_answer(str(text)))

    @app.context_processor
    def locale_helpers() -> dict:
        locale = get_locale()
        return {
            "current_locale": str(locale),
            "html_lang": "zh-CN" if locale and locale.language == "zh" else "en",
        }
