"""Serving pack assets (`assets.py`) with headers that keep a hostile file inert.

Every URL of the blueprint is in the table below (rule, view, methods); who may call each is in
`drill/access_policy.py`.
"""

from flask import Blueprint

from drill.content.views import assets
from drill.routes import GET, add_routes

bp = Blueprint("content", __name__, url_prefix="/content")

add_routes(
    bp,
    # assets.py
    ("/assets/<checksum>/<path:name>", assets.asset, GET),
)
