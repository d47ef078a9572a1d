"""Level changes beyond the rules' run: an admin's proposal by hand (with a reason; approved like any
other, and, as any other, at most one pending per manager), and why the rules propose nothing for a
manager today. Services flush; the views commit."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import contains_eager

from drill.accounts.models import Branch, User, UserRole
from drill.appraisal.level_changes import (
    APPROVED,
    PROPOSED,
    _blocked,
    _certificates,
    _changes,
    _histories,
    _since,
    _store,
)
from drill.appraisal.models import LevelChange
from drill.appraisal.rules.levels import LevelRules, Proposal, assess
from drill.appraisal.services import AppraisalError
from drill.messages import N_, Message

BY_HAND = N_("proposed by hand: %(reason)s")


def propose_by_hand(
    user: User, to_level: str, reason: str, rules: LevelRules, by: User, today: date
) -> LevelChange:
    """An admin's proposal to move `user` to `to_level` one step up or down the ladder of their category."""
    reason = reason.strip()
    if not reason:
        raise AppraisalError(N_("say why the level should change"))
    if not user.has_role("manager") or not user.category or not user.level:
        raise AppraisalError(N_("only a customer manager with a category and a level has a level to change"))
    rule = rules.categories.get(user.category)
    if rule is None or user.level not in rule.ladder or to_level not in rule.ladder:
        raise AppraisalError(N_("no level rule covers this manager's category and level"))
    step = rule.ladder.index(to_level) - rule.ladder.index(user.level)
    if step not in (-1, 1):
        raise AppraisalError(N_("a level changes one step at a time, up or down"))
    changes = _changes([user.id])[user.id]
    if any(c.state == PROPOSED or (c.state == APPROVED and c.applied_at is None) for c in changes):
        raise AppraisalError(N_("this manager already has a change waiting: decide it first"))
    proposal = Proposal(
        user.category,
        user.level,
        to_level,
        "up" if step > 0 else "down",
        (Message(BY_HAND, reason=reason),),
        (),
        None,
        today,
    )
    change = _store(user, proposal, by)
    if change is None:  # another admin's proposal for the same manager, at the same moment
        raise AppraisalError(N_("this manager already has a change waiting: decide it first"))
    return change


def why_none(users: list[User], rules: LevelRules, today: date) -> dict[int, list[Message]]:
    """For each manager the rules propose nothing for today: why (a waiting change, or the first
    condition that fails). Managers the rules would propose a change for are left out. `users`: a page
    of them (`managers`), each read in one query per kind of evidence."""
    if not users:
        return {}
    ids = [u.id for u in users]
    histories, held, changes = _histories(ids), _certificates(ids), _changes(ids)
    out: dict[int, list[Message]] = {}
    for user in users:
        mine = changes[user.id]
        if any(c.state == PROPOSED for c in mine):
            out[user.id] = [Message(N_("a proposal is waiting for a decision"))]
            continue
        if any(c.state == APPROVED and c.applied_at is None for c in mine):
            out[user.id] = [Message(N_("an approved change has not taken effect yet"))]
            continue
        if not user.category or not user.level:
            out[user.id] = [Message(N_("no category or level is set"))]
            continue
        proposal, why = assess(
            rules, histories[user.id], held[user.id], user.level, user.category, today, _since(mine)
        )
        if proposal is None:
            out[user.id] = why
        elif _blocked(mine, proposal):
            out[user.id] = [Message(N_("the same change on the same periods was rejected"))]
    return out


def _managers(path: str | None) -> Select:
    ids = select(UserRole.user_id).where(UserRole.role == "manager")
    query = (
        select(User).join(Branch, Branch.id == User.branch_id).where(User.id.in_(ids), User.active.is_(True))
    )
    return query if path is None else query.where(Branch.path.startswith(path, autoescape=True))


def managers(path: str | None, term: str = "") -> Select:
    """The active customer managers (in the branch subtree `path`, None: all) whose name contains `term`
    or whose employee number is `term`, by employee number: a SELECT to page through (a province has
    50,000)."""
    query = _managers(path).options(contains_eager(User.branch)).order_by(User.employee_no)
    if term:
        query = query.where(or_(User.name.contains(term, autoescape=True), User.employee_no == term))
    return query
