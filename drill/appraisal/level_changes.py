"""Level changes: the level rules (levels.propose, pure) run over each manager's published grades and
certificates; an admin approves a proposal with the date it takes effect, and the history keeps every
proposal, approved or rejected. Services flush; the views commit.

The manager's level changes on the effective date (local days), not at the approval: an approval dated
today or earlier applies at once; a later one waits, and `apply_due` applies it when its day comes (run by
`drill housekeeping` and, in passing, by the app itself — see drill/housekeeping.py). `applied_at` says
when it happened.

Only periods that began on or after the effective date of the manager's last approved change count
(`_since`), so one run of good periods moves a manager once. A proposal already pending, an approved one
not yet in effect, or one rejected on the very same periods, is not made again; the partial unique index
on pending proposals makes that hold when two admins run the rules at the same moment.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from drill.accounts.models import User, UserRole
from drill.accounts.services import named_users
from drill.appraisal.evidence import local_day
from drill.appraisal.models import AuditLog, LevelChange, Period, Record
from drill.appraisal.rules import states
from drill.appraisal.rules.levels import Graded, Held, Proposal, propose
from drill.appraisal.services import AppraisalError, audit, level_rules, pure_period
from drill.exams.models import Certificate
from drill.extensions import db
from drill.messages import N_, Message

PROPOSED, APPROVED, REJECTED = "proposed", "approved", "rejected"
# The levels page shows each change's manager, branch and decider: loaded with the changes, not one by one.
WITH_PEOPLE = (
    selectinload(LevelChange.user).selectinload(User.branch),
    named_users(LevelChange.decided_by),
)


def _histories(users) -> dict[int, list[Graded]]:
    """Each user's published grades, oldest first; `users` a list of ids or a SELECT of them."""
    rows = db.session.execute(
        select(Record, Period)
        .join(Period, Period.id == Record.period_id)
        .where(Record.user_id.in_(users), Period.state.in_(states.FINAL))
        .order_by(Period.ends_on)
    ).all()
    found = defaultdict(list)
    for record, period in rows:
        found[record.user_id].append(Graded(pure_period(period), record.band, record.vetoed))
    return found


def _certificates(users) -> dict[int, list[Held]]:
    rows = db.session.scalars(
        select(Certificate).where(Certificate.user_id.in_(users), Certificate.revoked_at.is_(None))
    )
    found = defaultdict(list)
    for c in rows:
        found[c.user_id].append(Held(c.level, c.category, c.issued_on, c.valid_until, c.number))
    return found


def _changes(users) -> dict[int, list[LevelChange]]:
    found = defaultdict(list)
    for change in db.session.scalars(select(LevelChange).where(LevelChange.user_id.in_(users))):
        found[change.user_id].append(change)
    return found


def certificates(user: User) -> list[Held]:
    """The certificates a manager holds (revoked ones do not count)."""
    return _certificates([user.id])[user.id]


def _since(changes: list[LevelChange]) -> date | None:
    """When the current level took effect: the latest approved change's date."""
    approved = [c for c in changes if c.state == APPROVED]
    return max(approved, key=lambda c: (c.effective_date, c.id)).effective_date if approved else None


def _blocked(changes: list[LevelChange], proposal: Proposal) -> bool:
    """A proposal is not made again while one is pending or approved but not yet in effect, nor when one
    on the very same periods was rejected."""
    return any(
        c.state == PROPOSED
        or (c.state == APPROVED and c.applied_at is None)
        or (c.state == REJECTED and c.to_level == proposal.to_level and c.periods == list(proposal.periods))
        for c in changes
    )


def _already(user: User, proposal: Proposal) -> bool:
    return _blocked(_changes([user.id])[user.id], proposal)


def propose_all(by: User, now: datetime) -> list[LevelChange]:
    """Run the level rules for every active manager; store the new proposals. Reads every manager's
    grades, certificates and level changes in one query each, not per manager."""
    rules = level_rules()
    if rules is None:
        raise AppraisalError(N_("content/appraisal has no valid level rules"))
    apply_due(now)  # a change whose day has come moves the level the rules start from
    ids = (
        select(User.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.active.is_(True), UserRole.role == "manager")
    )
    managers = db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.employee_no)).all()
    histories, held, changes = _histories(ids), _certificates(ids), _changes(ids)
    made = []
    for user in managers:
        if not user.category or not user.level:
            continue
        mine = changes[user.id]
        proposal = propose(
            rules, histories[user.id], held[user.id], user.level, user.category, local_day(now), _since(mine)
        )
        if proposal is None or _blocked(mine, proposal):
            continue
        change = _store(user, proposal, by)
        if change is not None:
            made.append(change)
    return made


def _store(user: User, proposal: Proposal, by: User) -> LevelChange | None:
    """Insert the proposal in a savepoint: None when another admin's run stored one for the user first."""
    try:
        with db.session.begin_nested():
            change = _insert(user, proposal)
    except IntegrityError:
        return None
    audit(
        by,
        "level",
        change.id,
        "propose",
        subject=user,
        old={"level": user.level},
        new={"level": change.to_level},
        reason=proposal.reason,
    )
    return change


def _insert(user: User, proposal: Proposal) -> LevelChange:
    change = LevelChange(
        user_id=user.id,
        category=proposal.category,
        from_level=proposal.from_level,
        to_level=proposal.to_level,
        direction=proposal.direction,
        reason=[{"template": m.template, "params": m.params} for m in proposal.reasons],
        periods=list(proposal.periods),
        certificate=proposal.certificate,
        state=PROPOSED,
        proposed_on=proposal.proposed_on,
    )
    db.session.add(change)
    db.session.flush()
    return change


def reasons(change: LevelChange) -> list[Message]:
    return [Message(r["template"], **r["params"]) for r in change.reason]


def proposer_id(change: LevelChange) -> int | None:
    """Who proposed the change: the actor of its `propose` entry in the audit log."""
    return db.session.scalar(
        select(AuditLog.actor_id)
        .where(AuditLog.entity == "level", AuditLog.entity_id == change.id, AuditLog.action == "propose")
        .order_by(AuditLog.id)
        .limit(1)
    )


def proposed_by(changes: list[LevelChange], user: User) -> set[int]:
    """The ids of those changes that `user` proposed, in one query (every change they proposed, kept here:
    a province's pending changes would overflow an IN list)."""
    if not changes:
        return set()
    mine = db.session.scalars(
        select(AuditLog.entity_id).where(
            AuditLog.entity == "level", AuditLog.action == "propose", AuditLog.actor_id == user.id
        )
    )
    return set(mine) & {c.id for c in changes}


def decide(
    change: LevelChange,
    by: User,
    approve: bool,
    now: datetime,
    effective: date | None,
    note: str,
    *,
    four_eyes: bool = True,
) -> None:
    """Approve (the level changes on `effective`: at once when that day has come) or reject a pending
    proposal; audited.

    Four eyes: the admin who proposed a change cannot approve it (they may reject it). A one-person branch
    turns the rule off (`four_eyes=False`, config LEVEL_FOUR_EYES); the approval's audit entry then says
    it was the proposer's own (`self_approved`)."""
    if change.state != PROPOSED:
        raise AppraisalError(N_("this proposal has already been decided"))
    self_approved = approve and proposer_id(change) == by.id
    if self_approved and four_eyes:
        raise AppraisalError(
            N_("you proposed this change, so another admin must approve it (four-eyes rule)")
        )
    user = db.session.get(User, change.user_id)  # one manager: the identity map, or one query
    if approve and user.level != change.from_level:
        raise AppraisalError(
            N_("the manager's level is no longer %(level)s; propose again"), level=change.from_level
        )
    if approve and effective is None:
        raise AppraisalError(N_("an approval needs the date it takes effect"))
    if not approve and not note.strip():
        raise AppraisalError(N_("a rejection needs a note saying why"))
    change.decided_by_id, change.decided_at, change.decision_note = by.id, now, note.strip()
    if approve:
        change.state, change.effective_date = APPROVED, effective
        audit(
            by,
            "level",
            change.id,
            "approve",
            subject=user,
            old={"level": user.level},
            new={
                "level": change.to_level,
                "effective_date": effective.isoformat(),
                **({"self_approved": True} if self_approved else {}),
            },
            reason=note.strip() or "; ".join(map(str, reasons(change))),
        )
        db.session.flush()
        if effective <= local_day(now):
            _apply(change, now)
    else:
        change.state = REJECTED
        audit(
            by,
            "level",
            change.id,
            "reject",
            subject=user,
            old={"level": user.level},
            new={"level": user.level},
            reason=note.strip(),
        )
    db.session.flush()


def _apply(change: LevelChange, now: datetime) -> bool:
    """Set the manager's level, once: the guarded UPDATE lets one process of several do it."""
    claimed = db.session.execute(
        update(LevelChange)
        .where(LevelChange.id == change.id, LevelChange.applied_at.is_(None))
        .values(applied_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        return False
    db.session.refresh(change)
    user = db.session.get(User, change.user_id)  # one manager: the identity map, or one query
    old = {"level": user.level}
    user.level = change.to_level
    audit(
        None,
        "level",
        change.id,
        "apply",
        subject=user,
        old=old,
        new={"level": user.level, "effective_date": change.effective_date.isoformat()},
        reason=change.decision_note,
    )
    db.session.flush()
    return True


def apply_due(now: datetime) -> int:
    """Apply every approved change whose effective date has come; returns how many."""
    today = local_day(now)
    due = db.session.scalars(
        select(LevelChange)
        .where(
            LevelChange.state == APPROVED,
            LevelChange.applied_at.is_(None),
            LevelChange.effective_date <= today,
        )
        .order_by(LevelChange.effective_date, LevelChange.id)
    ).all()
    return sum(_apply(change, now) for change in due)


def waiting(user: User) -> LevelChange | None:
    """An approved change of the user's level that has not taken effect yet."""
    return db.session.scalar(
        select(LevelChange)
        .where(
            LevelChange.user_id == user.id,
            LevelChange.state == APPROVED,
            LevelChange.applied_at.is_(None),
        )
        .order_by(LevelChange.effective_date)
        .limit(1)
    )


def pending() -> list[LevelChange]:
    return list(
        db.session.scalars(
            select(LevelChange)
            .where(LevelChange.state == PROPOSED)
            .options(*WITH_PEOPLE)
            .order_by(LevelChange.proposed_on, LevelChange.id)
        )
    )


def of_user(user: User) -> list[LevelChange]:
    return list(
        db.session.scalars(
            select(LevelChange).where(LevelChange.user_id == user.id).order_by(LevelChange.id.desc())
        )
    )
