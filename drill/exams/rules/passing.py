"""Pass rules: a minimum on the total and on each part, one part never compensating another.

The tobacco skill standard, for instance, sets a theory paper and a professional-ability paper, each on
100 points, and both must reach 60: 95 in theory does not make up for 55 in the case.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

TOTAL = "total"


@dataclass(frozen=True)
class PassRule:
    total_min: float | None = None  # percent of the whole paper, e.g. 60
    part_mins: dict[str, float] = field(default_factory=dict)  # percent per part, e.g. {"theory": 60}


@dataclass(frozen=True)
class PartScore:
    earned: float
    possible: float

    def __post_init__(self):
        if self.possible < 0 or self.earned < 0:
            raise ValueError(f"a part score cannot be negative ({self.earned} of {self.possible})")

    @property
    def percent(self) -> float:
        """Earned as a percent of possible; 0 for a part worth nothing."""
        return 100 * self.earned / self.possible if self.possible else 0.0


@dataclass(frozen=True)
class Verdict:
    passed: bool
    reasons: list[str]  # one per failed condition, in English with the numbers
    total_percent: float  # unrounded: round only for display
    part_percents: dict[str, float]
    # What a page prints: the parts (and TOTAL) that failed their minimum, and every percent as `shown`
    # gives it, so a failed 59.96% reads "59.9%", never "60.0%" in a failed row. Templates compute nothing.
    failed: frozenset[str] = frozenset()
    shown: dict[str, str] = field(default_factory=dict)


def _exact(x: float) -> Fraction:
    """The decimal a float stands for (0.6 is 3/5, not 0.59999999999999997…); other numbers as they are."""
    return _decimal(x) if isinstance(x, float) else Fraction(x)  # ints, Decimals and Fractions


@lru_cache(maxsize=65_536)
def _decimal(x: float) -> Fraction:
    """Kept: a release judges 5,000 papers of a few dozen scores that repeat (2.5, 60.0, …), and reading a
    Fraction out of a string was most of its time (#14). Fractions are immutable: sharing them is safe."""
    return Fraction(repr(x))


@lru_cache(maxsize=65_536)
def _hundredths(x: float | Fraction) -> int | None:
    """x × 100 as a whole number when x is a decimal to two places (every score and minimum is), else None.
    Kept, as `_decimal` is: a release compares 5,000 papers' few dozen distinct numbers."""
    q = _exact(x) * 100
    return q.numerator if q.denominator == 1 else None


def _meets(earned: int | Fraction, possible: int | Fraction, minimum: float) -> bool:
    """earned / possible ≥ minimum %, compared exactly (no division, no rounding: 59.99% fails 60%), for
    two amounts on one exact scale (a ratio has no unit): whole hundredths as ints, or fractions when a
    number is not a decimal to two places. Fractions for every paper were most of a release's time (#14)."""
    m = _hundredths(minimum)
    if m is not None:
        return earned * 10_000 >= m * possible
    return earned * 100 >= _exact(minimum) * possible


def _scaled(parts: dict[str, PartScore]) -> dict[str, tuple[int, int] | tuple[Fraction, Fraction]]:
    """Each part's (earned, possible), exact and on one scale: whole hundredths when every number is a
    decimal to two places (0.1 + 0.7 is 0.8 here), exact fractions otherwise."""
    hundredths = {name: (_hundredths(p.earned), _hundredths(p.possible)) for name, p in parts.items()}
    if all(e is not None and q is not None for e, q in hundredths.values()):
        return hundredths
    return {name: (_exact(p.earned), _exact(p.possible)) for name, p in parts.items()}


def shown(percent: float, failed: float | None = None) -> str:
    """A percent to one decimal. When it `failed` a minimum that rounding would reach, it is rounded
    down instead, so 59.96% shows as "59.9% < 60%", never "60.0% < 60%"."""
    tenths = round(percent, 1)
    if failed is not None and tenths >= failed:
        tenths = math.floor(percent * 10) / 10
    return f"{tenths:.1f}%"


def judge(rule: PassRule, parts: dict[str, PartScore]) -> Verdict:
    """Pass when the total reaches `total_min` and every part named in `part_mins` reaches its minimum.

    The total percent is all earned points over all possible points (not the mean of the parts). A part
    the rule names but the paper lacks, or one worth no points, fails: nothing was shown on it.
    """
    scaled = _scaled(parts)
    earned = sum(e for e, _q in scaled.values())
    possible = sum(q for _e, q in scaled.values())
    total = float(100 * earned / possible) if possible else 0.0  # the exact ratio, correctly rounded
    reasons, failed = [], set()
    for name, minimum in rule.part_mins.items():
        score = parts.get(name)
        if score is None or not score.possible:
            reasons.append(f"{name}: no points on the paper (needs {minimum:g}%)")
            failed.add(name)
        elif not _meets(*scaled[name], minimum):
            reasons.append(f"{name} {shown(score.percent, minimum)} < {minimum:g}%")
            failed.add(name)
    if rule.total_min is not None and not (possible and _meets(earned, possible, rule.total_min)):
        reasons.append(f"{TOTAL} {shown(total, rule.total_min)} < {rule.total_min:g}%")
        failed.add(TOTAL)
    printed = {
        name: shown(score.percent, rule.part_mins.get(name) if name in failed else None)
        for name, score in parts.items()
    }
    printed[TOTAL] = shown(total, rule.total_min if TOTAL in failed else None)
    return Verdict(
        passed=not reasons,
        reasons=reasons,
        total_percent=total,
        part_percents={name: score.percent for name, score in parts.items()},
        failed=frozenset(failed),
        shown=printed,
    )


def problems(rule: PassRule, parts: Iterable[str]) -> list[str]:
    """What is wrong with a rule for a blueprint with these parts (for the exam form): minimums outside
    0–100, and parts the rule names but the blueprint does not have."""
    parts = set(parts)
    found = []
    if rule.total_min is not None and not 0 <= rule.total_min <= 100:
        found.append(f"the total minimum {rule.total_min:g}% is not between 0 and 100")
    for name, minimum in rule.part_mins.items():
        if not 0 <= minimum <= 100:
            found.append(f"the minimum for {name}, {minimum:g}%, is not between 0 and 100")
        if name not in parts:
            known = ", ".join(sorted(parts)) or "none"
            found.append(f"the rule sets a minimum for {name}, which no blueprint row has (parts: {known})")
    return found
