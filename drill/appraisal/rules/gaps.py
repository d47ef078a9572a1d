"""The competency profile's gaps and the packs that close them. Pure: percentages in, choices out.

A profile is competency → percent of the points earned on drill questions of that competency (over the
last 90 days). A gap is a competency where the manager is below the whole organisation, or below an
absolute threshold (60%) whatever the others score: a manager at 0% is never told to "keep it up" because
the organisation is at 0% too. The largest shortfall (below the organisation or below the threshold,
whichever is more) comes first. A competency the organisation practised and the manager never did counts
as 0%: not practising it is the widest gap of all.
"""

from __future__ import annotations

from dataclasses import dataclass

WINDOW_DAYS = 90
MAX_GAPS = 3
THRESHOLD = 60.0  # percent: below it a competency needs work, whatever the organisation scores
PACKS_PER_GAP = 2


@dataclass(frozen=True)
class Gap:
    competency: str
    mine: float | None  # None: never practised in the window
    branch: float | None
    organisation: float

    threshold: float = THRESHOLD

    @property
    def difference(self) -> float:
        return round((self.mine or 0.0) - self.organisation, 1)

    @property
    def below_organisation(self) -> bool:
        return self.difference < 0

    @property
    def below_threshold(self) -> bool:
        return (self.mine or 0.0) < self.threshold

    @property
    def shortfall(self) -> float:
        """How far there is to go: to the organisation or to the threshold, whichever is further."""
        return round(max(-self.difference, self.threshold - (self.mine or 0.0)), 1)


@dataclass(frozen=True)
class Offer:
    """A quiz pack that exercises a gap's competency: how many of its current questions do."""

    competency: str
    pack_id: int
    slug: str
    title: str
    questions: int


def axes(order: list[str], organisation: dict[str, float]) -> list[str]:
    """The radar's axes: the competencies the organisation practised, in the taxonomy's order."""
    known = [c for c in order if c in organisation]
    return known + sorted(c for c in organisation if c not in known)


def gaps(
    mine: dict[str, float],
    branch: dict[str, float],
    organisation: dict[str, float],
    limit: int = MAX_GAPS,
    threshold: float = THRESHOLD,
) -> list[Gap]:
    found = [Gap(c, mine.get(c), branch.get(c), organisation[c], threshold) for c in organisation]
    below = [g for g in found if g.below_organisation or g.below_threshold]
    return sorted(below, key=lambda g: (-g.shortfall, g.difference, g.competency))[:limit]


NO_DATA, NOT_PRACTISED, BELOW, NONE_BELOW = "no-data", "not-practised", "below", "none-below"


def status(mine: dict[str, float], organisation: dict[str, float], found: list[Gap]) -> str:
    """What the gaps section can say: nobody drilled yet (nothing to measure against), this manager did
    not drill in the window, some competencies are below the organisation or the threshold, or none is."""
    if not organisation:
        return NO_DATA
    if not mine:
        return NOT_PRACTISED
    return BELOW if found else NONE_BELOW


def offers(gap_list: list[Gap], packs: dict[str, list[Offer]], per_gap: int = PACKS_PER_GAP) -> list[Offer]:
    """For each gap in order, the packs with the most questions of its competency (then by title)."""
    chosen = []
    for gap in gap_list:
        ranked = sorted(packs.get(gap.competency, []), key=lambda o: (-o.questions, o.title, o.pack_id))
        chosen += ranked[:per_gap]
    return chosen
