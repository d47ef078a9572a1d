"""Item analysis by classical test theory. Pure: a response matrix comes in, numbers come out.

The matrix is one row per candidate: for each item on their paper, points earned and possible, the option
(s) chosen and the seconds spent. With random papers not every candidate has every item: item statistics
use the candidates who were given the item, and a candidate's total is the points earned over their whole
paper. Reliability needs the same items for everyone, so it uses the items on every candidate's paper.

Variances are population variances (divide by n) throughout — in KR-20, alpha and the SD behind the SEM
alike — so that KR-20 and alpha agree on right/wrong items.
"""

import math
import statistics
from dataclasses import dataclass, field

from drill.messages import N_

TOO_EASY = 0.9  # facility above this: nearly everyone gets it
TOO_HARD = 0.2  # facility below this: nearly no one does
WEAK = 0.2  # discrimination below this separates strong from weak candidates poorly
NO_ANSWER = "—"


@dataclass(frozen=True)
class ItemResult:
    earned: float
    possible: float
    choice: str | list[str] | None = None
    seconds: float | None = None


@dataclass(frozen=True)
class CandidateRow:
    candidate_id: int
    items: dict[int, ItemResult]


@dataclass(frozen=True)
class ItemStats:
    item: int
    candidates: int  # how many were given the item
    facility: float
    point_biserial: float | None
    upper_lower: float | None  # None with fewer than two candidates
    distractors: dict[str, int]
    mean_seconds: float | None
    flags: list[str] = field(default_factory=list)

    @property
    def discrimination(self) -> float | None:
        """The index the flags use: the corrected point-biserial, else the upper-lower D."""
        return self.point_biserial if self.point_biserial is not None else self.upper_lower


@dataclass(frozen=True)
class TestStats:
    __test__ = False  # not a pytest test class, despite its name

    candidates: int
    items: int  # distinct items in the matrix
    common_items: int  # items on every paper: those reliability is computed over
    mean: float | None  # of the candidates' totals
    sd: float | None  # population SD of the totals
    alpha: float | None
    kr20: float | None
    sem: float | None


def _total(row: CandidateRow) -> float:
    return math.fsum(r.earned for r in row.items.values())


def _takers(matrix: list[CandidateRow], item: int) -> list[tuple[CandidateRow, ItemResult]]:
    return [(row, row.items[item]) for row in matrix if item in row.items and row.items[item].possible > 0]


def facility(matrix: list[CandidateRow], item: int) -> float:
    """The facility index p: the mean share of the item's points earned (for right/wrong items, the
    proportion who got it right). ValueError when no candidate was given the item."""
    takers = _takers(matrix, item)
    if not takers:
        raise ValueError(f"item {item} is on no candidate's paper")
    return statistics.fmean(r.earned / r.possible for _, r in takers)


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 2:
        return None
    vx, vy = statistics.pvariance(xs), statistics.pvariance(ys)
    if vx == 0 or vy == 0:
        return None
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    cov = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / len(xs)
    return max(-1.0, min(1.0, cov / math.sqrt(vx * vy)))


def point_biserial(matrix: list[CandidateRow], item: int) -> float | None:
    """The corrected point-biserial: Pearson's r between the item score and the rest score (the total
    without this item), so the item does not correlate with itself. None when either has no variance."""
    takers = _takers(matrix, item)
    return _pearson([r.earned for _, r in takers], [_total(row) - r.earned for row, r in takers])


def upper_lower(matrix: list[CandidateRow], item: int, share: float = 0.27) -> float:
    """The discrimination index D = p(upper group) − p(lower group).

    The candidates given the item are ranked by total (ties in candidate id order); each group is
    round(share × n) of them, halves up, at least 1 and at most n // 2. 0 with fewer than two candidates.
    """
    takers = sorted(_takers(matrix, item), key=lambda t: (-_total(t[0]), t[0].candidate_id))
    n = len(takers)
    if n < 2:
        return 0.0
    g = max(1, min(n // 2, int(share * n + 0.5)))
    upper = statistics.fmean(r.earned / r.possible for _, r in takers[:g])
    lower = statistics.fmean(r.earned / r.possible for _, r in takers[-g:])
    return upper - lower


def distractors(matrix: list[CandidateRow], item: int) -> dict[str, int]:
    """How many candidates chose each option (each option of a multiple choice counts), "—" for none."""
    counts: dict[str, int] = {}
    for _, r in _takers(matrix, item):
        chosen = [r.choice] if isinstance(r.choice, str) else list(r.choice or [])
        for option in [c for c in chosen if c] or [NO_ANSWER]:
            counts[option] = counts.get(option, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (kv[0] == NO_ANSWER, kv[0])))


def mean_seconds(matrix: list[CandidateRow], item: int) -> float | None:
    """Mean time on the item over the candidates whose time was recorded."""
    times = [r.seconds for _, r in _takers(matrix, item) if r.seconds is not None]
    return statistics.fmean(times) if times else None


def _common(matrix: list[CandidateRow]) -> list[int]:
    if not matrix:
        return []
    shared = set.intersection(*({i for i, r in row.items.items() if r.possible > 0} for row in matrix))
    return sorted(shared)


def _alpha(columns: list[list[float]]) -> float | None:
    """k/(k−1) × (1 − Σ var(item) / var(total)), or None below 2 items, 2 candidates or a constant total."""
    k = len(columns)
    if k < 2 or len(columns[0]) < 2:
        return None
    totals = [math.fsum(scores) for scores in zip(*columns, strict=True)]
    total_variance = statistics.pvariance(totals)
    if total_variance == 0:
        return None
    item_variance = math.fsum(statistics.pvariance(c) for c in columns)
    return min(1.0, k / (k - 1) * (1 - item_variance / total_variance))


def cronbach_alpha(matrix: list[CandidateRow]) -> float | None:
    """Cronbach's alpha over the items on every paper, on points earned (population variances)."""
    return _alpha([[row.items[i].earned for row in matrix] for i in _common(matrix)])


def kr20(matrix: list[CandidateRow]) -> float | None:
    """KR-20 = k/(k−1) × (1 − Σ p·q / var(number right)) over the items on every paper. None unless every
    score is all or nothing (then p·q is the item's population variance, and KR-20 equals alpha on
    0/1 scores)."""
    common = _common(matrix)
    results = [row.items[i] for i in common for row in matrix]
    if any(r.earned not in (0, r.possible) for r in results):
        return None
    return _alpha([[row.items[i].earned / row.items[i].possible for row in matrix] for i in common])


def sem(matrix: list[CandidateRow]) -> float | None:
    """The standard error of measurement SD × √(1 − alpha), SD the population SD of the totals over the
    items on every paper (in points, like alpha)."""
    alpha = cronbach_alpha(matrix)
    if alpha is None:
        return None
    common = _common(matrix)
    sd = statistics.pstdev([math.fsum(row.items[i].earned for i in common) for row in matrix])
    return sd * math.sqrt(1 - alpha)


def flags(facility: float, discrimination: float | None) -> list[str]:
    """ "too easy" (facility > 0.9), "too hard" (< 0.2), "negative discrimination" (< 0), else "weak
    discrimination" (< 0.2). No discrimination flag when it could not be computed."""
    found = []
    if facility > TOO_EASY:
        found.append(N_("too easy"))
    if facility < TOO_HARD:
        found.append(N_("too hard"))
    if discrimination is not None and discrimination < 0:
        found.append(N_("negative discrimination"))
    elif discrimination is not None and discrimination < WEAK:
        found.append(N_("weak discrimination"))
    return found


def item_report(matrix: list[CandidateRow]) -> list[ItemStats]:
    """Statistics for every item on any paper, by item id."""
    report = []
    for item in sorted({i for row in matrix for i in row.items}):
        takers = _takers(matrix, item)
        if not takers:
            continue
        p, r = facility(matrix, item), point_biserial(matrix, item)
        d = upper_lower(matrix, item) if len(takers) >= 2 else None
        report.append(
            ItemStats(
                item=item,
                candidates=len(takers),
                facility=p,
                point_biserial=r,
                upper_lower=d,
                distractors=distractors(matrix, item),
                mean_seconds=mean_seconds(matrix, item),
                flags=flags(p, r if r is not None else d),
            )
        )
    return report


def test_report(matrix: list[CandidateRow]) -> TestStats:
    """The whole test: candidates, items, mean and SD of the totals, alpha, KR-20 and the SEM."""
    totals = [_total(row) for row in matrix]
    return TestStats(
        candidates=len(matrix),
        items=len({i for row in matrix for i in row.items}),
        common_items=len(_common(matrix)),
        mean=statistics.fmean(totals) if totals else None,
        sd=statistics.pstdev(totals) if totals else None,
        alpha=cronbach_alpha(matrix),
        kr20=kr20(matrix),
        sem=sem(matrix),
    )


test_report.__test__ = False  # not a pytest test, despite its name
