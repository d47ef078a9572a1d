"""Signing in and out (`sign_in.py`).

Every URL of the blueprint is in the table below (rule, view, methods); who may call each is in
`drill/access_policy.py`.
"""

from flask import Blueprint

from drill.auth.views import sign_in
from drill.routes import GET_POST, POST, add_routes

bp = Blueprint("auth", __name__)

add_routes(
    bp,
    # sign_in.py
    ("/login", sign_in.login, GET_POST),
    ("/logout", sign_in.logout, POST),
)
