"""The home page: the user's to-do list (待办), and the menu's counts of what waits."""

from flask import g, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import DBAPIError, PendingRollbackError

from drill.database import utcnow
from drill.drills.forms import ActionForm
from drill.extensions import db
from drill.main import todo


def my_todo() -> todo.Todo | None:
    """The signed-in user's to-do list, gathered once per request (the menu and the home page share it).
    None for a visitor, and on a page shown after a database error: the menu then goes without counts."""
    if not current_user.is_authenticated:
        return None
    if "todo" not in g:
        try:
            with db.session.no_autoflush:  # never write what a view left pending and chose not to commit
                g.todo = todo.for_user(current_user, utcnow())
        except (DBAPIError, PendingRollbackError):  # an error page in a failed transaction: a page, no counts
            g.todo = None
    return g.todo


def todo_counts() -> dict:
    return {"my_todo": my_todo}


@login_required
def home():
    return render_template("main/home.html", todo=my_todo(), now=utcnow(), action_form=ActionForm())


def health():
    return {"status": "ok"}


def favicon():
    # Pages link the SVG icon; this answers what browsers and tools ask for by habit.
    return redirect(url_for("static", filename="favicon.svg"), 301)
