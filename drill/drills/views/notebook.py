"""The wrong-answer notebook's pages: each question as it was asked with the answer given, the right
answer and the explanation; "practise again" on one question or on everything due; mastery per
competency. A retry is a review drill through the usual machinery (server deadline, autosave, scoring),
so a right answer moves the question on in the notebook like any other."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from drill.content.in_use import current_versions
from drill.content.models import Question
from drill.database import utcnow
from drill.drills import history, services
from drill.drills.forms import ActionForm
from drill.drills.models import NotebookEntry
from drill.drills.rules import notebook
from drill.drills.rules.paper import Candidate
from drill.extensions import db

MAX_REVIEW = 20  # questions in one "practise everything due" drill


@login_required
def notebook_page():
    now = utcnow()
    items = history.notebook(current_user)
    return render_template(
        "drills/notebook.html",
        items=items,
        due_now={i.entry.id for i in items if notebook.is_due(notebook.Entry(i.entry.box, i.entry.due), now)},
        mastery=history.mastery(current_user, items, now),
        action_form=ActionForm(),
    )


def _start_review(first: list[Candidate], title: str):
    criteria = services.Criteria(count=len(first), minutes=max(5, len(first)))
    attempt = services.start(current_user, criteria, utcnow(), kind="review", title=title, first=first)
    db.session.commit()
    return redirect(url_for("drills.attempt", attempt_id=attempt.id))


@login_required
def notebook_again(entry_id: int):
    """Practise one notebook question again, at its current version. Another's entry is a 404."""
    if not ActionForm().validate_on_submit():
        abort(400)
    entry = db.session.get(NotebookEntry, entry_id)
    if entry is None or entry.user_id != current_user.id:
        abort(404)
    row = db.session.execute(current_versions().where(Question.id == entry.question_id)).first()
    if row is None:
        flash(_("This question is no longer in use; it cannot be practised again."), "warning")
        return redirect(url_for("drills.notebook"))
    version, key = row
    return _start_review([Candidate(version.id, key)], _("Practise again: one question"))


@login_required
def notebook_due():
    """Practise every notebook question due now (the oldest due first, at most twenty at a time)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    now = utcnow()
    query = (
        current_versions()
        .join(NotebookEntry, NotebookEntry.question_id == Question.id)
        .where(NotebookEntry.user_id == current_user.id, NotebookEntry.due <= now)
        .order_by(NotebookEntry.due, Question.key)
        .limit(MAX_REVIEW)
    )
    first = [Candidate(version.id, key) for version, key in db.session.execute(query)]
    if not first:
        flash(_("Nothing is due in your notebook now."), "info")
        return redirect(url_for("drills.notebook"))
    return _start_review(first, _("Practise again: everything due"))
