"""Integrity pages: the paper page's event endpoint (the candidate's own open paper only), and for an
exam's trainer or a round's organiser the papers with their page-leaves, each paper's timeline, and the
similarity flags with the decisions on them."""

from __future__ import annotations

import re

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from drill.accounts.access import role_required
from drill.accounts.models import User
from drill.attempts.models import Attempt
from drill.competitions.access import managed
from drill.competitions.models import Round
from drill.database import utcnow
from drill.exams.access import managed_exam
from drill.extensions import db
from drill.integrity import labels, services
from drill.integrity.forms import DECISION_LABELS, ComputeForm, DecisionForm
from drill.integrity.models import SimilarityFlag
from drill.integrity.rules import controls

PER_PAGE = 50  # papers a page: an exam may have thousands
DEVICE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_MS = 7 * 24 * 3600 * 1000


# ---- the paper page ---------------------------------------------------------------------------------


def _sent(body: object) -> tuple[str, list[services.Sent]]:
    """The device id and events of a request body, or a 400."""
    if (
        not isinstance(body, dict)
        or not isinstance(body.get("device"), str)
        or not DEVICE.match(body["device"])
    ):
        abort(400)
    events = body.get("events", [])
    if not isinstance(events, list) or len(events) > services.MAX_EVENTS:
        abort(400)
    sent = []
    for event in events:
        if not isinstance(event, dict) or event.get("kind") not in controls.CLIENT_KINDS:
            abort(400)
        seq, ms, age = event.get("seq"), event.get("ms"), event.get("age")
        if not isinstance(seq, int) or isinstance(seq, bool) or not 0 <= seq < 2**31:
            abort(400)
        for value in (ms, age):
            if value is not None and (
                not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_MS
            ):
                abort(400)
        sent.append(services.Sent(seq, event["kind"], ms, age))
    return body["device"], sent


@login_required
def events(attempt_id: int):
    """Events from the candidate's own open exam or round paper. A closed paper records nothing more."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id or attempt.kind not in controls.WATCHED_KINDS:
        abort(404)
    device, sent = _sent(request.get_json(silent=True))
    if attempt.closed:
        return jsonify(closed=True, acknowledged=[s.seq for s in sent]), 409
    address = (request.remote_addr or "")[:64] or None
    reply = services.receive(attempt, device, address, sent, utcnow())
    db.session.commit()
    return jsonify(reply)


# ---- who may read what ------------------------------------------------------------------------------


def _exam(exam_id: int):
    return managed_exam(exam_id)  # the exams area's own scope rule


def _round(round_id: int) -> Round:
    round_ = db.get_or_404(Round, round_id)
    managed(round_.competition_id)  # the competitions area's own scope rule
    return round_


def _scope_of_attempt(attempt: Attempt) -> dict:
    if attempt.exam_id is not None:
        return {"exam": _exam(attempt.exam_id)}
    if attempt.competition_round_id is not None:
        return {"round": _round(attempt.competition_round_id)}
    abort(404)


# ---- papers, timelines, flags -----------------------------------------------------------------------


def _papers_page(*, exam=None, round_=None):
    key = {"exam_id": exam.id} if exam is not None else {"round_id": round_.id}
    page = db.paginate(services.papers_query(**key), per_page=PER_PAGE, error_out=False)
    return render_template(
        "integrity/papers.html",
        exam=exam,
        round=round_,
        settings=services.scope_settings(**key),
        papers=services.watches(page.items),
        page=page,
        flags=services.flags(**key),
        flag_kinds=labels.FLAG_KINDS,
        flag_states=labels.FLAG_STATES,
        form=ComputeForm(),
        compute_url=url_for("integrity.compute_exam", exam_id=exam.id)
        if exam is not None
        else url_for("integrity.compute_round", round_id=round_.id),
    )


@role_required("trainer", "admin")
def exam_papers(exam_id: int):
    return _papers_page(exam=_exam(exam_id))


@role_required("trainer", "admin")
def round_papers(round_id: int):
    return _papers_page(round_=_round(round_id))


def _computed(text: int, choices: int) -> None:
    flash(
        _(
            "Compared the submitted papers: %(text)d pairs of similar answers, %(choices)d pairs with the "
            "same wrong answers. A flag is a prompt to look, not a finding.",
            text=text,
            choices=choices,
        ),
        "info",
    )


@role_required("trainer", "admin")
def compute_exam(exam_id: int):
    exam = _exam(exam_id)
    if not ComputeForm().validate_on_submit():
        abort(400)
    _computed(*services.compute_flags(utcnow(), exam_id=exam.id))
    db.session.commit()
    return redirect(url_for("integrity.exam_papers", exam_id=exam.id, _anchor="flags"))


@role_required("trainer", "admin")
def compute_round(round_id: int):
    round_ = _round(round_id)
    if not ComputeForm().validate_on_submit():
        abort(400)
    _computed(*services.compute_flags(utcnow(), round_id=round_.id))
    db.session.commit()
    return redirect(url_for("integrity.round_papers", round_id=round_.id, _anchor="flags"))


@role_required("trainer", "admin")
def timeline(attempt_id: int):
    attempt = db.get_or_404(
        Attempt, attempt_id, options=[joinedload(Attempt.user), selectinload(Attempt.items)]
    )
    scope = _scope_of_attempt(attempt)
    return render_template(
        "integrity/timeline.html",
        attempt=attempt,
        watch=services.watch_of(attempt),
        lines=services.timeline(attempt),
        events=labels.EVENTS,
        exam=scope.get("exam"),
        round=scope.get("round"),
    )


@role_required("trainer", "admin")
def flag(flag_id: int):
    found = db.get_or_404(
        SimilarityFlag,
        flag_id,
        options=[
            *services.FLAG_CANDIDATES,
            selectinload(SimilarityFlag.decisions),
        ],
    )
    exam = _exam(found.exam_id) if found.exam_id is not None else None
    round_ = _round(found.round_id) if found.round_id is not None else None
    form = DecisionForm()
    if form.validate_on_submit():
        services.decide(found, form.decision.data, form.reason.data, current_user, utcnow())
        db.session.commit()
        flash(_("Decision recorded. It changes no score."), "success")
        return redirect(url_for("integrity.flag", flag_id=found.id))
    return render_template(
        "integrity/flag.html",
        flag=found,
        exam=exam,
        round=round_,
        sides=services.sides(found),
        # names, not User objects: the decider may be the signed-in trainer, whose own object must not be
        # reloaded without the branch the page's navigation reads
        deciders=dict(
            db.session.execute(
                select(User.id, User.name).where(User.id.in_({d.decided_by_id for d in found.decisions}))
            ).all()
        ),
        choices=services.shared_choices(found),
        form=form,
        labels=DECISION_LABELS,
        flag_kinds=labels.FLAG_KINDS,
    )


# ---- what the paper, start and overview pages show (template globals) -------------------------------

SUMMARY_MORE_THAN = 2  # the overviews say how many candidates left the page more than this


def integrity_paper(attempt: Attempt | None) -> dict | None:
    """The controls of an open exam or round paper and the candidate's own page-leave count, or None."""
    if attempt is None or attempt.kind not in controls.WATCHED_KINDS or attempt.closed:
        return None
    settings = services.settings_of(attempt)
    if not settings.any:
        return None
    watch = services.watch_of(attempt)
    leaves = watch.leaves if watch is not None else 0
    return {
        "settings": settings,
        "leaves": leaves,
        "status": controls.leave_status(leaves, settings.leave_limit) if settings.count_leaves else "ok",
        "events_url": url_for("integrity.events", attempt_id=attempt.id),
    }


def integrity_settings(exam=None, round=None) -> controls.Settings:
    """The controls of an exam or a round, for its start page."""
    if exam is not None:
        return services.scope_settings(exam_id=exam.id)
    return services.scope_settings(round_id=round.id)


def integrity_summary(exam=None, round=None) -> dict:
    """Page-leaves by candidate, how many left more than SUMMARY_MORE_THAN times, open flags, the link."""
    key = {"exam_id": exam.id} if exam is not None else {"round_id": round.id}
    leaves = services.leaves_by_user(**key)
    return {
        "leaves": leaves,
        "over": controls.over(leaves, SUMMARY_MORE_THAN),
        "more_than": SUMMARY_MORE_THAN,
        "open_flags": services.open_flags(**key),
        "url": url_for("integrity.exam_papers", exam_id=exam.id)
        if exam is not None
        else url_for("integrity.round_papers", round_id=round.id),
    }
