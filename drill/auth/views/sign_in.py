"""Signing in and out, throttled per account and per client address (see `drill.auth.rules.throttle`)."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from drill.accounts import security_log
from drill.accounts import session as login_sessions
from drill.accounts.models import User, verify_nobody
from drill.auth import throttle_store
from drill.auth.forms import LoginForm, LogoutForm
from drill.database import utcnow
from drill.extensions import db


def safe_next(target: str | None) -> str:
    """Only same-site paths: `//evil.example` and absolute URLs are open redirects."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("main.home")


def _locked_message(until) -> str:
    return _(
        "Too many failed sign-ins: signing in is paused until %(time)s. Please try again then, "
        "or ask an administrator to unlock your account.",
        time=format_time(until, "short"),
    )


def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        now = utcnow()
        employee_no = form.employee_no.data.strip()
        keys = [
            throttle_store.account_key(employee_no),
            throttle_store.address_key(throttle_store.client_address()),
        ]
        until = throttle_store.locked_until(keys, now)
        if until is not None:
            # No password is checked while locked, known account or not: the answer is the same.
            form.password.errors.append(_locked_message(until))
            return render_template("auth/login.html", form=form), 429
        user = db.session.scalar(select(User).where(User.employee_no == employee_no))
        # An unknown number costs one password check too, so timing does not tell which numbers exist.
        password = form.password.data
        ok = user.check_password(password) if user is not None else verify_nobody(password)
        if not ok or not user.active:
            locked = throttle_store.fail(keys, now, user)
            db.session.commit()
            # One message for every failure: do not tell which employee numbers exist.
            form.password.errors.append(
                _locked_message(locked) if locked else _("Wrong employee number or password.")
            )
        else:
            throttle_store.clear(keys[0])
            if user.password_needs_rehash():
                user.set_password(password)
                security_log.record("rehash", user=user)
            login_user(user)
            login_sessions.begin(user)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@login_required
def logout():
    if LogoutForm().validate_on_submit():
        login_sessions.end_current()
        logout_user()
        db.session.commit()
        flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))
