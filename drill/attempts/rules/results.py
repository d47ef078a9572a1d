"""Summing an attempt's scored items into totals and a per-competency breakdown. Pure."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ScoredItem:
    points: float
    earned: float | None  # None: an open answer, self-assessed in practice and never in the score
    competencies: tuple[str, ...]


@dataclass(frozen=True)
class Share:
    earned: float
    points: float

    @property
    def percent(self) -> float:
        return round(100 * self.earned / self.points, 1) if self.points else 0.0


def total(items: list[ScoredItem]) -> Share:
    scored = [i for i in items if i.earned is not None]
    return Share(round(sum(i.earned for i in scored), 2), round(sum(i.points for i in scored), 2))


def by_competency(items: list[ScoredItem]) -> dict[str, Share]:
    """Each competency's share of the auto-scored points; an item counts fully for each competency."""
    sums: dict[str, list[float]] = {}
    for item in items:
        if item.earned is None:
            continue
        for key in item.competencies:
            earned, points = sums.setdefault(key, [0.0, 0.0])
            sums[key] = [earned + item.earned, points + item.points]
    return {key: Share(round(e, 2), round(p, 2)) for key, (e, p) in sorted(sums.items())}
