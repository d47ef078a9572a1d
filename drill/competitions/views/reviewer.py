"""A reviewer's pages: calibrate on the case's example answers, then score the allocated entries.

An entry is shown under its anonymous label with the answers only: no name, number or branch. A
participant reaches an entry only through an allocation of their own (404 otherwise).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from drill import reveal
from drill.attempts import engine, pages
from drill.competitions import content, kept_rounds, peer, round_scores
from drill.competitions.access import round_of, visible_competition
from drill.competitions.forms import criteria_form, scores_from
from drill.competitions.rules import calibration, states
from drill.database import utcnow
from drill.extensions import db


def rubric_bands(case: content.CaseContent) -> list:
    """[(criterion, [(level, from, to, descriptor)])]: the level descriptors with their points."""
    out = []
    for c in case.criteria:
        texts = list(c.get("descriptors") or [])
        bands = calibration.level_bands(case.levels, float(c["weight"]))
        rows = []
        for i, (level, low, high) in enumerate(bands):
            text = texts[i] if i < len(texts) else ""
            stated = calibration.stated_band(text)
            rows.append((level, *stated) if stated else (level, low, high, text))
        out.append((c, rows))
    return out if case.levels else []


def _reviewer(competition_id: int, round_id: int):
    competition, participant = visible_competition(competition_id)
    round_ = round_of(competition, round_id)
    if participant is None or round_.kind != "case":
        abort(404)
    return competition, round_, participant


@login_required
def calibrate(competition_id: int, round_id: int):
    competition, round_, participant = _reviewer(competition_id, round_id)
    gate = reveal.shown(
        kind="competition", viewer=reveal.REVIEWER, closed=True, now=utcnow(), round_state=round_.state
    )
    if not gate.examples:
        flash(_("Calibration opens once entries are closed and reviewing begins."), "info")
        return redirect(url_for("competitions.my_round", competition_id=competition.id, round_id=round_.id))
    case = content.of_round(round_)
    if not case.examples:
        return redirect(url_for("competitions.my_round", competition_id=competition.id, round_id=round_.id))
    result = peer.calibration_result(round_, participant, case)
    prefixes = [f"x{i}_" for i in range(len(case.examples))]
    form = criteria_form(case.criteria, prefixes)
    if result is None and form.validate_on_submit():
        given = {
            e["id"]: scores_from(form, case.criteria, p) for e, p in zip(case.examples, prefixes, strict=True)
        }
        try:
            peer.calibrate(round_, participant, case, given, utcnow())
        except (peer.ReviewError, ValueError) as error:
            flash(_(str(error)), "danger")
        else:
            db.session.commit()
            return redirect(
                url_for("competitions.calibrate", competition_id=competition.id, round_id=round_.id)
            )
    return render_template(
        "competitions/calibrate.html",
        competition=competition,
        round=round_,
        case=case,
        form=form,
        prefixes=prefixes,
        result=result,
        weight=peer.calibration_of(round_, participant),
        bands=rubric_bands(case),
        tasks=content.task_versions(round_.case_pack_id) if round_.case_pack_id else [],
        me=_me_as_reviewer(round_, participant) if result is not None else None,
    )


def _me_as_reviewer(round_, participant):
    """What the model fitted on the whole round makes of me as a reviewer (None before I scored anything):
    from the round as kept for everyone (`kept_rounds`), not fitted again for each reviewer's page."""
    model = kept_rounds.read(round_, with_people=False).scored.model
    return None if model is None else model.reviewers.get(str(participant.id))


def _entry_items(entry):
    versions = engine.versions_of(entry)
    return pages.take_items(entry, versions)


@login_required
def review(competition_id: int, round_id: int, entry_id: int):
    competition, round_, participant = _reviewer(competition_id, round_id)
    allocation = peer.allocation_for(round_, participant, entry_id)
    if allocation is None:
        abort(404)
    case = content.of_round(round_)
    if case.examples and peer.calibration_of(round_, participant) is None:
        flash(_("Calibrate on the example answers first."), "info")
        return redirect(url_for("competitions.calibrate", competition_id=competition.id, round_id=round_.id))
    form = criteria_form(case.criteria)
    done = allocation.state == "done"
    if not done and form.validate_on_submit():
        now = utcnow()
        try:
            peer.review(
                round_,
                participant,
                entry_id,
                case,
                scores_from(form, case.criteria),
                form.comment.data or "",
                now,
            )
        except (peer.ReviewError, ValueError) as error:
            flash(_(str(error)), "danger")
        else:
            entry = peer.entry(entry_id)
            author = peer.authors(round_).get(entry_id)
            if author is not None:
                round_scores.settle_entry(round_, entry, author, now)
            db.session.commit()
            flash(_("Review saved."), "success")
            return redirect(
                url_for("competitions.my_round", competition_id=competition.id, round_id=round_.id)
            )
    mine = next((r for _n, r in peer.reviews_of(round_, entry_id) if r.reviewer_id == participant.id), None)
    return render_template(
        "competitions/review.html",
        competition=competition,
        round=round_,
        case=case,
        label=peer.label(round_, entry_id),
        items=_entry_items(peer.entry(entry_id)),
        form=form,
        mine=mine,
        open=round_.state == states.REVIEWING and not done,
        bands=rubric_bands(case),
    )
