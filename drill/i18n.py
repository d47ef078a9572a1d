"""Language choice: a signed-in user's own setting, else the visitor's pick, else Chinese; on the command
line, `--lang` (or `DRILL_LANG`), else Chinese."""

import functools
from datetime import date, datetime
from zoneinfo import ZoneInfo

import click
from flask import Flask, current_app, session
from flask_babel import force_locale, get_locale, gettext
from flask_login import current_user

from drill.accounts.roles import BRANCH_KINDS, CATEGORIES, LEVELS, ROLES
from drill.content.catalog import competency_label, theme_label
from drill.content.rules.render import render_answer

VISITOR_LOCALE_KEY = "locale"
CLI_LOCALES = {"zh": "zh_CN", "en": "en"}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get(VISITOR_LOCALE_KEY)
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def lang_option(command):
    """`--lang zh|en` (default zh, or the `DRILL_LANG` environment variable): the language in which a
    command prints messages such as `drill check`'s problems. Put it below `@with_appcontext`: the chosen
    locale is forced in the app context, since a command has no request and no user to ask."""

    @functools.wraps(command)
    def run(*args, lang: str, **kwargs):
        with force_locale(CLI_LOCALES[lang.lower()]):
            return command(*args, **kwargs)

    return click.option(
        "--lang",
        type=click.Choice(sorted(CLI_LOCALES), case_sensitive=False),
        default="zh",
        envvar="DRILL_LANG",
        show_default=True,
        show_envvar=True,
        help="Language of the messages: zh or en. / 提示信息的语言：zh（中文）或 en（英文）。",
    )(run)


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def local_zone() -> ZoneInfo:
    """The organisation's time zone (`BABEL_DEFAULT_TIMEZONE`, Asia/Shanghai unless configured)."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def local_day(instant: datetime | date | None, zone: ZoneInfo | None = None) -> date | None:
    """The one place an instant becomes a calendar day: the day it is in the local time zone. Times are
    stored in UTC, so `instant.date()` would put anything done between 00:00 and 08:00 in Beijing on the
    day before. A `date` is already a day and comes back as it is. Rules take this day as a parameter."""
    if instant is None or not isinstance(instant, datetime):
        return instant
    return instant.astimezone(zone or local_zone()).date()


def register_template_helpers(app: Flask) -> None:

    app.jinja_env.globals.update(roles=ROLES, categories=CATEGORIES, levels=LEVELS, branch_kinds=BRANCH_KINDS)

    from markupsafe import Markup

    app.jinja_env.filters["competency_label"] = competency_label
    app.jinja_env.filters["theme_label"] = theme_label
    # What a user typed, shown as safe HTML (escaped first, then sanitised).
    app.jinja_env.filters["answer_html"] = lambda text: Markup(render_answer(str(text)))
    # A stored text that may be a msgid (a rule's reason) or what someone typed (a correction's reason):
    # translated when the catalogue knows it, and escaped like any text. Jinja's `_(variable)` would
    # mark what someone typed as safe HTML.
    app.jinja_env.filters["translated"] = lambda text: gettext(str(text)) if text else ""
    # A stored instant (UTC) as the local calendar day, for `|localday|dateformat(...)` and chart axes.
    app.jinja_env.filters["localday"] = local_day

    @app.context_processor
    def locale_helpers() -> dict:
        locale = get_locale()
        return {
            "current_locale": str(locale),
            "html_lang": "zh-CN" if locale and locale.language == "zh" else "en",
        }
