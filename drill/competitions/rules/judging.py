"""Judges' rounds: each judge scores alone against the rubric; the round score combines the judges.

- A judge's total for an entry is the sum of their criterion scores, each within 0..the criterion's marks.
- 本单位回避: a judge from the participant's own branch is not assigned to that participant
  (`assigned_judges`), and if their total is there anyway it is excluded from the score.
- The round score is the plain mean of the totals that count; with 5 or more of them, the single highest
  and the single lowest are dropped first (去掉一个最高分和一个最低分). The count is taken after recusal,
  since it is the judges actually counted that make the trim safe.
- Scores are to two decimals, rounded half up (四舍五入) from the exact mean: 85.125 gives 85.13.
- Visibility: a judge always sees their own sheet and sees the other judges' only once every assigned
  judge has scored and the entry is locked; an organiser sees everything; anyone else sees the sheets only
  once the entry is locked and complete.
"""

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

Id = Hashable
TRIM_FROM = 5
CENT = Decimal("0.01")


def _exact(x: float | Decimal | Fraction) -> Fraction:
    """The decimal a float prints as (0.1 is 1/10), so two-decimal rounding is exact."""
    return Fraction(repr(x)) if isinstance(x, float) else Fraction(x)


def two_decimals(x: Fraction | float | Decimal) -> Decimal:
    """Rounded half up to two decimals, exactly (no float on the way): a float as the decimal it prints."""
    if isinstance(x, Fraction):
        q = x * 100
        return Decimal((q.numerator * 2 + q.denominator) // (2 * q.denominator)).scaleb(-2)  # ⌊q + ½⌋
    return Decimal(repr(x) if isinstance(x, float) else x).quantize(CENT, rounding=ROUND_HALF_UP)


def judge_total(scores: Mapping[str, float], full_marks: Mapping[str, float]) -> Decimal:
    """A judge's total for one entry: every criterion of the rubric scored, within its marks."""
    problems = [f"{c}: not scored" for c in full_marks if c not in scores]
    problems += [f"{c}: not in the rubric" for c in scores if c not in full_marks]
    problems += [
        f"{c}: {scores[c]:g} outside 0–{m:g}"
        for c, m in full_marks.items()
        if c in scores and not 0 <= scores[c] <= m
    ]
    if problems:
        raise ValueError("; ".join(problems))
    return two_decimals(sum((_exact(scores[c]) for c in full_marks), Fraction(0)))


def assigned_judges(judges: Mapping[Id, str], participant_branch: str) -> tuple[Id, ...]:
    """The judges, {id: branch}, who may score a participant of `participant_branch`: all but their own."""
    return tuple(j for j, branch in judges.items() if branch != participant_branch)


@dataclass(frozen=True)
class JudgedScore:
    score: Decimal | None  # None while no total counts
    counted: tuple[Id, ...]  # judges whose totals make the mean
    dropped_high: Id | None
    dropped_low: Id | None
    recused: tuple[Id, ...]  # own-branch judges whose totals were excluded
    formula: str  # e.g. "(86 + 88 + 90) / 3 = 88.00"


def judged_score(
    totals: Mapping[Id, float | Decimal],
    judges: Mapping[Id, str],
    participant_branch: str,
    trim_from: int = TRIM_FROM,
) -> JudgedScore:
    """The round score of one participant from `totals` {judge id: total} and `judges` {judge id: branch}.

    When trimming, the highest and lowest are one total each even if tied (the value is what matters);
    which tied judge is named as dropped is settled by judge id, so the page is stable.
    """
    unknown = [j for j in totals if j not in judges]
    if unknown:
        raise ValueError(f"totals from unknown judges: {unknown}")
    recused = tuple(j for j in totals if judges[j] == participant_branch)
    counting = sorted((j for j in totals if j not in recused), key=lambda j: (_exact(totals[j]), repr(j)))
    if not counting:
        return JudgedScore(None, (), None, None, recused, "no judge's score counts yet")
    high = low = None
    if len(counting) >= trim_from:
        low, *counting, high = counting
    mean = sum((_exact(totals[j]) for j in counting), Fraction(0)) / len(counting)
    score = two_decimals(mean)
    formula = f"({' + '.join(f'{totals[j]:g}' for j in counting)}) / {len(counting)} = {score}"
    return JudgedScore(score, tuple(counting), high, low, recused, formula)


def all_scored(assigned: Collection[Id], scored: Collection[Id]) -> bool:
    """May the entry be locked? Only when every assigned judge has scored it."""
    return set(assigned) <= set(scored)


def visible_sheets(
    viewer: Id | None,
    sheets: Mapping[Id, object],
    assigned: Collection[Id],
    locked: bool,
    *,
    organiser: bool = False,
) -> dict[Id, object]:
    """The judges' sheets {judge id: sheet} that `viewer` may see (see the module docstring)."""
    if organiser or (locked and all_scored(assigned, sheets)):
        return dict(sheets)
    return {j: s for j, s in sheets.items() if j == viewer}
