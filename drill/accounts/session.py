"""Server-side login sessions for Flask-Login.

The browser's session holds only a random token naming a `LoginSession` row. Logging out ends the row,
so the cookie stops working everywhere it was copied to; deactivating a user, resetting their password or
an admin's "end all sessions" ends all their sessions; changing one's own password ends all but the current.
"""

from datetime import timedelta

from flask import Flask, current_app, session
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import lazyload

from drill.accounts.models import LoginSession, User
from drill.database import utcnow
from drill.extensions import db, login_manager

SESSION_KEY = "login_token"
SEEN_KEY = "login_seen"  # when this browser last made a request (epoch seconds), for the idle limit
SEEN_EVERY = 60  # refresh it at most once a minute: not a new cookie on every request


def configure_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"


# Built once: the user of an open login session, with the session, in one query. Roles and branches are
# left to load when a page asks for them (one more query each, once a request; the answer save needs none).
_SESSION_USER = (
    select(User)
    .join(LoginSession, LoginSession.user_id == User.id)
    .where(
        LoginSession.token == bindparam("token"),
        LoginSession.ended_at.is_(None),
        LoginSession.created_at > bindparam("born_after", type_=LoginSession.created_at.type),
        User.id == bindparam("user_id"),
    )
    .options(lazyload(User.role_rows), lazyload(User.branch), lazyload(User.scope_branch))
)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    token = session.get(SESSION_KEY)
    if not token or not user_id.isdigit():
        return None
    # Sessions expire: after SESSION_IDLE_MINUTES without a request (the signed cookie carries when the
    # last one was, so any node can tell) and SESSION_MAX_HOURS after signing in (the row says when).
    now, config = utcnow(), current_app.config
    seen = session.get(SEEN_KEY)
    if not isinstance(seen, int) or now.timestamp() - seen > 60 * float(config["SESSION_IDLE_MINUTES"]):
        return None
    born_after = now - timedelta(hours=float(config["SESSION_MAX_HOURS"]))
    user = db.session.scalar(
        _SESSION_USER, {"token": token, "user_id": int(user_id), "born_after": born_after}
    )
    if user is not None and now.timestamp() - seen >= SEEN_EVERY:
        session[SEEN_KEY] = int(now.timestamp())
    return user


def begin(user: User) -> None:
    login = LoginSession(user=user)
    db.session.add(login)
    db.session.flush()
    session[SESSION_KEY] = login.token
    session[SEEN_KEY] = int(utcnow().timestamp())


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


def end_others(user: User) -> None:
    """End every session of the user but the one making this request."""
    token = session.get(SESSION_KEY)
    db.session.execute(
        update(LoginSession)
        .where(
            LoginSession.user_id == user.id,
            LoginSession.ended_at.is_(None),
            LoginSession.token != (token or ""),
        )
        .values(ended_at=utcnow())
    )


def open_count(user: User) -> int:
    return db.session.scalar(
        select(func.count(LoginSession.id)).where(
            LoginSession.user_id == user.id, LoginSession.ended_at.is_(None)
        )
    )
