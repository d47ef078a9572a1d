"""Who may open a competition's pages, for the views: the competition and round a URL names, loaded once,
or a 404 (anyone outside it: as if it did not exist) or a 403 (an organiser's page of someone else's
competition). The rule itself is pure (`rules.states.organises`); here it meets the signed-in user."""

from __future__ import annotations

from flask import abort, current_app
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from drill.competitions import schedule
from drill.competitions.models import Competition, Participant, Round
from drill.competitions.rules import states
from drill.competitions.rules.states import ORGANISER_ROLES, organises
from drill.database import utcnow
from drill.extensions import db


def grace() -> float:
    return float(current_app.config["DEADLINE_GRACE_SECONDS"])


def may_see(state: str, *, organiser: bool, participant: bool, judge: bool) -> bool:
    """A competition is for its participants (disqualified ones too), its judges and its organisers;
    a draft only for its organisers. Anyone else gets a 404, as if it did not exist."""
    return organiser or ((participant or judge) and state != states.DRAFT)


def is_organiser(competition: Competition) -> bool:
    return organises(current_user, competition.created_by_id, current_user.has_role(*ORGANISER_ROLES))


def me_in(competition: Competition) -> Participant | None:
    return db.session.scalar(
        select(Participant).where(
            Participant.competition_id == competition.id, Participant.user_id == current_user.id
        )
    )


def judges_in(competition: Competition) -> bool:
    return any(j.user_id == current_user.id for r in competition.rounds for j in r.judges)


def load_competition(competition_id: int) -> Competition:
    """The competition with its rounds and their judges, which every competition page reads (404 if none):
    three statements however many rounds it has."""
    judges = selectinload(Competition.rounds).selectinload(Round.judges)  # their users: `round_data.panel`
    return db.get_or_404(Competition, competition_id, options=[judges])


def visible_competition(competition_id: int) -> tuple[Competition, Participant | None]:
    """The competition, for its participants, judges and organisers; anyone else gets a 404."""
    competition = load_competition(competition_id)
    participant = me_in(competition)
    organiser = is_organiser(competition)
    judge = participant is None and not organiser and judges_in(competition)  # asked only when it decides
    if not may_see(competition.state, organiser=organiser, participant=participant is not None, judge=judge):
        abort(404)
    schedule.opened_on_read(competition, utcnow())
    return competition, participant


def round_of(competition: Competition, round_id: int) -> Round:
    found = next((r for r in competition.rounds if r.id == round_id), None)
    if found is None:
        abort(404)
    return found


def managed(competition_id: int) -> Competition:
    """The organiser's competition, its rounds whose time has come opened (schedule.py)."""
    competition = load_competition(competition_id)
    if not is_organiser(competition):
        abort(403, _("This competition is not yours: your account manages only the competitions it set up."))
    schedule.opened_on_read(competition, utcnow())
    return competition
