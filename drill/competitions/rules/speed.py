"""The written round's optional speed bonus.

With the bonus on, a question's points are

    points = earned × floor                                      every answer (the base)
           + earned × (1 − floor) × max(0, 1 − t / T)            right answers only (the bonus)

so a right answer given at once earns all its marks, one given at or after T still earns `floor` of them
(default 0.8: most of the points), and the paper's full marks do not change, so round scores need no
rescaling. "Right" means full marks on the question: a partly right answer keeps its base but earns no
bonus, and a wrong one earns nothing. t is the seconds the participant took (on the question, or on the
paper for a paper-level bonus) and T the allowance for it, both measured by the caller.

With the bonus off the points are simply `earned`: the switch lives with the caller (`with_speed`).
"""

from collections.abc import Iterable
from dataclasses import dataclass

FLOOR = 0.8


@dataclass(frozen=True)
class SpeedPoints:
    base: float
    bonus: float

    @property
    def points(self) -> float:
        return self.base + self.bonus


def speed_factor(seconds: float, allowance: float) -> float:
    """max(0, 1 − t / T): 1 for an instant answer, 0 at or beyond the allowance."""
    if allowance <= 0:
        raise ValueError(f"the time allowance must be positive, got {allowance}")
    if seconds < 0:
        raise ValueError(f"elapsed time cannot be negative, got {seconds}")
    return max(0.0, 1 - seconds / allowance)


def speed_points(
    earned: float, possible: float, seconds: float, allowance: float, floor: float = FLOOR
) -> SpeedPoints:
    """One question's points with the bonus on (see the module docstring)."""
    if not 0 <= floor <= 1:
        raise ValueError(f"the floor is a fraction of the points, 0–1, got {floor}")
    if not 0 <= earned <= possible:
        raise ValueError(f"earned {earned} is outside 0–{possible}")
    right = possible > 0 and earned == possible
    bonus = earned * (1 - floor) * speed_factor(seconds, allowance) if right else 0.0
    return SpeedPoints(base=earned * floor, bonus=bonus)


@dataclass(frozen=True)
class TimedAnswer:
    earned: float
    possible: float
    seconds: float  # taken on this question (or on the whole paper, for a paper-level bonus)
    allowance: float  # T for this question (or the paper's time limit)


def with_speed(answers: Iterable[TimedAnswer], *, enabled: bool, floor: float = FLOOR) -> float:
    """A paper's points: Σ earned with the bonus off, Σ `speed_points` with it on."""
    if not enabled:
        return sum(a.earned for a in answers)
    return sum(speed_points(a.earned, a.possible, a.seconds, a.allowance, floor).points for a in answers)
