"""The appraisal pages, by what they are for: `periods.py` — the periods (admins run them, supervisors read
them); `entry.py` — a period's evidence (indicator sheet, occurrences, ratings); `grid.py` — the rating grid
and the upload templates; `records.py` — one record's "why"; `manager_file.py` — the manager's file;
`level_changes.py` — proposing and deciding level changes; `reports.py` — a period's report and exports.

Every URL of the blueprint is in the table below (rule, view, methods); who may call each is in
`drill/access_policy.py`.
"""

from flask import Blueprint

from drill.appraisal.views import entry, grid, level_changes, manager_file, periods, records, reports
from drill.routes import GET, GET_POST, POST, add_routes

bp = Blueprint("appraisal", __name__, url_prefix="/appraisal")

add_routes(
    bp,
    # periods.py
    ("/", periods.index, GET),
    ("/periods/new", periods.new_period, GET_POST),
    ("/periods/<int:period_id>", periods.period, GET),
    ("/periods/<int:period_id>/compute", periods.compute, POST),
    ("/periods/<int:period_id>/move", periods.move, POST),
    # entry.py
    ("/periods/<int:period_id>/import", entry.import_sheet, GET_POST),
    ("/periods/<int:period_id>/ratings", entry.ratings, GET),
    ("/periods/<int:period_id>/ratings/<int:user_id>", entry.rate, GET_POST),
    ("/periods/<int:period_id>/occurrences", entry.occurrences, GET_POST),
    ("/periods/<int:period_id>/occurrences/<int:occurrence_id>/withdraw", entry.withdraw, POST),
    # manager_file.py
    ("/me", manager_file.my_file, GET),
    ("/people/<int:user_id>", manager_file.person, GET),
    ("/people/<int:user_id>/rewards", manager_file.add_reward, POST),
    ("/people/<int:user_id>/assign", manager_file.assign, POST),
    # grid.py
    ("/periods/<int:period_id>/grid", grid.grid_page, GET_POST),
    ("/periods/<int:period_id>/grid.xlsx", grid.grid_xlsx, GET),
    ("/periods/<int:period_id>/grid/upload", grid.grid_upload, POST),
    ("/periods/<int:period_id>/import/template.xlsx", grid.import_template, GET),
    # level_changes.py
    ("/levels", level_changes.levels, GET),
    ("/levels/by-hand", level_changes.propose_by_hand, POST),
    ("/levels/propose", level_changes.propose_levels, POST),
    ("/levels/<int:change_id>/decide", level_changes.decide_level, POST),
    # records.py
    ("/records/<int:record_id>", records.record, GET),
    # reports.py
    ("/periods/<int:period_id>/report", reports.report, GET),
    ("/periods/<int:period_id>/export.csv", reports.export_csv, GET),
    ("/periods/<int:period_id>/export.xlsx", reports.export_xlsx, GET),
)
