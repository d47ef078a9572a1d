"""Setting a competition up: participants and their teams, rounds, opening and closing, qualification.

Teams. A participant's team is the branch-level unit (支行/分公司) their branch belongs to: an outlet's
parent branch, or their own branch when it is not under one. Judges get a unit the same way, for 本单位回避.
Every change the boards depend on bumps the competition's config version as it is flushed (see `boards`).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from drill.accounts.models import Branch, User
from drill.competitions import boards, enrolment, entries, events
from drill.competitions.models import Competition, JudgeScore, Participant, PeerReview, Round, RoundJudge
from drill.competitions.rules import advancement, editing, states
from drill.extensions import db
from drill.messages import N_, Message


class SetupError(Exception):
    """The change is refused; the message (an English msgid) says why."""


def _branches() -> dict[int, Branch]:
    return {b.id: b for b in db.session.scalars(select(Branch))}


def team_of(user: User, branches: dict[int, Branch] | None = None) -> int:
    """The id of the branch-level unit of the user's branch (the branch itself when none is above it)."""
    branches = branches if branches is not None else _branches()
    for branch_id in (int(x) for x in user.branch.path.strip("/").split("/") if x):
        found = branches.get(branch_id)
        if found is not None and found.kind == "branch":
            return found.id
    return user.branch_id


def create(title: str, by: User, **settings) -> Competition:
    competition = Competition(title=title, created_by=by, **settings)
    db.session.add(competition)
    db.session.flush()
    return competition


def select_users(
    *,
    branch_ids: list[int] = (),
    categories: list[str] = (),
    levels: list[str] = (),
    scope: str | None = None,
) -> list[User]:
    """Active managers chosen by branch (subtree), category and level. `scope` (a trainer's subtree path)
    limits every choice. A list of employee numbers goes through `by_numbers` instead."""
    query = (
        select(User)
        .join(User.branch)
        .options(contains_eager(User.branch), selectinload(User.role_rows))
        .where(User.active.is_(True))
        .order_by(User.employee_no)
    )
    if categories:
        query = query.where(User.category.in_(list(categories)))
    if levels:
        query = query.where(User.level.in_(list(levels)))
    if scope is not None:
        query = query.where(Branch.path.startswith(scope, autoescape=True))
    users = [u for u in db.session.scalars(query) if "manager" in u.roles]
    if branch_ids:
        paths = [b.path for b in db.session.scalars(select(Branch).where(Branch.id.in_(list(branch_ids))))]
        users = [u for u in users if any(u.branch.path.startswith(p) for p in paths)]
    return users


def by_numbers(
    competition: Competition, numbers: list[str], scope: str | None = None
) -> tuple[list[User], dict[str, list[str]]]:
    """The users a list of employee numbers adds, and {reason: numbers} for the others (`enrolment`)."""
    users = {
        u.employee_no: u
        for u in db.session.scalars(
            select(User)
            .join(User.branch)
            .options(contains_eager(User.branch), selectinload(User.role_rows))
            .where(User.employee_no.in_(set(numbers)))
        )
    }
    present = set(
        db.session.scalars(select(Participant.user_id).where(Participant.competition_id == competition.id))
    )
    accounts = {
        no: enrolment.Account(
            in_scope=scope is None or u.branch.path.startswith(scope),
            active=u.active,
            manager="manager" in u.roles,
            taking_part=u.id in present,
        )
        for no, u in users.items()
    }
    added, skipped = enrolment.screen(numbers, accounts)
    return [users[no] for no in added], skipped


def add_participants(competition: Competition, users: list[User]) -> int:
    """Register users not yet in; returns how many were added."""
    present = set(
        db.session.scalars(select(Participant.user_id).where(Participant.competition_id == competition.id))
    )
    branches = _branches()
    added = 0
    for user in users:
        if user.id not in present:
            db.session.add(
                Participant(competition_id=competition.id, user=user, team_id=team_of(user, branches))
            )
            present.add(user.id)
            added += 1
    db.session.flush()
    return added


def remove_participant(competition: Competition, participant: Participant) -> None:
    if competition.state != states.DRAFT:
        raise SetupError(N_("Once the competition runs, a participant is disqualified, not removed."))
    db.session.delete(participant)


def participants_query(competition: Competition, wanted: str = ""):
    """The competition's participants by employee number, with their users and teams (one statement);
    `wanted`: only the one with that employee number or name."""
    query = (
        select(Participant)
        .join(User, User.id == Participant.user_id)
        .options(contains_eager(Participant.user), joinedload(Participant.team))
        .where(Participant.competition_id == competition.id)
        .order_by(User.employee_no)
    )
    if wanted:
        query = query.where(or_(User.employee_no == wanted, User.name == wanted))
    return query


def participant_count(competition: Competition) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Participant).where(Participant.competition_id == competition.id)
    )


def participants(competition: Competition) -> list[Participant]:
    return list(db.session.scalars(participants_query(competition)))


def add_round(competition: Competition, judges: Iterable[int] = (), **fields) -> Round:
    """A new draft round; `judges` are user ids."""
    round_ = Round(
        competition=competition,
        position=len(competition.rounds) + 1,
        seed=random.SystemRandom().getrandbits(31),
        **fields,
    )
    round_.judges = [RoundJudge(user_id=user_id) for user_id in judges]
    db.session.add(round_)
    db.session.flush()
    return round_


def edit_round(round_: Round, changes: dict, *, now: datetime, by: User, reason: str = "") -> None:
    """Apply an organiser's changes {setting: new value} (`editing`); refused whole when one may not
    change in the round's state.

    New qualification settings undo confirmed finalists. A closed round's new weight re-weights the final
    result: like a correction it is recorded with who and why, as one score event per participant with a
    score in the round, the score unchanged. Rescoring the round,
    when `editing.rescores` says so, is the caller's next step (`scoring.rescore`).
    """
    if editing.refused(round_.state, changes, scored=scored(round_)):
        raise SetupError(N_("That setting can no longer change in this round."))
    if editing.needs_reason(round_.state, changes) and not reason.strip():
        raise SetupError(N_("Give the reason: a closed round's new weight changes the final result."))
    old_weight = round_.weight
    for name, value in changes.items():
        if name == "judges":
            _set_judges(round_, value)
        else:
            setattr(round_, name, value)
    if editing.QUALIFICATION & changes.keys():
        round_.qualified = None
    if editing.needs_reason(round_.state, changes):
        why = Message(
            N_("Round weight %(old)s → %(new)s: %(reason)s"),
            old=f"{old_weight:g}",
            new=f"{round_.weight:g}",
            reason=reason.strip(),
        ).text()
        for participant in participants(round_.competition):
            standing = events.current(round_.id, participant.id)
            if standing is not None and standing.score is not None:
                events.record(
                    round_, participant, standing.score, completed_at=standing.completed_at,
                    reason=why, now=now, by=by,
                )  # fmt: skip
    db.session.flush()


def scored(round_: Round) -> bool:
    """Has a judge or a peer scored anyone in the round yet? Then its kind, case and rubric are fixed,
    even in a draft (`editing.SCORED_ON`)."""
    judged = select(JudgeScore.id).where(JudgeScore.round_id == round_.id).limit(1)
    reviewed = select(PeerReview.id).where(PeerReview.round_id == round_.id).limit(1)
    return db.session.scalar(judged) is not None or db.session.scalar(reviewed) is not None


def _set_judges(round_: Round, user_ids: Iterable[int]) -> None:
    """Keep the judges still chosen (their rows, so the unique pair never clashes), drop the others."""
    wanted = set(user_ids)
    kept = [j for j in round_.judges if j.user_id in wanted]
    present = {j.user_id for j in kept}
    round_.judges = kept + [RoundJudge(user_id=u) for u in sorted(wanted - present)]


def move_competition(competition: Competition, target: str) -> None:
    if not states.can_move(states.COMPETITION, competition.state, target):
        raise SetupError(N_("That change of state is not allowed."))
    competition.state = target


def move_round(round_: Round, target: str, now: datetime) -> None:
    """Open a round, or close it (a written or case round's open entries close with what was saved)."""
    if not states.can_move(states.ROUND, round_.state, target) or target not in states.next_round_states(
        round_.kind, round_.state
    ):
        raise SetupError(N_("That change of state is not allowed."))
    if target == states.OPEN:
        if round_.competition.state != states.OPEN:
            raise SetupError(N_("Open the competition first."))
        if round_.qualify_from_id is not None and round_.qualified is None:
            raise SetupError(N_("Confirm who qualifies for this round first."))
        if entries.too_late_to_open(round_, now):
            raise SetupError(
                N_("The round's closing time has passed, so nobody could take part: edit the round and "
                   "give it a later closing time first, then open it.")
            )  # fmt: skip
        round_.opens_at = round_.opens_at or now
    if round_.state == states.OPEN and target in (states.REVIEWING, states.CLOSED):
        entries.close_all(round_, now)
        round_.closes_at = min(round_.closes_at or now, now)
    round_.state = target


def qualifiers(round_: Round) -> advancement.Advancement:
    """Who would advance into `round_` from its qualifying round's board (live): top N, or per branch."""
    source = round_.qualify_from
    table = boards.snapshot(round_.competition_id, live=True)
    people = [p for p in participants(round_.competition) if p.disqualified_at is None]
    found = []
    for p in people:
        row = table.row_of(p.id, str(source.id)) if table is not None else None
        score = float(row.score) if row is not None and row.completed_at is not None else None
        found.append(advancement.Qualifier(p.id, str(p.team_id), score, row.completed_at if row else None))
    return advancement.advance(found, round_.qualify_top_n or 1, per_branch=round_.qualify_per_branch)


def confirm_qualifiers(round_: Round) -> list[int]:
    if round_.qualify_from_id is None:
        raise SetupError(N_("This round takes everyone; there is nobody to qualify."))
    if round_.state != states.DRAFT:
        raise SetupError(N_("The round has started: its finalists are fixed."))
    round_.qualified = list(qualifiers(round_).advanced)
    return round_.qualified
