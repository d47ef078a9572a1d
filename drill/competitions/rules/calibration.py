"""Calibration: before scoring peers, a scorer scores the case's example answers, whose per-criterion
expert scores are known, and learns how far off they were; their accuracy becomes their reviewing weight.

The rule, with d the deviation relative to the criterion weights:

    d        = Σ |given − expert| / Σ full marks      over every (example, criterion) pair
    accuracy = max(0, 1 − d)                           shown as a percent
    weight   = floor + (1 − floor) × max(0, 1 − d / zero_credit)

A criterion's full marks are its weight in the rubric (the rubrics are on 100: 风险识别 25, …), so being 5
off on a 25-point criterion counts as much as 5 off on a 15-point one: points are points. With the default
floor 0.2 and zero_credit 0.4 the weight runs from 1.0 (scored like the experts) down to 0.2 (off by 40% of
the marks or more, about what scoring at random does); off by 10% gives 0.8, by 20% gives 0.6. The floor
keeps every calibrated scorer's voice: calibration tunes a weight, it does not silence anyone.

A case without example answers cannot calibrate: every reviewer then gets `EQUAL_WEIGHT`.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

EQUAL_WEIGHT = 1.0


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str  # as the scorer reads it, e.g. "风险识别"
    full_marks: float  # the criterion's weight in the rubric


@dataclass(frozen=True)
class WeightPolicy:
    floor: float = 0.2  # the weight of the least accurate scorer
    zero_credit: float = 0.4  # the relative deviation at and beyond which the weight is the floor

    def __post_init__(self):
        if not 0 < self.floor <= 1 or self.zero_credit <= 0:
            raise ValueError(f"need 0 < floor ≤ 1 and zero_credit > 0, got {self}")


@dataclass(frozen=True)
class Deviation:
    example_id: str
    criterion: Criterion
    given: float
    expert: float

    @property
    def difference(self) -> float:
        """Signed: negative when the scorer gave less than the experts."""
        return self.given - self.expert

    def describe(self) -> str:
        return f"you gave {self.given:g}, the experts {self.expert:g}, on {self.criterion.name}"


@dataclass(frozen=True)
class CriterionSummary:
    criterion: Criterion
    mean_difference: float  # signed: a scorer who is harsh on this criterion has a negative one
    mean_absolute: float


@dataclass(frozen=True)
class Calibration:
    deviations: tuple[Deviation, ...]  # example by example, criterion by criterion, in rubric order
    criteria: tuple[CriterionSummary, ...]
    relative_deviation: float  # d
    accuracy: float  # 0..1
    weight: float  # floor..1


def calibrate(
    criteria: Sequence[Criterion],
    expert: Mapping[str, Mapping[str, float]],
    given: Mapping[str, Mapping[str, float]],
    policy: WeightPolicy = WeightPolicy(),
) -> Calibration:
    """Compare `given` with `expert`, both {example id: {criterion id: score}}, over every example.

    Every example must be scored on every criterion, within 0..full marks: a half-filled calibration is
    an error the form should have stopped, not something to average over.
    """
    if not expert:
        raise ValueError("no example answers to calibrate on: give every reviewer EQUAL_WEIGHT")
    if set(given) != set(expert):
        raise ValueError(f"scored examples {sorted(given)} differ from the examples {sorted(expert)}")
    deviations = []
    for example_id in sorted(expert):
        for c in criteria:
            for who, scores in (("expert", expert[example_id]), ("scorer", given[example_id])):
                if c.id not in scores:
                    raise ValueError(f"{who} score missing for {c.name} on example {example_id}")
                if not 0 <= scores[c.id] <= c.full_marks:
                    raise ValueError(f"{who} score {scores[c.id]:g} for {c.name} outside 0–{c.full_marks:g}")
            deviations.append(Deviation(example_id, c, given[example_id][c.id], expert[example_id][c.id]))
    summaries = []
    for c in criteria:
        mine = [d.difference for d in deviations if d.criterion == c]
        summaries.append(CriterionSummary(c, sum(mine) / len(mine), sum(map(abs, mine)) / len(mine)))
    marks = sum(d.criterion.full_marks for d in deviations)
    if marks <= 0:
        raise ValueError("the criteria carry no marks")
    d = sum(abs(x.difference) for x in deviations) / marks
    weight = policy.floor + (1 - policy.floor) * max(0.0, 1 - d / policy.zero_credit)
    return Calibration(tuple(deviations), tuple(summaries), d, max(0.0, 1 - d), weight)


# The usual bands (docs/content-format.md): 优秀 from 90% of a criterion's marks, 良好 from 75%, 合格 from
# 60%, 不合格 below. Rubrics with other level names split the marks into equal bands, best first.
USUAL_BANDS = {"优秀": 0.9, "良好": 0.75, "合格": 0.6, "不合格": 0.0}


def level_bands(levels: Sequence[str], full_marks: float) -> list[tuple[str, float, float]]:
    """(level, from, to) points for each level of a criterion worth `full_marks`, best first."""
    n = len(levels)
    usual = set(levels) <= set(USUAL_BANDS)
    if n and usual and list(levels) == sorted(levels, key=lambda x: -USUAL_BANDS[x]):
        lows = [USUAL_BANDS[level] for level in levels[:-1]] + [0.0]
    else:
        lows = [(n - 1 - i) / n for i in range(n)]
    highs = [1.0, *lows[:-1]]
    return [
        (level, round(full_marks * low, 1), round(full_marks * high, 1))
        for level, low, high in zip(levels, lows, highs, strict=True)
    ]


_STATED = re.compile(
    r"^\s*(?:\*\*)?\s*(\d+(?:\.\d+)?)\s*[–—~-]\s*(\d+(?:\.\d+)?)\s*分\s*(?:\*\*)?\s*[:：]?\s*(?:\*\*)?"
)


def stated_band(descriptor: str) -> tuple[float, float, str] | None:
    """A descriptor that states its own points (`**18–20 分**：…`): (from, to, the words after them).
    The rubric's own numbers win over the ones `level_bands` works out from the weight."""
    m = _STATED.match(descriptor or "")
    if not m:
        return None
    return float(m.group(1)), float(m.group(2)), descriptor[m.end() :].strip()
