"""Round scores of case and judged rounds, from reviews and judges' sheets, recorded as score events.

Case round. The reviews and judges score the rubric (on 100). The rubric total that counts is

- peers only (judge weight 0): the peer score (`aggregation.explain`: calibration-weighted, the outlier
  trimmed); an entry the peers disagree on (or with too few reviews) waits for a judge, whose score decides;
- judges only (peer weight 0): the judges' score (`judging.judged_score`);
- both: (wp × peer + wj × judges) / (wp + wj), from the two parts as shown (two decimals, half up), so
  the page's arithmetic adds up; when the peers disagree, the judges' score alone. An entry whose judges
  have not all scored waits for them ("awaiting a judge"): a missing judge never counts as 0.

The peer score is taken once every active allocation of the entry is reviewed or flagged (or the round's
reviews are closed). The round score then follows the case's own rule (`drill.content.cases`): open tasks
earn their points × rubric total / 100, auto-scored tasks their own points, and the round score is
100 × earned / the case's points.

Judged round: the judges' score, once every assigned judge has scored and the entry is locked.
Every new or changed score is a score event (`events.record_if_changed`), so recomputing adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from drill.competitions import aggregation, events, judged, peer, states
from drill.competitions.calibration import EQUAL_WEIGHT
from drill.competitions.judging import JudgedScore, two_decimals
from drill.competitions.models import Participant, Round
from drill.drills.models import Attempt
from drill.messages import N_

PEER, DECIDED, MIX, JUDGES, AWAITING_REVIEWS, AWAITING_JUDGE = (
    N_("peer"),
    N_("decided by a judge"),
    N_("peer and judges"),
    N_("judges"),
    N_("awaiting reviews"),
    N_("awaiting a judge"),
)


@dataclass
class EntryScore:
    peer: aggregation.PeerScore | None
    reviews: list  # (reviewer number, PeerReview)
    judges: JudgedScore | None
    rubric: float | None  # the rubric total that counts (on 100)
    score: float | None  # the round score on 100
    rule: str  # one of the constants above
    mix: str | None = None  # MIX: "(0.6 × 78.50 + 0.4 × 88.75) / (0.6 + 0.4) = 82.60"


def case_percent(items, rubric_total: float) -> float:
    """The case rule: open tasks share the rubric total by their points; auto-scored ones earn their own."""
    earned = full = 0.0
    for item in items:
        points = float(item.points or 0.0)
        full += points
        earned += points * rubric_total / 100 if item.earned is None else float(item.earned)
    return 100 * earned / full if full else 0.0


def _complete(round_: Round, entry_id: int) -> bool:
    if round_.state == states.CLOSED:
        return True
    return not any(a.state == "assigned" for a in peer.allocations(round_, entry_id=entry_id))


def entry_score(round_: Round, attempt: Attempt, participant: Participant) -> EntryScore:
    reviews = peer.reviews_of(round_, attempt.id)
    weights = peer.weights(round_)
    explained = None
    if (
        round_.peer_weight > 0
        and round_.state in (states.REVIEWING, states.CLOSED)
        and _complete(round_, attempt.id)
    ):
        explained = aggregation.explain(
            [aggregation.Review(n, r.total, weights.get(r.reviewer_id, EQUAL_WEIGHT)) for n, r in reviews],
            aggregation.Policy(threshold=round_.disagreement),
        )
    judges = judged.result(round_, participant)
    judge_total = float(judges.score) if judges is not None and judges.score is not None else None
    wp, wj = round_.peer_weight, round_.judge_weight
    mix = None
    if wp <= 0:
        rubric, rule = judge_total, JUDGES if judge_total is not None else AWAITING_JUDGE
    elif explained is None:
        rubric, rule = None, AWAITING_REVIEWS
    elif explained.needs_judge:
        rubric, rule = judge_total, DECIDED if judge_total is not None else AWAITING_JUDGE
    elif wj <= 0:
        rubric, rule = explained.score, PEER
    elif judge_total is None:
        rubric, rule = None, AWAITING_JUDGE
    else:
        (mix, rubric), rule = _mix(wp, explained.shown, wj, judges.score), MIX
    score = None if rubric is None else case_percent(attempt.items, rubric)
    return EntryScore(explained, reviews, judges, rubric, score, rule, mix)


def _mix(wp: float, peer_score: Decimal, wj: float, judge_score: Decimal) -> tuple[str, float]:
    """The weighted mix of the two parts as shown, computed exactly: (its formula, its value)."""
    p, j = Fraction(repr(wp)), Fraction(repr(wj))
    value = (p * Fraction(peer_score) + j * Fraction(judge_score)) / (p + j)
    formula = f"({wp:g} × {peer_score} + {wj:g} × {judge_score}) / ({wp:g} + {wj:g}) = {two_decimals(value)}"
    return formula, float(value)


def settle_entry(
    round_: Round, attempt: Attempt, participant: Participant, now: datetime, by=None
) -> EntryScore:
    """Record the entry's round score if it has one and it changed."""
    result = entry_score(round_, attempt, participant)
    if result.score is not None and participant.disqualified_at is None:
        events.record_if_changed(
            round_,
            participant,
            result.score,
            completed_at=attempt.closed_at,
            reason=result.rule,
            now=now,
            by=by,
        )
    return result


def settle_participant(round_: Round, participant: Participant, now: datetime, by=None) -> None:
    """After a review or a judge's sheet: recompute that one entry."""
    if round_.kind == "judged":
        found = judged.result(round_, participant)
        if found is not None and found.score is not None and participant.disqualified_at is None:
            events.record_if_changed(
                round_,
                participant,
                float(found.score),
                completed_at=judged.lock_time(round_, participant),
                reason=N_("judges"),
                now=now,
                by=by,
            )
        return
    attempt = peer.entry(_entry_id(round_, participant))
    if attempt is not None:
        settle_entry(round_, attempt, participant, now, by)


def _entry_id(round_: Round, participant: Participant) -> int | None:
    from drill.competitions.entries import entry_of

    found = entry_of(round_, participant.user_id)
    return found.id if found is not None and found.closed else None


def settle_round(round_: Round, now: datetime, by=None) -> int:
    """Recompute every entry of the round (after reallocation, closing reviews, a judge's decision, a
    change of weights or judges); returns how many scores changed."""
    changed = 0
    if round_.kind == "judged":
        for participant in judged.scored(round_):
            before = events.current(round_.id, participant.id)
            settle_participant(round_, participant, now, by)
            changed += events.current(round_.id, participant.id) is not before
        return changed
    for entry_id, participant in peer.authors(round_).items():
        before = events.current(round_.id, participant.id)
        settle_entry(round_, peer.entry(entry_id), participant, now, by)
        changed += events.current(round_.id, participant.id) is not before
    return changed


def rescore(round_: Round, now: datetime, by=None) -> int:
    """After an organiser changed the round's weights, disagreement threshold or judges: lock the entries
    every judge now assigned has scored, then recompute every score of the round."""
    judged.lock_complete(round_, now)
    return settle_round(round_, now, by)


def disputed(round_: Round) -> list[tuple[int, Participant, EntryScore]]:
    """Entries waiting for a judge's decision: (entry id, author, how far the peers got)."""
    out = []
    for entry_id, participant in peer.authors(round_).items():
        result = entry_score(round_, peer.entry(entry_id), participant)
        if result.rule == AWAITING_JUDGE:
            out.append((entry_id, participant, result))
    return out


def reviewing_grades(round_: Round) -> dict[int, aggregation.ReviewingGrade]:
    """participant id -> how close their reviews came to the entries' final rubric totals."""
    by_entry, consensus = {}, {}
    for entry_id, participant in peer.authors(round_).items():
        result = entry_score(round_, peer.entry(entry_id), participant)
        consensus[entry_id] = result.rubric
        by_entry[entry_id] = [aggregation.Review(r.reviewer_id, r.total) for _, r in result.reviews]
    return aggregation.reviewing_grades(by_entry, consensus)
