"""Server-side login sessions for Flask-Login.

The browser's session holds only a random token naming a `LoginSession` row. Logging out ends the row,
so the cookie stops working everywhere it was copied to; deactivating a user ends all their sessions.
"""

from flask import Flask, session
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from drill.accounts.models import LoginSession, User
from drill.database import utcnow
from drill.extensions import db, login_manager

SESSION_KEY = "login_token"


def configure_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    token = session.get(SESSION_KEY)
    if not token:
        return None
    login = db.session.scalar(
        select(LoginSession).where(LoginSession.token == token, LoginSession.ended_at.is_(None))
    )
    if login is None or str(login.user_id) != user_id:
        return None
    return login.user


def begin(user: User) -> None:
    login = LoginSession(user=user)
    db.session.add(login)
    db.session.flush()
    session[SESSION_KEY] = login.token


def end_current() -> None:
    token = session.pop(SESSION_KEY, None)
    if token:
        db.session.execute(
            update(LoginSession)
            .where(LoginSession.token == token, LoginSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )


def end_all(user: User) -> None:
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
