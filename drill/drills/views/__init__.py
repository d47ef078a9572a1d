"""The drills pages, by who opens them: `manager.py` — a manager's drills, from start to result and
history; `notebook.py` — the wrong-answer notebook; `trainer.py` — assigning drills and their reports.

Every URL of the blueprint is in the table below (rule, view, methods); who may call each is in
`drill/access_policy.py`.
"""

from flask import Blueprint

from drill.drills.views import manager, notebook, trainer
from drill.routes import GET, GET_POST, POST, add_routes

bp = Blueprint("drills", __name__, url_prefix="/drills")

add_routes(
    bp,
    # manager.py
    ("/", manager.index, GET_POST),
    ("/review", manager.review, POST),
    ("/assignments/<int:assignment_id>/start", manager.start_assignment, POST),
    ("/attempts/<int:attempt_id>", manager.attempt, GET),
    ("/attempts/<int:attempt_id>/submit", manager.submit, POST),
    ("/attempts/<int:attempt_id>/items/<int:item_id>/self", manager.self_assess, POST),
    ("/history", manager.my_history, GET),
    # notebook.py
    ("/notebook", notebook.notebook_page, GET, "notebook"),
    ("/notebook/<int:entry_id>/again", notebook.notebook_again, POST),
    ("/notebook/due", notebook.notebook_due, POST),
    # trainer.py
    ("/assignments", trainer.assignments, GET),
    ("/assignments/new", trainer.new_assignment, GET_POST),
    ("/assignments/<int:assignment_id>", trainer.assignment_report, GET),
    ("/assignments/<int:assignment_id>/remind", trainer.remind_assignment, POST),
    ("/assignments/<int:assignment_id>/export.xlsx", trainer.export_assignment, GET),
)
