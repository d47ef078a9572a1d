"""The accounts pages, by who opens them: `people.py` — users and branches (admins; trainers read within
their scope) and everyone's own settings and language; `sheet.py` — the users' import template.

Every URL of the blueprint is in the table below (rule, view, methods); who may call each is in
`drill/access_policy.py`.
"""

from flask import Blueprint

from drill.accounts.views import people, sheet
from drill.routes import GET, GET_POST, POST, add_routes

bp = Blueprint("accounts", __name__)

add_routes(
    bp,
    # people.py
    ("/users", people.users, GET),
    ("/users/export.xlsx", people.users_export, GET),
    ("/users/<int:user_id>", people.user, GET),
    ("/users/new", people.new_user, GET_POST),
    ("/users/<int:user_id>/edit", people.edit_user, GET_POST),
    ("/users/<int:user_id>/active", people.set_active, POST),
    ("/users/<int:user_id>/unlock", people.unlock, POST),
    ("/users/<int:user_id>/sessions/end", people.end_sessions, POST),
    ("/users/import", people.import_users, GET_POST),
    ("/branches", people.branches, GET_POST),
    ("/account", people.settings, GET_POST),
    ("/language", people.language, POST),
    # sheet.py
    ("/users/import/template.xlsx", sheet.users_template, GET),
)
