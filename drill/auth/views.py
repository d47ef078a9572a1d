"""Signing in and out."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from drill.accounts import session as login_sessions
from drill.accounts.models import User
from drill.auth.forms import LoginForm, LogoutForm
from drill.extensions import db

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Only same-site paths: `//evil.example` and absolute URLs are open redirects."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.employee_no == form.employee_no.data.strip()))
        if user is None or not user.check_password(form.password.data) or not user.active:
            # One message for every failure: do not tell which employee numbers exist.
            form.password.errors.append(_("Wrong employee number or password."))
        else:
            login_user(user)
            login_sessions.begin(user)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    if LogoutForm().validate_on_submit():
        login_sessions.end_current()
        logout_user()
        db.session.commit()
        flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))
