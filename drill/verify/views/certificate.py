"""The public verification page of a certificate, and the QR code that leads to it."""

from __future__ import annotations

from datetime import date

import segno
from flask import render_template, url_for
from markupsafe import Markup

from drill.accounts.models import User
from drill.database import utcnow
from drill.exams.models import Certificate
from drill.extensions import db
from drill.i18n import local_day

VALID, EXPIRED, REVOKED = "valid", "expired", "revoked"


def status(revoked: bool, valid_until: date, today: date) -> str:
    """Revoked outranks expired: a revoked certificate never becomes merely "expired"."""
    if revoked:
        return REVOKED
    return EXPIRED if today > valid_until else VALID


def verification_url(certificate: Certificate) -> str:
    return url_for("verify.certificate", code=certificate.code, _external=True)


def qr_svg(certificate: Certificate) -> Markup:
    """The verification link as an inline SVG QR code, drawn here: no image service, no script."""
    svg = segno.make(verification_url(certificate), error="m").svg_inline(scale=3, border=2, omitsize=False)
    return Markup(svg)


def certificate(code: str):
    found = None
    if 16 <= len(code) <= 32:
        found = db.session.scalar(db.select(Certificate).where(Certificate.code == code))
    if found is None:  # a mistyped or forged code: say so in words, still a 404
        return render_template("verify/certificate.html", certificate=None, state="unknown"), 404
    today = local_day(utcnow())
    state = status(found.revoked, found.valid_until, today)
    # The holder's name alone: loading the User could hand the signed-in holder's own row back without the
    # roles the navigation reads.
    holder = db.session.scalar(db.select(User.name).where(User.id == found.user_id))
    return render_template("verify/certificate.html", certificate=found, holder=holder, state=state)
