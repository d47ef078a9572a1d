"""The state machines of a competition and of its rounds: a table of allowed moves; nothing moves back.

A competition is prepared (draft), runs (open) and ends (finished); its final board is then published
(`published_at`), and only then: a board published earlier would show live scores as final and undo the
freeze. A round is prepared (draft), takes entries (open) and ends (closed); a case round has a
reviewing stage between, while peers score the entries.
"""

DRAFT, OPEN, REVIEWING, CLOSED, FINISHED = "draft", "open", "reviewing", "closed", "finished"

COMPETITION = {DRAFT: frozenset({OPEN}), OPEN: frozenset({FINISHED}), FINISHED: frozenset()}
ROUND = {
    DRAFT: frozenset({OPEN}),
    OPEN: frozenset({REVIEWING, CLOSED}),
    REVIEWING: frozenset({CLOSED}),
    CLOSED: frozenset(),
}


def can_publish(state: str) -> bool:
    return state == FINISHED


def can_move(table: dict, current: str, target: str) -> bool:
    return target in table.get(current, frozenset())


def next_round_states(kind: str, current: str) -> list[str]:
    """Where an organiser may move a round of `kind` from `current`: a case round goes through reviewing."""
    if kind == "case" and current == OPEN:
        return [REVIEWING]
    if kind != "case" and current == OPEN:
        return [CLOSED]
    return sorted(ROUND.get(current, frozenset()))


def opens_by_schedule(
    round_state: str, competition_state: str, opens_at, now, awaiting_finalists: bool = False
) -> bool:
    """A draft round with an opening time opens by itself once that time has come, while its competition
    runs: nobody has to click "open" for each round. An organiser holds a round by leaving its opening time
    empty (it then waits for their click), and a final waits until its finalists are confirmed."""
    return (
        round_state == DRAFT
        and competition_state == OPEN
        and opens_at is not None
        and opens_at <= now
        and not awaiting_finalists
    )


def judging_open(round_state: str) -> bool:
    """Judges score a round once it has opened, never a draft: until then its rubric may still change."""
    return round_state != DRAFT


def examples_open(round_state: str) -> bool:
    """A case's scored example answers (model essays, objective keys) are shown for calibration only once
    entries are closed: earlier, a participant could copy them into their own entry."""
    return round_state in (REVIEWING, CLOSED)


ORGANISER_ROLES = ("trainer", "admin")


def organises(user, created_by_id: int, has_organiser_role: bool) -> bool:
    """Trainers and admins; one limited to a subtree only for the competitions they created."""
    return has_organiser_role and (user.scope_branch_id is None or created_by_id == user.id)
