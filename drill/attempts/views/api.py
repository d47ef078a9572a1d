"""The small JSON API behind the attempt page: save an answer as it is given, read the clock.

Every reply carries the server's remaining seconds, so the page's countdown follows the server and
never the phone's clock. A refused save says why, in the user's language, and changes nothing.

A save may carry `seq`, the page's version of that item's answer (the page counts each change and keeps
unsent answers on the phone until the network returns). The server keeps the newest version: a replay of
an older one is answered "kept" and changes nothing. Lateness is decided by when a request arrives here,
never by the phone's clock: after the deadline plus DEADLINE_GRACE_SECONDS nothing more is saved, and
the answers saved before then are scored.
"""

from __future__ import annotations

from flask import abort, current_app, jsonify
from flask_babel import gettext as _
from flask_login import current_user, login_required

from drill import bounds
from drill.accounts import session as login_sessions
from drill.attempts import engine
from drill.attempts.models import Attempt
from drill.attempts.rules import shapes, timing
from drill.auth.security import json_reply
from drill.database import utcnow
from drill.extensions import db

MAX_RESPONSE_BYTES = 20_000  # an open answer of a few thousand characters, with room to spare
MAX_SEQ = 2**31 - 1  # an item's answer version (the page counts its changes) fits an INTEGER column


def _refusal(outcome: engine.SaveOutcome):
    if outcome is engine.SaveOutcome.NOT_FOUND:
        abort(404)
    message = (
        _("Time is up: this answer arrived after the deadline and was not saved.")
        if outcome is engine.SaveOutcome.LATE
        else _("This drill is closed: the answer was not saved.")
    )
    return jsonify(status=outcome.value, message=message, remaining=0), 409


@json_reply
@login_sessions.claim_required
def save(claim: login_sessions.SignedIn, attempt_id: int, position: int):
    try:  # read with a hard cap, a chunked body too, and no deeper than an answer can be
        body = bounds.json_body(MAX_RESPONSE_BYTES)
    except bounds.BodyRefused as refused:
        return jsonify(status="invalid", message=_(refused.message)), refused.status
    if not isinstance(body, dict) or "response" not in body:
        return jsonify(status="invalid", message=_('Send JSON like {"response": ...}.')), 400
    seq = body.get("seq")
    if seq is not None and not (type(seq) is int and 0 < seq <= MAX_SEQ):
        return jsonify(status="invalid", message=_("The answer's version must be a whole number.")), 400
    now = utcnow()
    grace = float(current_app.config["DEADLINE_GRACE_SECONDS"])
    response = body["response"]
    saved = engine.save_answer(
        attempt_id, claim.user_id, position, response, now, grace, seq,
        check=lambda question_type: shapes.problem(question_type, response), signed_in=claim,
    )  # fmt: skip
    if saved.outcome is engine.SaveOutcome.SIGNED_OUT:
        db.session.rollback()
        return current_app.login_manager.unauthorized()
    if saved.outcome is engine.SaveOutcome.INVALID:
        db.session.rollback()  # undo the write: the answer stays as it was, and the share lock ends
        message = _("Question %(position)d: %(problem)s.", position=position, problem=_(saved.problem))
        return jsonify(status="invalid", message=message), 400
    db.session.commit()
    if saved.outcome not in (engine.SaveOutcome.SAVED, engine.SaveOutcome.KEPT):
        return _refusal(saved.outcome)
    # "kept": a newer version of this answer was already saved; the page may drop its older copy.
    reply = {"status": saved.outcome.value, "remaining": timing.remaining_seconds(saved.deadline, now)}
    return jsonify(reply if seq is None else {**reply, "seq": saved.seq})


@login_required
def state(attempt_id: int):
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    now = utcnow()
    remaining = 0 if attempt.closed else timing.remaining_seconds(attempt.deadline, now)
    return jsonify(state=attempt.state, remaining=remaining)
