"""The attempt engine's JSON API (`api.py`): the answering page saves each answer through it and reads its
clock from it. The pages around an attempt belong to the areas that start them (drills, exams, competitions).

Every URL of the blueprint is in the table below (rule, view, methods); who may call each is in
`drill/access_policy.py`.
"""

from flask import Blueprint

from drill.attempts.views import api
from drill.routes import GET, PUT, add_routes

bp = Blueprint("attempts_api", __name__, url_prefix="/api/attempts")

add_routes(
    bp,
    # api.py
    ("/<int:attempt_id>/items/<int:position>", api.save, PUT),
    ("/<int:attempt_id>", api.state, GET),
)
