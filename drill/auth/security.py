"""Security settings and the HTTP headers every response carries (Flask-Talisman).

Defaults are set here, under whatever `instance/config.py` or `DRILL_*` variables already chose:

- the sign-in throttle (`drill.auth.rules.throttle`): 5 failures in 15 minutes lock an account for 15 minutes;
  50 failures from one client address lock that address (a branch's staff may share one address);
- `SECURE_COOKIES`: the session cookie is sent over HTTPS only; on by default outside development and
  testing. An intranet served over plain HTTP must turn it off (`DRILL_SECURE_COOKIES=false`);
- `FORCE_HTTPS`: redirect plain HTTP to HTTPS; off by default (TLS usually ends at the intranet's proxy);
- `LEVEL_FOUR_EYES`: the admin who proposed a level change cannot approve it; turn off for a one-person
  branch (a self-approval is then written to the audit log as such).

The Content-Security-Policy allows scripts from the app itself and those carrying the request's nonce, no
inline script and no inline event handler; styles may be inline (`'unsafe-inline'`: Bootstrap's
components and a few templates set `style` attributes); images from the app and `data:` URLs (Bootstrap's
CSS draws its check marks and arrows as data: SVGs). The referrer policy is same-origin. No page may be
framed (`frame-ancestors 'none'`, and X-Frame-Options DENY), the big-screen board included: it is opened
directly in the projector's browser.
"""

from __future__ import annotations

from flask import Flask
from flask_talisman import DENY, Talisman

from drill.accounts.models import checked_hash_parameters

SETTINGS = {
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": 50,
    "LOGIN_WINDOW_SECONDS": 15 * 60,
    "LOGIN_LOCK_SECONDS": 15 * 60,
    "FORCE_HTTPS": False,
    "LEVEL_FOUR_EYES": True,
}

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",  # and the request's nonce (content_security_policy_nonce_in)
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "manifest-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# A file a user uploaded (a pack's image or data file, a draft's file), opened on its own: nothing runs.
UPLOADED_FILE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def uploaded_file(view):
    """Serve this view's response under UPLOADED_FILE_POLICY instead of the pages' policy (Talisman reads
    per-view options from this attribute and would otherwise replace the view's own header)."""
    view.talisman_view_options = {
        "content_security_policy": UPLOADED_FILE_POLICY,
        "content_security_policy_nonce_in": [],
    }
    return view


# A JSON reply is never a page: no script runs under it, and no nonce is made for it. Styles and images
# stay allowed for the error page a refusal may render when someone opens the URL itself.
JSON_POLICY = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"
)


def json_reply(view):
    """Serve this view's JSON under JSON_POLICY: the hot JSON endpoints (an answer save, a board poll, a
    correction) skip the per-request nonce and the pages' twelve-part policy (#22)."""
    view.talisman_view_options = {
        "content_security_policy": JSON_POLICY,
        "content_security_policy_nonce_in": [],
    }
    return view


def init_app(app: Flask) -> None:
    for key, value in SETTINGS.items():
        app.config.setdefault(key, value)
    checked_hash_parameters(app.config, app.testing)  # a weak PASSWORD_HASH stops the app at start
    if app.config.get("SECURE_COOKIES") is None:
        app.config["SECURE_COOKIES"] = not (app.debug or app.testing)
    secure = bool(app.config["SECURE_COOKIES"])
    app.config["SESSION_COOKIE_SECURE"] = secure
    app.config["REMEMBER_COOKIE_SECURE"] = secure
    # One Talisman per app: it keeps its app and options on itself.
    app.extensions["talisman"] = Talisman(
        app,
        force_https=bool(app.config["FORCE_HTTPS"]),
        strict_transport_security=bool(app.config["FORCE_HTTPS"]),
        session_cookie_secure=False,  # set above, from SECURE_COOKIES
        session_cookie_samesite=app.config.get("SESSION_COOKIE_SAMESITE", "Lax"),
        frame_options=DENY,
        content_security_policy=CONTENT_SECURITY_POLICY,
        content_security_policy_nonce_in=["script-src"],
        referrer_policy="same-origin",  # ids in our URLs never leave the site
        x_content_type_options=True,
    )
