"""The home page: what each role does next."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import login_required

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    return render_template("main/home.html")


@bp.route("/healthz")
def health():
    return {"status": "ok"}


@bp.route("/favicon.ico")
def favicon():
    # Pages link the SVG icon; this answers what browsers and tools ask for by habit.
    return redirect(url_for("static", filename="favicon.svg"), 301)
