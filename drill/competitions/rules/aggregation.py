"""An entry's peer score from its reviews, every step shown; disagreement; reviewers' reviewing grades.

The score. With 3 or more reviews, the single review farthest from the median of the scores is dropped,
unless two or more are equally farthest (then the extremes balance and nothing is dropped); the score is
the calibration-weighted mean of the reviews kept:

    score = Σ wᵢ × sᵢ / Σ wᵢ     over the reviews kept

With 1 or 2 reviews nothing is dropped: with two, neither can be told to be the outlier.

Why this rule rather than a weighted median for small numbers: most entries have k = 3 reviews, and with
three the rule is "the mean of the two closest", the established practice when a third marker is brought
in. A weighted median of three would let one reviewer alone decide the score, the calibration weights
only choosing which one; here the weights keep their meaning (they weigh the two kept), one outlier can
never move the score, and the same rule reads the same way on the page for 3 reviews or 8.

Disagreement is the spread of the reviews kept (highest − lowest, in points). An entry goes to a judge when
it exceeds the threshold (default 20 points on 100, more than a grade band) or when it has fewer than
`min_reviews` reviews (default 2: a lone review is not a consensus). A trimmed outlier alone sends nobody
to a judge: it did not count.

Reviewing grade: how close a reviewer's scores are to the consensus (the entry's final score, which the
caller gives: the peer score, or the judge's where a judge decided):

    grade = 100 × max(0, 1 − D / (full marks / 2))     D = mean |own score − consensus| over their entries

On a 100-point rubric that is 100 − 2 × D: off by 5 points on average gives 90, by 25 gives 50.
"""

import statistics
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from drill.competitions.rules.judging import two_decimals

Id = Hashable


@dataclass(frozen=True)
class Review:
    reviewer_id: Id
    score: float
    weight: float = 1.0  # from calibration

    def __post_init__(self):
        if self.weight <= 0:
            raise ValueError(f"a review's weight must be positive, got {self.weight}")


@dataclass(frozen=True)
class Policy:
    threshold: float = 20.0  # disagreement, in points, beyond which a judge decides
    min_reviews: int = 2
    trim_from: int = 3  # with at least this many reviews, the farthest from the median is dropped


@dataclass(frozen=True)
class Line:
    review: Review
    distance: float | None  # from the median; None when there was nothing to trim
    trimmed: bool


@dataclass(frozen=True)
class PeerScore:
    lines: tuple[Line, ...]  # every review, in the order given
    median: float | None  # of all the scores, when trimming applied
    score: float | None  # unrounded; None without reviews
    formula: str  # e.g. "(1.00 × 72 + 0.80 × 70) / (1.00 + 0.80) = 71.11", weights shown to 2 places
    disagreement: float
    needs_judge: bool
    reasons: tuple[str, ...]  # why a judge is needed

    @property
    def shown(self) -> Decimal | None:
        """The score to two decimals, half up, as stored and displayed."""
        return None if self.score is None else two_decimals(self.score)

    @property
    def trimmed(self) -> Review | None:
        return next((line.review for line in self.lines if line.trimmed), None)

    def steps(self) -> list[str]:
        """The explanation as lines of text, for a page or a log."""
        out = [
            f"review by {line.review.reviewer_id}: {line.review.score:g} × weight {line.review.weight:.2f}"
            + (" — dropped, farthest from the median" if line.trimmed else "")
            for line in self.lines
        ]
        if self.median is not None:
            out.append(f"median {self.median:g}" + ("" if self.trimmed else ": no single review is farthest"))
        out.append(f"weighted mean of the reviews kept: {self.formula}")
        out.append(f"reviews kept span {self.disagreement:g} points")
        out.extend(f"to a judge: {r}" for r in self.reasons)
        return out


def explain(reviews: Sequence[Review], policy: Policy = Policy()) -> PeerScore:
    """The peer score of one entry with every step that produced it."""
    if not reviews:
        return PeerScore((), None, None, "no reviews", 0.0, True, ("no reviews",))
    median, trimmed = None, None
    distances: list[float | None] = [None] * len(reviews)
    if len(reviews) >= policy.trim_from:
        median = statistics.median(r.score for r in reviews)
        distances = [abs(r.score - median) for r in reviews]
        far = max(distances)
        if far > 0 and distances.count(far) == 1:
            trimmed = distances.index(far)
    lines = tuple(Line(r, d, i == trimmed) for i, (r, d) in enumerate(zip(reviews, distances, strict=True)))
    kept = [line.review for line in lines if not line.trimmed]
    score = sum(r.weight * r.score for r in kept) / sum(r.weight for r in kept)
    top = " + ".join(f"{r.weight:.2f} × {r.score:g}" for r in kept)
    bottom = " + ".join(f"{r.weight:.2f}" for r in kept)
    formula = f"({top}) / ({bottom}) = {two_decimals(score)}"
    spread = max(r.score for r in kept) - min(r.score for r in kept)
    reasons = []
    if len(reviews) < policy.min_reviews:
        reasons.append(f"only {len(reviews)} review(s), {policy.min_reviews} needed")
    if spread > policy.threshold:
        reasons.append(f"the reviews kept span {spread:g} points, more than {policy.threshold:g}")
    return PeerScore(lines, median, score, formula, spread, bool(reasons), tuple(reasons))


def peer_score(reviews: Sequence[Review], policy: Policy = Policy()) -> float | None:
    return explain(reviews, policy).score


@dataclass(frozen=True)
class ReviewingGrade:
    reviewer_id: Id
    reviews: int  # how many of their reviews had a consensus to compare with
    mean_absolute: float  # D, in points
    grade: float  # 0..100


def reviewing_grades(
    reviews: Mapping[Id, Sequence[Review]],
    consensus: Mapping[Id, float | None],
    full_marks: float = 100.0,
) -> dict[Id, ReviewingGrade]:
    """Each reviewer's grade from `reviews` {entry id: reviews} and `consensus` {entry id: final score}.

    Entries without a consensus (no score yet) do not count; a reviewer with none gets no grade.
    """
    gaps: dict[Id, list[float]] = defaultdict(list)
    for entry_id, entry_reviews in reviews.items():
        target = consensus.get(entry_id)
        if target is None:
            continue
        for r in entry_reviews:
            gaps[r.reviewer_id].append(abs(r.score - target))
    grades = {}
    for reviewer_id, mine in gaps.items():
        d = sum(mine) / len(mine)
        grade = 100 * max(0.0, 1 - d / (full_marks / 2))
        grades[reviewer_id] = ReviewingGrade(reviewer_id, len(mine), d, grade)
    return grades
