"""Who may open an exam's organiser pages, for the views: the exam a URL names, with what those pages read,
or a 403 for a scoped trainer's look at an exam someone else set up (an unscoped trainer or admin sees
every exam)."""

from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from drill.accounts.access import scope_path
from drill.exams.models import Exam
from drill.extensions import db


def managed_exam(exam_id: int) -> Exam:
    """The exam with what its organiser's pages read (the early close, the adjustments), in a fixed number
    of queries; 403 for a scoped trainer's exam set up by someone else. The people they name are read as
    plain rows (`named`): loading them as users would hand back the signed-in organiser's own row under
    this query's options, without the branch and roles the menu reads."""
    exam = db.first_or_404(
        select(Exam)
        .where(Exam.id == exam_id)
        .options(selectinload(Exam.closure), selectinload(Exam.adjustments))
    )
    if scope_path(current_user) is not None and exam.created_by_id != current_user.id:
        abort(403, _("This exam is not yours: your account manages only the exams it set up."))
    return exam
