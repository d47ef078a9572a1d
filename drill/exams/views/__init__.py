"""The exams pages, by who opens them: `candidate.py` — open exams, starting one, results, certificates;
`organiser.py` — defining, previewing, adjusting, releasing; `marker.py` — the grading queue; `analysis.py` —
item analysis and its exports.

Every URL of the blueprint is in the table below (rule, view, methods); who may call each is in
`drill/access_policy.py`.
"""

from flask import Blueprint

from drill.exams.views import analysis, candidate, marker, organiser
from drill.routes import GET, GET_POST, POST, add_routes

bp = Blueprint("exams", __name__, url_prefix="/exams")

add_routes(
    bp,
    # candidate.py
    ("/", candidate.index, GET),
    ("/<int:exam_id>/start", candidate.start, GET_POST),
    ("/<int:exam_id>/result", candidate.result, GET),
    ("/certificates/<number>", candidate.certificate, GET),
    # organiser.py
    ("/manage", organiser.manage, GET),
    ("/new", organiser.new, GET_POST),
    ("/<int:exam_id>/edit", organiser.edit, GET_POST),
    ("/<int:exam_id>/overview", organiser.overview, GET),
    ("/<int:exam_id>/results.xlsx", organiser.results_export, GET),
    ("/<int:exam_id>/preview", organiser.preview, GET),
    ("/<int:exam_id>/adjustments", organiser.add_adjustment, POST),
    ("/<int:exam_id>/release", organiser.release_results, POST),
    ("/<int:exam_id>/close", organiser.close_exam, POST),
    ("/<int:exam_id>/paper-time", organiser.paper_time, POST),
    # marker.py
    ("/<int:exam_id>/grading", marker.grading_queue, GET),
    ("/<int:exam_id>/grading/<int:item_id>", marker.grade, GET_POST),
    # analysis.py
    ("/<int:exam_id>/analysis", analysis.analysis_page, GET),
    ("/<int:exam_id>/analysis.<any(xlsx, csv):fmt>", analysis.analysis_export, GET),
    ("/packs/<slug>/analysis", analysis.pack_analysis, GET),
)
