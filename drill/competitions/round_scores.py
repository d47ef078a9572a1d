"""Round scores of case and judged rounds, from reviews and judges' sheets, recorded as score events.

Case round. The reviews and judges score the rubric (on 100). The rubric total that counts is

- peers only (judge weight 0): the peer score (`peer_model`: each review corrected by its reviewer's
  estimated bias and weighted by their reliability, fitted on the whole round with the calibrations); an
  entry the model is unsure of (or with too few reviews) goes to a judge, whose score decides — within
  the round's judge budget, the most uncertain first (`peer_model.estimate`);
- judges only (peer weight 0): the judges' score (`judging.judged_score`);
- both: (wp × peer + wj × judges) / (wp + wj), from the two parts as shown (two decimals, half up), so
  the page's arithmetic adds up; an entry sent to a judge: the judges' score alone. An entry whose judges
  have not all scored waits for them ("awaiting a judge"): a missing judge never counts as 0.

The model reads the round as `round_input` builds it — the very JSON `drill peer-scores` reads — through
`peer_io.score`, so the command gives the app's numbers. An entry's peer score is taken once every active
allocation of the entry is reviewed or flagged (or the round is closed); while reviews come in, the
model's estimates of the reviewers sharpen, so the scores are final when the round closes (closing
settles every entry again). The round score then follows the case's own rule (`content.rules.cases`): open
tasks earn their points × rubric total / 100, auto-scored tasks their own points, and the round score is
100 × earned / the case's points, computed from the rubric total as shown (`case_formula`).

Judged round: the judges' score, once every assigned judge has scored and the entry is locked.
Every new or changed score is a score event (`events.record_if_changed`), so recomputing adds nothing.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from drill.attempts.models import Attempt
from drill.competitions import events, judge_sheets, peer, peer_io, round_data
from drill.competitions.entries import entry_of
from drill.competitions.models import Participant, Round
from drill.competitions.round_data import RoundData
from drill.competitions.rules import aggregation, peer_model, states
from drill.competitions.rules.judging import JudgedScore, two_decimals
from drill.messages import N_

PEER, DECIDED, MIX, JUDGES, AWAITING_REVIEWS, AWAITING_JUDGE = (
    N_("peer"),
    N_("decided by a judge"),
    N_("peer and judges"),
    N_("judges"),
    N_("awaiting reviews"),
    N_("awaiting a judge"),
)
MIN_REVIEWS = 2  # a lone review is not a consensus


@dataclass
class EntryScore:
    peer: peer_model.EntryResult | None
    reviews: list  # (reviewer number, PeerReview)
    judges: JudgedScore | None
    rubric: Decimal | None  # the rubric total that counts (on 100), as shown
    score: float | None  # the round score on 100, two decimals
    rule: str  # one of the constants above
    mix: str | None = None  # MIX: "(0.6 × 78.50 + 0.4 × 88.75) / (0.6 + 0.4) = 82.60"
    case: str | None = None  # "100 × (80 × 72.50 / 100 + 15) / 100 = 73.00": open and auto-scored tasks
    numbers: dict[str, int] = field(default_factory=dict)  # model reviewer id -> reviewer number
    reviewers: dict[int, peer_model.ReviewerResult] = field(default_factory=dict)  # by reviewer number
    budget: int = 0  # how many entries of the round the judge budget allows
    criterion_names: dict[str, str] = field(default_factory=dict)  # criterion id -> its name
    recorded: object = None  # the score event settling it recorded, if any


def _num(x) -> str:
    return f"{Decimal(repr(x) if isinstance(x, float) else x).normalize():f}"


def case_formula(items, rubric_total: Decimal) -> tuple[str | None, Decimal]:
    """The case rule, exactly, from the rubric total as shown: (its formula, the round score to two
    decimals). Open tasks share the rubric total by their points; auto-scored ones earn their own. The
    formula is None when every task is open (the round score is then the rubric total)."""
    open_points, earned, full = Fraction(0), [], Fraction(0)
    for item in items:
        points = Fraction(repr(float(item.points or 0.0)))
        full += points
        if item.earned is None:
            open_points += points
        else:
            earned.append(Fraction(repr(float(item.earned))))
    if not full:
        return None, Decimal("0.00")
    value = two_decimals(100 * (open_points * Fraction(rubric_total) / 100 + sum(earned)) / full)
    if not earned and open_points == full:
        return None, value
    parts = [f"{_num(Decimal(open_points.numerator) / open_points.denominator)} × {rubric_total} / 100"]
    parts += [_num(Decimal(e.numerator) / e.denominator) for e in earned]
    whole = _num(Decimal(full.numerator) / full.denominator)
    return f"100 × ({' + '.join(parts)}) / {whole} = {value}", value


def round_input(round_: Round, data: RoundData | None = None) -> dict:
    """The round as `drill peer-scores` reads it: criteria, examples, calibrations, the reviews of active
    allocations, every entry, the judge budget. Reviewers are participant ids, entries attempt ids.
    Records that no longer fit the case (an example or criterion it has lost) are left out. `data`: the
    round as `round_data.load` read it, when the caller has it already."""
    data = data if data is not None else round_data.load(round_)
    case = data.case
    criteria = [(c["id"], float(c["weight"])) for c in case.criteria]
    ids = [c for c, _w in criteria]
    wanted = frozenset(ids)

    def scores(given) -> dict | None:
        if not isinstance(given, dict) or not wanted <= given.keys():
            return None
        return {c: float(given[c]) for c in ids}

    examples = {e["id"]: scores(case.expert.get(e["id"])) for e in case.examples}
    examples = {x: s for x, s in examples.items() if s is not None}
    calibration = []
    for row in data.calibrations:
        for x, given in sorted((row.given or {}).items()):
            found = scores(given)
            if x in examples and found is not None:
                calibration.append({"reviewer": str(row.participant_id), "example": x, "scores": found})
    entries = [str(e) for e in data.authors]
    known = set(entries)
    active = {a.id for a in data.allocations if a.state in peer.ACTIVE}
    reviews = []
    for r in data.reviews:
        if r.allocation_id not in active:
            continue
        found = scores(r.criteria)
        if found is not None and str(r.entry_id) in known:
            reviews.append({"reviewer": str(r.reviewer_id), "entry": str(r.entry_id), "scores": found})
    return {
        "max_score": sum(w for _c, w in criteria),
        "criteria": [{"id": c, "max_score": w} for c, w in criteria],
        "examples": [{"id": x, "expert": s} for x, s in examples.items()],
        "calibration": calibration,
        "reviews": reviews,
        "entries": entries,
        "judge_budget": float(round_.judge_budget),
        "min_reviews": MIN_REVIEWS,
    }


def round_model(round_: Round, data: RoundData | None = None) -> peer_model.Result | None:
    """The peer model fitted on the round (None for a round without peers or a rubric)."""
    if round_.kind != "case" or round_.peer_weight <= 0:
        return None
    found = round_input(round_, data)
    if not found["criteria"]:
        return None
    return _fitted(found)


_FITS: OrderedDict[str, peer_model.Result] = OrderedDict()
_FITS_LOCK = threading.Lock()
FITS_KEPT = 16  # rounds whose latest fit this process keeps


def _fitted(found: dict) -> peer_model.Result:
    """`peer_io.score(found)`, kept for the same input: the fit is deterministic and costs seconds on a
    province's round (thousands of entries), while the input changes only with a review, a calibration or
    a setting, so an organiser paging through the round's entries fits it once."""
    key = hashlib.sha256(json.dumps(found, sort_keys=True).encode()).hexdigest()
    with _FITS_LOCK:
        if key in _FITS:
            _FITS.move_to_end(key)
            return _FITS[key]
    result = peer_io.score(found)
    with _FITS_LOCK:
        _FITS[key] = result
        while len(_FITS) > FITS_KEPT:
            _FITS.popitem(last=False)
    return result


@dataclass
class Scored:
    """A round read once (`round_data`) with its peer model fitted once, and every entry's score from
    them: what the organiser's pages and the recomputation share."""

    data: RoundData
    model: peer_model.Result | None
    scores: dict[int, EntryScore]  # entry id -> how its score is reached

    @classmethod
    def of(cls, round_: Round, data: RoundData | None = None) -> Scored:
        data = data if data is not None else round_data.load(round_)
        model = round_model(round_, data)
        scores = {e: entry_score(round_, data.attempt(e), p, model, data) for e, p in data.authors.items()}
        return cls(data, model, scores)


def entry_score(
    round_: Round,
    attempt: Attempt,
    participant: Participant,
    model: peer_model.Result | None = None,
    data: RoundData | None = None,
) -> EntryScore:
    """How the entry's round score is reached; `model` and `data`: the round's fit and the round as read
    (`round_data.load`), when the caller has them already."""
    if data is None:
        data = round_data.load(round_)
        model = model if model is not None else round_model(round_, data)
    reviews = data.reviews_of(attempt.id)
    numbers = {str(r.reviewer_id): n for n, r in reviews}
    found = None
    if (
        round_.peer_weight > 0
        and round_.state in (states.REVIEWING, states.CLOSED)
        and data.complete(attempt.id)
    ):
        model = model if model is not None else round_model(round_, data)
        found = model.entries.get(str(attempt.id)) if model is not None else None
    reviewers = {}
    if model is not None:
        reviewers = {n: model.reviewers[r] for r, n in numbers.items() if r in model.reviewers}
    judges = judge_sheets.result_of(data.sheets_of(participant.id), data.panel, participant)
    judge_total = judges.score if judges is not None and judges.score is not None else None
    wp, wj = round_.peer_weight, round_.judge_weight
    mix = None
    if wp <= 0:
        rubric, rule = judge_total, JUDGES if judge_total is not None else AWAITING_JUDGE
    elif found is None:
        rubric, rule = None, AWAITING_REVIEWS
    elif wj <= 0 and judge_total is not None:  # a judge has decided this entry: that stands
        rubric, rule = judge_total, DECIDED
    elif found.needs_judge:
        rubric, rule = judge_total, DECIDED if judge_total is not None else AWAITING_JUDGE
    elif wj <= 0:
        rubric, rule = found.score, PEER
    elif judge_total is None:
        rubric, rule = None, AWAITING_JUDGE
    else:
        (mix, rubric), rule = _mix(wp, found.score, wj, judges.score), MIX
    formula, score = (None, None) if rubric is None else case_formula(data.items.get(attempt.id, []), rubric)
    return EntryScore(
        found,
        reviews,
        judges,
        rubric,
        None if score is None else float(score),
        rule,
        mix,
        formula,
        numbers,
        reviewers,
        model.budget if model is not None else 0,
        {c["id"]: c["name"] for c in data.case.criteria} if found is not None else {},
    )


def _mix(wp: float, peer_score: Decimal, wj: float, judge_score: Decimal) -> tuple[str, Decimal]:
    """The weighted mix of the two parts as shown, computed exactly: (its formula, its value as shown)."""
    p, j = Fraction(repr(wp)), Fraction(repr(wj))
    value = two_decimals((p * Fraction(peer_score) + j * Fraction(judge_score)) / (p + j))
    formula = f"({wp:g} × {peer_score} + {wj:g} × {judge_score}) / ({wp:g} + {wj:g}) = {value}"
    return formula, value


def settle_entry(
    round_: Round,
    attempt: Attempt,
    participant: Participant,
    now: datetime,
    by=None,
    model=None,
    data=None,
    **standing,
) -> EntryScore:
    """Record the entry's round score if it has one and it changed (`standing`: as `record_if_changed`)."""
    result = entry_score(round_, attempt, participant, model, data)
    if result.score is not None and participant.disqualified_at is None:
        result.recorded = events.record_if_changed(
            round_,
            participant,
            result.score,
            completed_at=attempt.closed_at,
            reason=result.rule,
            now=now,
            by=by,
            **standing,
        )
    return result


def settle_participant(round_: Round, participant: Participant, now: datetime, by=None) -> None:
    """After a review or a judge's sheet: recompute that one entry."""
    if round_.kind == "judged":
        found = judge_sheets.result(round_, participant)
        if found is not None and found.score is not None and participant.disqualified_at is None:
            events.record_if_changed(
                round_,
                participant,
                float(found.score),
                completed_at=judge_sheets.lock_time(round_, participant),
                reason=N_("judges"),
                now=now,
                by=by,
            )
        return
    attempt = peer.entry(_entry_id(round_, participant))
    if attempt is not None:
        settle_entry(round_, attempt, participant, now, by)


def _entry_id(round_: Round, participant: Participant) -> int | None:

    found = entry_of(round_, participant.user_id)
    return found.id if found is not None and found.closed else None


def settle_round(round_: Round, now: datetime, by=None) -> int:
    """Recompute every entry of the round (after reallocation, closing reviews, a judge's decision, a
    change of weights or judges); returns how many scores changed."""
    changed, data, standing = 0, round_data.load(round_), events.standings(round_.id)
    if round_.kind == "judged":
        for participant in judge_sheets.scored(round_):
            sheets = data.sheets_of(participant.id)
            found = judge_sheets.result_of(sheets, data.panel, participant)
            if found is not None and found.score is not None and participant.disqualified_at is None:
                made = events.record_if_changed(
                    round_,
                    participant,
                    float(found.score),
                    completed_at=max((s.locked_at for s in sheets.values() if s.locked_at), default=None),
                    reason=N_("judges"),
                    now=now,
                    by=by,
                    standing=standing.get(participant.id),
                )
                changed += made is not None
        return changed
    model = round_model(round_, data)
    for entry_id, participant in data.authors.items():
        result = settle_entry(
            round_,
            data.attempt(entry_id),
            participant,
            now,
            by,
            model,
            data,
            standing=standing.get(participant.id),
        )
        changed += result.recorded is not None
    return changed


def rescore(round_: Round, now: datetime, by=None) -> int:
    """After an organiser changed the round's weights, judge budget or judges: lock the entries
    every judge now assigned has scored, then recompute every score of the round."""
    judge_sheets.lock_complete(round_, now)
    return settle_round(round_, now, by)


def disputed(round_: Round, scored: Scored | None = None) -> list[tuple[int, Participant, EntryScore]]:
    """Entries waiting for a judge's decision: (entry id, author, how far the peers got)."""
    scored = scored if scored is not None else Scored.of(round_)
    return [
        (entry_id, scored.data.authors[entry_id], result)
        for entry_id, result in scored.scores.items()
        if result.rule == AWAITING_JUDGE
    ]


def reviewing_grades(round_: Round, scored: Scored | None = None) -> dict[int, aggregation.ReviewingGrade]:
    """participant id -> how close their reviews came to the entries' final rubric totals."""
    scored = scored if scored is not None else Scored.of(round_)
    by_entry, consensus = {}, {}
    for entry_id, result in scored.scores.items():
        consensus[entry_id] = None if result.rubric is None else float(result.rubric)
        by_entry[entry_id] = [aggregation.Review(r.reviewer_id, r.total) for _, r in result.reviews]
    return aggregation.reviewing_grades(by_entry, consensus)
