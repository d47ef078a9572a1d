"""Error pages in the user's language; JSON for API clients."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        if wants_json():
            return {"error": "csrf", "description": error.description}, 400
        return render_template("errors/csrf.html", error=error), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if wants_json():
            return {"error": error.name, "description": error.description}, error.code
        known = (403, 404, 405, 413)
        template = f"errors/{error.code}.html" if error.code in known else "errors/generic.html"
        # A view's own reason, `abort(403, _("..."))`, replaces the page's general explanation.
        reason = error.description if error.description != type(error).description else None
        return render_template(template, error=error, reason=reason), error.code
