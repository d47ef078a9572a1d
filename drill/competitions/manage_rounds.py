"""The organiser's rounds: define, open and close; allocate and reallocate peer reviews; recompute a
round; confirm the finalists; read how any entry's score was reached."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from drill.accounts.access import role_required
from drill.accounts.models import User, UserRole
from drill.accounts.roles import LEVELS
from drill.competitions import allocation, content, entries, peer, scoring, setup, states
from drill.competitions.forms import ActionForm, RoundForm
from drill.competitions.manage import managed, to_utc
from drill.competitions.models import RoundJudge
from drill.competitions.views import bp, grace, round_of
from drill.content import catalog
from drill.content.questions import REGISTRY
from drill.database import utcnow
from drill.extensions import db
from drill.forms import options

KINDS = {"written": _l("Written round"), "case": _l("Case round"), "judged": _l("Judged round (live)")}


def _fill(form: RoundForm, competition) -> None:
    anything = [("", _("Any"))]
    none = [(0, "—")]
    form.kind.choices = options(KINDS.items())
    form.case_pack.choices = options(none + [(p.id, p.title) for p in content.case_packs()])
    form.rubric_pack.choices = options(none + [(p.id, p.title) for p in content.rubric_packs()])
    form.qualify_from.choices = options(none + [(r.id, r.title) for r in competition.rounds])
    judges = db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == "judge", User.active.is_(True)).order_by(User.name)
    )
    form.judges.choices = options((u.id, u.name) for u in judges)
    types = sorted((t for t in REGISTRY.values() if t.name != "open"), key=lambda t: t.rank)
    for entry in form.cells.entries:
        cell = entry.form
        cell.theme.choices = options(anything + catalog.theme_choices())
        cell.competency.choices = options(anything + catalog.competency_choices())
        cell.type.choices = options(anything + [(t.name, t.names[0]) for t in types])
        cell.level.choices = options([*anything, *((key, str(label)) for key, label in LEVELS.items())])


def _blueprint(form: RoundForm) -> list[dict]:
    return [
        {
            "part": c.part.data.strip() or "written",
            "count": c.count.data,
            "points": float(c.points.data),
            "theme": c.theme.data or None,
            "competency": c.competency.data or None,
            "type": c.type.data or None,
            "difficulty": [c.difficulty_min.data or 1, c.difficulty_max.data or 5]
            if c.difficulty_min.data or c.difficulty_max.data
            else None,
            "level": c.level.data or None,
        }
        for c in (entry.form for entry in form.cells.entries)
        if c.count.data
    ]


@bp.route("/<int:competition_id>/rounds/new", methods=["GET", "POST"])
@role_required("trainer", "admin")
def new_round(competition_id: int):
    competition = managed(competition_id)
    form = RoundForm()
    _fill(form, competition)
    if form.validate_on_submit():
        kind = form.kind.data
        round_ = setup.add_round(
            competition,
            kind=kind,
            title=form.title.data.strip(),
            weight=float(form.weight.data),
            opens_at=to_utc(form.opens_at.data),
            closes_at=to_utc(form.closes_at.data),
            time_limit_minutes=form.time_limit_minutes.data,
            blueprint=_blueprint(form) if kind == "written" else None,
            speed_bonus=form.speed_bonus.data and kind == "written",
            speed_floor=float(form.speed_floor.data if form.speed_floor.data is not None else 0.8),
            case_pack_id=form.case_pack.data or None,
            rubric_pack_id=form.rubric_pack.data or None,
            peer_weight=float(form.peer_weight.data or 0) if kind == "case" else 0.0,
            judge_weight=float(form.judge_weight.data or 0) if kind == "case" else 1.0,
            review_closes_at=to_utc(form.review_closes_at.data),
            disagreement=float(form.disagreement.data if form.disagreement.data is not None else 20),
            qualify_from_id=form.qualify_from.data or None,
            qualify_top_n=form.qualify_top_n.data,
            qualify_per_branch=form.qualify_per_branch.data,
        )
        round_.judges = [RoundJudge(user_id=u) for u in form.judges.data]
        db.session.commit()
        flash(_("Round saved."), "success")
        return redirect(url_for("competitions.manage", competition_id=competition.id, _anchor="rounds"))
    return render_template("competitions/round_form.html", form=form, competition=competition)


@bp.route("/<int:competition_id>/rounds/<int:round_id>/state/<target>", methods=["POST"])
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
            scoring.settle_round(round_, now)
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


@bp.route("/<int:competition_id>/rounds/<int:round_id>/manage")
@role_required("trainer", "admin")
def round_overview(competition_id: int, round_id: int):
    competition = managed(competition_id)
    round_ = round_of(competition, round_id)
    now = utcnow()
    if round_.state == states.OPEN and entries.close_overdue(round_, now, grace()):
        db.session.commit()
    authors = peer.authors(round_) if round_.kind == "case" else {}
    scored = {e: scoring.entry_score(round_, peer.entry(e), p) for e, p in authors.items()}
    return render_template(
        "competitions/round_overview.html",
        competition=competition,
        round=round_,
        entries=entries.entries(round_),
        authors=authors,
        scored=scored,
        pending=peer.pending(round_) if round_.kind == "case" else [],
        allocations=peer.allocations(round_) if round_.kind == "case" else [],
        grades=scoring.reviewing_grades(round_) if round_.kind == "case" else {},
        people={p.id: p for p in setup.participants(competition)},
        qualifiers=setup.qualifiers(round_) if round_.qualify_from_id else None,
        next_states=states.next_round_states(round_.kind, round_.state),
        label=peer.label,
        form=ActionForm(),
        now=now,
    )


@bp.route("/<int:competition_id>/rounds/<int:round_id>/reallocate", methods=["POST"])
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
        scoring.settle_round(round_, utcnow())
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


@bp.route("/<int:competition_id>/rounds/<int:round_id>/recompute", methods=["POST"])
@role_required("trainer", "admin")
def recompute(competition_id: int, round_id: int):
    competition = managed(competition_id)
    round_ = round_of(competition, round_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    changed = scoring.settle_round(round_, utcnow()) if round_.kind == "case" else 0
    db.session.commit()
    flash(_("%(count)d scores changed.", count=changed), "success")
    return redirect(url_for("competitions.round_overview", competition_id=competition.id, round_id=round_.id))


@bp.route("/<int:competition_id>/rounds/<int:round_id>/qualify", methods=["POST"])
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


@bp.route("/<int:competition_id>/rounds/<int:round_id>/entries/<int:entry_id>")
@role_required("trainer", "admin")
def entry_detail(competition_id: int, round_id: int, entry_id: int):
    """How an entry's score was reached, every step (organisers see the reviewers' names here)."""
    competition = managed(competition_id)
    round_ = round_of(competition, round_id)
    author = peer.authors(round_).get(entry_id)
    if author is None:
        abort(404)
    explained = scoring.entry_score(round_, peer.entry(entry_id), author)
    by_id = {p.id: p.user.name for p in setup.participants(competition)}
    names = {n: by_id.get(r.reviewer_id, "") for n, r in explained.reviews}
    return render_template(
        "competitions/entry.html",
        competition=competition,
        round=round_,
        author=author,
        label=peer.label(round_, entry_id),
        explained=explained,
        names=names,
    )
