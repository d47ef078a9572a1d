"""The home page and its to-do list (`home.py`), the health check and the favicon.

Every URL of the blueprint is in the table below (rule, view, methods); who may call each is in
`drill/access_policy.py`.
"""

from flask import Blueprint

from drill.main.views import home
from drill.routes import GET, add_routes

bp = Blueprint("main", __name__)

add_routes(
    bp,
    # home.py
    ("/", home.home, GET),
    ("/healthz", home.health, GET),
    ("/favicon.ico", home.favicon, GET),
)
# every page: the menu's counts of what waits for the user
bp.app_context_processor(home.todo_counts)
