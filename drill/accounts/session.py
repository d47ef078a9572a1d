"""Server-side login sessions for Flask-Login.

The browser's session holds only a random token naming a `LoginSession` row. Logging out ends the row,
so the cookie stops working everywhere it was copied to; deactivating a user, resetting their password or
an admin's "end all sessions" ends all their sessions; changing one's own password ends all but the current.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import wraps

from flask import Flask, current_app, session
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, bindparam, func, select, update
from sqlalchemy.orm import lazyload

from drill.accounts.models import LoginSession, User
from drill.database import utcnow
from drill.extensions import db, login_manager

SESSION_KEY = "login_token"
SEEN_KEY = "login_seen"  # when this browser last made a request (epoch seconds), for the idle limit
SEEN_EVERY = 60  # refresh it at most once a minute: not a new cookie on every request
USER_KEY = "_user_id"  # where Flask-Login's login_user keeps the signed-in user's id


def configure_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "warning"
    # Not bound to the address and browser: "strong" protection signed a phone out when it moved from Wi-Fi
    # to 4G in the middle of an exam, and its queued answers were then refused. A session is a row of its
    # own that signing out, a password reset, deactivation and the idle and age limits end (above).
    login_manager.session_protection = None


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


@dataclass(frozen=True)
class SignedIn:
    """Who the browser's signed cookie says is signed in, with its login session's token: checked for all
    the cookie can tell (the idle limit), not yet against the session's row (`load_user`, `still_open`)."""

    user_id: int
    token: str
    born_after: datetime  # the session must have begun after this (SESSION_MAX_HOURS)


def signed_in() -> SignedIn | None:
    """The cookie's claim, or None; keeps the idle clock going (at most one new cookie a minute)."""
    token, user_id = session.get(SESSION_KEY), session.get(USER_KEY)
    if not token or not isinstance(user_id, str) or not user_id.isdigit():
        return None
    # Sessions expire: after SESSION_IDLE_MINUTES without a request (the signed cookie carries when the
    # last one was, so any node can tell) and SESSION_MAX_HOURS after signing in (the row says when).
    now, config = utcnow(), current_app.config
    seen = session.get(SEEN_KEY)
    if not isinstance(seen, int) or now.timestamp() - seen > 60 * float(config["SESSION_IDLE_MINUTES"]):
        return None
    if now.timestamp() - seen >= SEEN_EVERY:
        session[SEEN_KEY] = int(now.timestamp())
    return SignedIn(int(user_id), token, now - timedelta(hours=float(config["SESSION_MAX_HOURS"])))


def claim_required(view):
    """login_required for the two hottest requests (the answer save, the board poll): the view gets the
    cookie's claim as its first argument instead of a loaded user, and checks the session itself in the
    statement it runs anyway (`still_open`), refusing as login_required does when it has ended (#22)."""

    @wraps(view)
    def guarded(**kwargs):
        claim = signed_in()
        if claim is None:
            return current_app.login_manager.unauthorized()
        return view(claim, **kwargs)

    return guarded


def still_open(user_id: ColumnElement) -> ColumnElement:
    """SQL: the claim's login session is open and is `user_id`'s, for a statement that checks the session
    in the same round trip as its work (bound as b_token and b_born_after; see `bound`)."""
    sessions = LoginSession.__table__
    return (
        select(sessions.c.id)
        .where(
            sessions.c.token == bindparam("b_token"),
            sessions.c.user_id == user_id,
            sessions.c.ended_at.is_(None),
            sessions.c.created_at > bindparam("b_born_after", type_=sessions.c.created_at.type),
        )
        .exists()
    )


def is_open(claim: SignedIn) -> bool:
    """Whether the claim's login session is still open (a read; `still_open` is the same test in SQL)."""
    values = {**bound(claim), "user_id": claim.user_id}
    return db.session.scalar(select(still_open(bindparam("user_id"))), values)


def bound(claim: SignedIn) -> dict:
    """The values `still_open` is bound to."""
    return {"b_token": claim.token, "b_born_after": claim.born_after}


NO_CLAIM = {"b_token": "", "b_born_after": datetime(2000, 1, 1, tzinfo=UTC)}  # no session has token ""


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    claim = signed_in()
    if claim is None or str(claim.user_id) != user_id:
        return None
    return db.session.scalar(
        _SESSION_USER, {"token": claim.token, "user_id": claim.user_id, "born_after": claim.born_after}
    )


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
