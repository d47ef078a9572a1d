"""The organiser's rounds: define and edit, open and close; allocate and reallocate peer reviews; recompute a
round; confirm the finalists; read how any entry's score was reached."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from drill import blueprint_form, export
from drill.accounts.access import role_required
from drill.accounts.models import User, UserRole
from drill.competitions import content, events, kept_rounds, peer, round_list, round_scores, setup
from drill.competitions.access import managed, round_of
from drill.competitions.forms import ActionForm, RoundForm
from drill.competitions.models import Round
from drill.competitions.rules import allocation, editing, states
from drill.competitions.views.vocabulary import KINDS
from drill.database import utcnow
from drill.extensions import db
from drill.forms import keep_disabled, options, restore, to_local, to_utc
from drill.integrity import services as integrity

# Peer and judge weights where they are not the organiser's choice: a judged round is scored by its judges
# alone; a written round by its paper, so it keeps the form's defaults (shown again if it becomes a case).
WEIGHTS = {"written": (1.0, 0.0), "judged": (0.0, 1.0)}
FORM_FIELD = {  # a round setting (`editing`) -> the RoundForm field that edits it
    "blueprint": "cells",
    "case_pack_id": "case_pack",
    "rubric_pack_id": "rubric_pack",
    "qualify_from_id": "qualify_from",
}


def _fill(form: RoundForm, competition, round_=None) -> None:
    """The choices; editing a round, also the packs and judges it already has (retired or not), and only
    the rounds before it to qualify from."""
    none = [(0, "—")]
    form.kind.choices = options(KINDS.items())
    cases, rubrics = content.case_packs(), content.rubric_packs()
    judges = list(
        db.session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == "judge", User.active.is_(True))
            .order_by(User.name)
        )
    )
    earlier = competition.rounds
    if round_ is not None:
        cases += [round_.case_pack] if round_.case_pack and round_.case_pack not in cases else []
        rubrics += [round_.rubric_pack] if round_.rubric_pack and round_.rubric_pack not in rubrics else []
        chosen = {j.user_id for j in round_.judges} - {u.id for u in judges}  # retired or no longer judges
        judges += list(db.session.scalars(select(User).where(User.id.in_(sorted(chosen))))) if chosen else []
        earlier = [r for r in competition.rounds if r.position < round_.position]
    form.case_pack.choices = options(none + [(p.id, p.title) for p in cases])
    form.rubric_pack.choices = options(none + [(p.id, p.title) for p in rubrics])
    form.qualify_from.choices = options(none + [(r.id, r.title) for r in earlier])
    form.judges.choices = options((u.id, f"{u.name}（{u.employee_no}）") for u in judges)
    blueprint_form.fill(form.cells, exclude=("open",))  # a written round is scored at once


def _settings(form: RoundForm) -> dict:
    """The round's settings (`editing.SETTINGS`) as the form gives them, kept to what its kind uses."""
    kind = form.kind.data
    qualifies = bool(form.qualify_from.data)
    return {
        "kind": kind,
        "title": form.title.data.strip(),
        "weight": round(float(form.weight.data), 2),
        "opens_at": to_utc(form.opens_at.data),
        "closes_at": to_utc(form.closes_at.data),
        "time_limit_minutes": form.time_limit_minutes.data,
        "blueprint": blueprint_form.blueprint(form.cells) if kind == "written" else None,
        "speed_bonus": bool(form.speed_bonus.data) and kind == "written",
        "speed_floor": round(float(form.speed_floor.data if form.speed_floor.data is not None else 0.8), 2),
        "case_pack_id": (form.case_pack.data or None) if kind != "written" else None,
        "rubric_pack_id": (form.rubric_pack.data or None) if kind == "judged" else None,
        "peer_weight": round(float(form.peer_weight.data or 0), 2) if kind == "case" else WEIGHTS[kind][0],
        "judge_weight": round(float(form.judge_weight.data or 0), 2) if kind == "case" else WEIGHTS[kind][1],
        "review_closes_at": to_utc(form.review_closes_at.data) if kind == "case" else None,
        "judge_budget": round(float(form.judge_budget.data if form.judge_budget.data is not None else 10), 1),
        "judges": tuple(sorted(form.judges.data or ())) if kind != "written" else (),
        "qualify_from_id": form.qualify_from.data or None,
        "qualify_top_n": form.qualify_top_n.data if qualifies else None,
        "qualify_per_branch": bool(form.qualify_per_branch.data) and qualifies,
    }


def _shown(round_: Round) -> RoundForm:
    """The form filled from the round, times in local time to the second, as the edit page shows it."""
    form = RoundForm(formdata=None)

    def local(value):
        return to_local(value).replace(microsecond=0) if value else None

    form.kind.data, form.title.data, form.weight.data = round_.kind, round_.title, round_.weight
    form.opens_at.data, form.closes_at.data = local(round_.opens_at), local(round_.closes_at)
    form.time_limit_minutes.data = round_.time_limit_minutes
    blueprint_form.load(form.cells, round_.blueprint)
    form.speed_bonus.data, form.speed_floor.data = round_.speed_bonus, round_.speed_floor
    form.case_pack.data, form.rubric_pack.data = round_.case_pack_id or 0, round_.rubric_pack_id or 0
    form.peer_weight.data, form.judge_weight.data = round_.peer_weight, round_.judge_weight
    form.review_closes_at.data = local(round_.review_closes_at)
    form.judge_budget.data = round_.judge_budget
    form.judges.data = [j.user_id for j in round_.judges]
    form.qualify_from.data = round_.qualify_from_id or 0
    form.qualify_top_n.data, form.qualify_per_branch.data = round_.qualify_top_n, round_.qualify_per_branch
    integrity.load_settings(form.integrity, round_id=round_.id)
    return form


@role_required("trainer", "admin")
def new_round(competition_id: int):
    competition = managed(competition_id)
    form = RoundForm()
    _fill(form, competition)
    if form.validate_on_submit():
        round_ = setup.add_round(competition, **_settings(form))
        integrity.save_settings(form.integrity, round_=round_)
        db.session.commit()
        flash(_("Round saved."), "success")
        return redirect(url_for("competitions.manage", competition_id=competition.id, _anchor="rounds"))
    return render_template("competitions/round_form.html", form=form, competition=competition, round=None)


@role_required("trainer", "admin")
def edit_round(competition_id: int, round_id: int):
    """Change a round: everything while it is a draft, less once it runs (`editing`). What is fixed shows
    disabled; a post that changes it anyway is refused, naming the field, and nothing changes."""
    competition = managed(competition_id)
    round_ = round_of(competition, round_id)
    scored = setup.scored(round_)
    fixed = [FORM_FIELD.get(name, name) for name in editing.fixed(round_.state, scored=scored)]
    shown = _shown(round_)
    form = (
        RoundForm(formdata=keep_disabled(request.form, shown, fixed)) if request.method == "POST" else shown
    )
    form.fixed = frozenset(fixed)
    _fill(form, competition, round_)
    refused = []
    if form.validate_on_submit():
        changes = editing.changes(_settings(shown), _settings(form))
        refused = [
            _("Blueprint") if name == "blueprint" else form[FORM_FIELD.get(name, name)].label.text
            for name in editing.refused(round_.state, changes, scored=scored)
        ]
        if not refused:
            now = utcnow()
            try:
                setup.edit_round(round_, changes, now=now, by=current_user, reason=form.reason.data or "")
            except setup.SetupError as error:
                form.reason.errors.append(_(str(error)))
            else:
                if editing.rescores(round_.kind, round_.state, changes):
                    round_scores.rescore(round_, now, by=current_user)
                integrity.save_settings(form.integrity, round_=round_)
                db.session.commit()
                flash(_("Round saved."), "success")
                return redirect(
                    url_for("competitions.round_overview", competition_id=competition.id, round_id=round_.id)
                )
    if request.method == "POST":
        restore(form, shown, fixed)  # what is fixed shows as stored, whatever was posted for it
    return render_template(
        "competitions/round_form.html",
        form=form,
        competition=competition,
        round=round_,
        fixed=fixed,
        why_fixed=editing.why_fixed(round_.state, scored=scored),
        refused=refused,
    )


@role_required("trainer", "admin")
def move_round(competition_id: int, round_id: int, target: str):
    """Open or close a round. A case round going to reviewing gets its peer reviews allocated; closing its
    reviews settles every entry with the reviews it has."""
    competition = managed(competition_id)
    round_ = round_of(competition, round_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    now = utcnow()
    try:
        setup.move_round(round_, target, now)
        if target == states.REVIEWING and round_.peer_weight > 0:
            peer.allocate(round_)
        if target in (states.REVIEWING, states.CLOSED) and round_.kind == "case":
            round_scores.settle_round(round_, now)
    except (setup.SetupError, peer.ReviewError) as error:
        db.session.rollback()
        flash(_(str(error)), "warning")
    except allocation.InfeasibleAllocation as error:
        db.session.rollback()
        flash(_("Peer reviews cannot be allocated: %(why)s", why=str(error)), "danger")
    else:
        db.session.commit()
        flash(_("Round moved on."), "success")
    return redirect(url_for("competitions.round_overview", competition_id=competition.id, round_id=round_.id))


@role_required("trainer", "admin")
def round_overview(competition_id: int, round_id: int):
    """The round, its entries fifty a page (filtered by name, employee number or branch, and by state),
    as read and scored once and kept while nothing changes (`kept_rounds`): a fixed number of statements."""
    competition = managed(competition_id)
    round_ = round_of(competition, round_id)
    kept = kept_rounds.read(round_)
    data, scored = kept.data, kept.scored
    wanted = (request.args.get("q") or "").strip()
    state = request.args.get("state", "") if request.args.get("state") in round_list.STATES else ""
    every = round_list.rows(data, scored)
    page = round_list.Page(round_list.matching(every, wanted, state), request.args.get("page", 1, type=int))
    authors = data.participants
    listed = {authors[r.entry.user_id].id for r in page.items if r.entry.user_id in authors}
    return render_template(
        "competitions/round_overview.html",
        competition=competition,
        round=round_,
        page=page,
        total=len(every),
        wanted=wanted,
        state=state,
        states=round_list.STATES,
        authors=data.authors,
        pending=[a for a in data.allocations if a.state == "assigned"],
        grades={p: g for p, g in kept.grades.items() if p in listed},  # the participants on the page
        model=scored.model if scored is not None else None,
        names=data.names,
        qualifiers=setup.qualifiers(round_) if round_.qualify_from_id else None,
        next_states=states.next_round_states(round_.kind, round_.state),
        label=peer.label,
        form=ActionForm(),
        now=utcnow(),  # whether the round's closing time has passed
    )


@role_required("trainer", "admin")
def round_export(competition_id: int, round_id: int):
    """The round's entries and scores as XLSX, filtered as the overview is (written row by row)."""
    competition = managed(competition_id)
    round_ = round_of(competition, round_id)
    kept = kept_rounds.read(round_)
    wanted = (request.args.get("q") or "").strip()
    state = request.args.get("state", "") if request.args.get("state") in round_list.STATES else ""
    found = round_list.matching(round_list.rows(kept.data, kept.scored), wanted, state)
    headers = [_("Entry"), _("Employee number"), _("Name"), _("Branch"), _("Status"), _("How"), _("Score")]

    def lines():
        for r in found:
            label = peer.label(round_, r.entry.id) if round_.kind == "case" else r.entry.id
            how = _(r.score.rule) if r.score is not None else ""
            status = _(round_list.STATES[r.state]) if r.state else ""
            score = round(r.round_score, 2) if r.round_score is not None else None
            yield [label, r.employee_no, r.name, r.branch, status, how, score]

    book = export.write_xlsx(round_.title, headers, lines())
    return send_file(
        book, mimetype=export.XLSX, as_attachment=True, download_name=f"round-{round_.id}.xlsx", max_age=0
    )


@role_required("trainer", "admin")
def reallocate(competition_id: int, round_id: int):
    competition = managed(competition_id)
    round_ = round_of(competition, round_id)
    if not ActionForm().validate_on_submit() or round_.kind != "case":
        abort(400)
    try:
        result = peer.reallocate_missing(round_, utcnow())
    except peer.ReviewError as error:
        flash(_(str(error)), "warning")
    else:
        round_scores.settle_round(round_, utcnow())
        db.session.commit()
        flash(
            _(
                "%(moved)d reviews moved; %(flagged)d flagged for a judge.",
                moved=len(result.moves),
                flagged=len(result.flagged),
            ),
            "success",
        )
    return redirect(url_for("competitions.round_overview", competition_id=competition.id, round_id=round_.id))


@role_required("trainer", "admin")
def recompute(competition_id: int, round_id: int):
    competition = managed(competition_id)
    round_ = round_of(competition, round_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    changed = round_scores.settle_round(round_, utcnow()) if round_.kind == "case" else 0
    db.session.commit()
    flash(_("%(count)d scores changed.", count=changed), "success")
    return redirect(url_for("competitions.round_overview", competition_id=competition.id, round_id=round_.id))


@role_required("trainer", "admin")
def qualify(competition_id: int, round_id: int):
    competition = managed(competition_id)
    round_ = round_of(competition, round_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        chosen = setup.confirm_qualifiers(round_)
    except setup.SetupError as error:
        flash(_(str(error)), "warning")
    else:
        db.session.commit()
        flash(_("%(count)d finalists confirmed.", count=len(chosen)), "success")
    return redirect(url_for("competitions.round_overview", competition_id=competition.id, round_id=round_.id))


@role_required("trainer", "admin")
def entry_detail(competition_id: int, round_id: int, entry_id: int):
    """How an entry's score was reached, every step (organisers see the reviewers' names here)."""
    competition = managed(competition_id)
    round_ = round_of(competition, round_id)
    kept = kept_rounds.read(round_)
    data = kept.data
    author = data.authors.get(entry_id)
    if author is None:
        abort(404)
    if kept.scored is not None:
        explained = kept.scored.scores[entry_id]
    else:
        explained = round_scores.entry_score(round_, data.attempt(entry_id), author, data=data)
    by_id = events.names({r.reviewer_id for _n, r in explained.reviews})
    names = {n: by_id.get(r.reviewer_id, "") for n, r in explained.reviews}
    return render_template(
        "competitions/entry.html",
        competition=competition,
        round=round_,
        author=author,
        author_name=data.people[author.user_id].name,
        label=peer.label(round_, entry_id),
        explained=explained,
        names=names,
    )
