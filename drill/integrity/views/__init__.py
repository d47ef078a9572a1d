"""Integrity pages (`papers.py`): the paper page's event endpoint (the candidate's own open paper) and, for
an exam's trainer or a round's organiser, the papers with their page-leaves, timelines and similarity flags;
with the template globals the paper pages use to show the controls in force.

Every URL of the blueprint is in the table below (rule, view, methods); who may call each is in
`drill/access_policy.py`.
"""

from flask import Blueprint

from drill.integrity.views import papers
from drill.routes import GET, GET_POST, POST, add_routes

bp = Blueprint("integrity", __name__, url_prefix="/integrity")

add_routes(
    bp,
    # papers.py
    ("/attempts/<int:attempt_id>/events", papers.events, POST),
    ("/exams/<int:exam_id>", papers.exam_papers, GET),
    ("/rounds/<int:round_id>", papers.round_papers, GET),
    ("/exams/<int:exam_id>/compute", papers.compute_exam, POST),
    ("/rounds/<int:round_id>/compute", papers.compute_round, POST),
    ("/attempts/<int:attempt_id>/timeline", papers.timeline, GET),
    ("/flags/<int:flag_id>", papers.flag, GET_POST),
)
# the exam and round pages show the controls in force and what happened on a paper
bp.add_app_template_global(papers.integrity_paper, "integrity_paper")
bp.add_app_template_global(papers.integrity_settings, "integrity_settings")
bp.add_app_template_global(papers.integrity_summary, "integrity_summary")
