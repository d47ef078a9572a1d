"""证书查验 (`certificate.py`): the public page a certificate's QR code leads to.

Every URL of the blueprint is in the table below (rule, view, methods); who may call each is in
`drill/access_policy.py`.
"""

from flask import Blueprint

from drill.routes import GET, add_routes
from drill.verify.views import certificate

bp = Blueprint("verify", __name__, url_prefix="/verify")

add_routes(
    bp,
    # certificate.py
    ("/<code>", certificate.certificate, GET),
)
