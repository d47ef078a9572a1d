"""Marking open answers: rubric scores into points, and single or double marking into one final mark.

Double marking: two independent markers mark every answer. If their totals are at most `threshold`
points apart, the final mark is their mean. Further apart, a third marker marks it, and the final mark is
the mean of the third mark and whichever of the first two is closer to it — on a tie, the higher of the
two. The outlying mark is thus set aside, and the third marker alone does not decide.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# Resolution.rule: which formula produced `final` (or why there is none yet).
UNMARKED = "unmarked"
SINGLE = "single"
AWAITING_SECOND = "awaiting second mark"
MEAN_OF_TWO = "mean of two"
AWAITING_THIRD = "awaiting third mark"
THIRD_AND_CLOSER = "mean of third and closer"


@dataclass(frozen=True)
class Mark:
    marker_id: int
    total: float
    round: int  # 1 or 2: the first two markers; 3: the third


@dataclass(frozen=True)
class Resolution:
    final: float | None
    needs_third: bool
    rule: str


def _dec(x: float | int | str) -> Decimal:
    """The decimal a number stands for: 0.1 is 1/10, not the nearest binary fraction."""
    return Decimal(repr(x)) if isinstance(x, float) else Decimal(x)


def _mean(a: float, b: float) -> float:
    return float((_dec(a) + _dec(b)) / 2)


def resolve(marks: list[Mark], max_points: float, threshold: float, double: bool) -> Resolution:
    """The final mark of one answer from its marks (see the module docstring for the rule).

    Single marking: the one mark. Double marking: `threshold` is in points, and a difference exactly at
    the threshold is within it; a third mark, once given, only counts when the first two are beyond it
    (if a first marker later corrects their mark to within the threshold, the mean of the two stands).
    ValueError for a mark outside 0..max_points, a round other than 1–3 or given twice, one marker in
    two rounds, a third mark without the first two, or several marks under single marking.
    """
    if max_points < 0 or threshold < 0:
        raise ValueError(f"max points {max_points:g} and threshold {threshold:g} cannot be negative")
    for mark in marks:
        total = _dec(mark.total)
        if not total.is_finite() or not 0 <= total <= _dec(max_points):
            raise ValueError(
                f"marker {mark.marker_id} gave {mark.total:g} points; a mark is from 0 to {max_points:g}"
            )
    if not double:
        if len(marks) > 1:
            raise ValueError(f"single marking takes one mark, this answer has {len(marks)}")
        return Resolution(marks[0].total, False, SINGLE) if marks else Resolution(None, False, UNMARKED)
    by_round: dict[int, Mark] = {}
    for mark in marks:
        if mark.round not in (1, 2, 3):
            raise ValueError(f"round {mark.round} does not exist; rounds are 1, 2 (first two) and 3 (third)")
        if mark.round in by_round:
            raise ValueError(f"round {mark.round} is marked twice")
        by_round[mark.round] = mark
    if len({m.marker_id for m in marks}) < len(marks):
        raise ValueError("one marker marked the same answer in two rounds; double marking needs others")
    first, second, third = (by_round.get(r) for r in (1, 2, 3))
    if first is None or second is None:
        if third is not None:
            raise ValueError("a third mark needs the first two")
        return Resolution(None, False, AWAITING_SECOND if marks else UNMARKED)
    a, b = first.total, second.total
    if abs(_dec(a) - _dec(b)) <= _dec(threshold):
        return Resolution(_mean(a, b), False, MEAN_OF_TWO)
    if third is None:
        return Resolution(None, True, AWAITING_THIRD)
    c = _dec(third.total)
    closer = min((a, b), key=lambda x: (abs(_dec(x) - c), -_dec(x)))  # a tie goes to the higher
    return Resolution(_mean(third.total, closer), True, THIRD_AND_CLOSER)


def rubric_points(criteria: list[dict], scores: dict[str, float], max_points: float) -> float:
    """Question points from rubric scores: max_points × (sum of criterion scores) / 100.

    Each criterion (`{"id", "name", "weight"}`, weights summing to 100) takes a score from 0 to its
    weight, keyed by its id; keys that are not criteria are ignored. The points are kept to two decimals,
    halves rounded up. ValueError, naming the criterion, for a missing or out-of-range score.
    """
    weights = sum(_dec(c["weight"]) for c in criteria)
    if weights != 100:
        raise ValueError(f"the rubric weights add up to {weights}, not 100")
    total = Decimal(0)
    for c in criteria:
        name = f"{c['id']} ({c['name']})" if c.get("name") else c["id"]
        value = scores.get(c["id"])
        if value is None or value == "":
            raise ValueError(f"no score for criterion {name}")
        try:
            if isinstance(value, bool):
                raise TypeError
            score = _dec(value)
        except (TypeError, ArithmeticError, ValueError):
            raise ValueError(f"the score for criterion {name} is not a number: {value!r}") from None
        if not score.is_finite() or not 0 <= score <= _dec(c["weight"]):
            raise ValueError(f"the score for criterion {name}, {value}, is not between 0 and {c['weight']}")
        total += score
    points = _dec(max_points) * total / 100
    return float(points.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
