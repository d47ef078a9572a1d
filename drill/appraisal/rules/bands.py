"""Grade bands and the quota on the top band. Pure.

A band holds the totals from `from` up to but not including `to`; the top band's `to` is 100 and includes
100 itself. Bands are listed from the highest down; together they cover 0–100 with no gap and no overlap.

A quota caps one band per unit: at most max(`at_least`, floor(`share` × n)) of the n appraised members of a
unit may keep it (share 0.2, at_least 1: 20%, but one person in a unit of 5 or fewer). Members are ranked
by total, then by the dimensions' weighted contributions in the order the scheme lists them. Whoever ranks
beyond the quota moves down to the next band. When members tie exactly on every key across the quota line,
all of the tied members move down: a quota is a cap and is never exceeded, and the management group may
then settle the tie by amending a rating (which is audited) rather than by the order of a list.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

from drill.appraisal.yamldoc import Fields
from drill.messages import N_, Message


@dataclass(frozen=True)
class Band:
    key: str  # excellent / good / pass / fail — the grade key level rules use
    label: str  # 优秀 / 良好 / 合格 / 不合格
    low: float  # `from`: included
    high: float  # `to`: excluded, except 100 on the top band

    def holds(self, total: float) -> bool:
        return self.low <= total < self.high or (self.high == 100 and total == 100)


@dataclass(frozen=True)
class Quota:
    band: str
    share: float
    at_least: int = 1

    def allowed(self, members: int) -> int:
        return min(members, max(self.at_least, math.floor(round(self.share * members, 9))))


@dataclass(frozen=True)
class Ranked:
    """What the quota needs to know of one member's record."""

    manager: str
    total: float
    band: str
    tie_keys: tuple[float, ...] = ()  # the dimensions' contributions, in scheme order


@dataclass(frozen=True)
class Placed:
    manager: str
    rank: int  # 1 = best in the unit; equal keys share a rank (1, 2, 2, 4)
    members: int
    band: str  # after the quota
    note: Message | None = None  # why the band changed (or why a tie kept someone out)


def band_for(total: float, bands: tuple[Band, ...]) -> Band:
    """The band holding `total` (clamped into 0–100); bands are checked to cover 0–100."""
    total = min(max(total, 0.0), 100.0)
    return next(b for b in bands if b.holds(total))


def lowest(bands: tuple[Band, ...]) -> Band:
    return min(bands, key=lambda b: b.low)


def below(band_key: str, bands: tuple[Band, ...]) -> str:
    ordered = sorted(bands, key=lambda b: b.low, reverse=True)
    index = next(i for i, b in enumerate(ordered) if b.key == band_key)
    return ordered[min(index + 1, len(ordered) - 1)].key


def place(
    unit: str, entries: list[Ranked], quota: Quota | None, bands: tuple[Band, ...]
) -> dict[str, Placed]:
    """Rank a unit's members and apply the quota; returns manager → placement."""

    def order(e: Ranked) -> tuple:
        return (e.total, *e.tie_keys)

    ranked = sorted(entries, key=order, reverse=True)
    placed: dict[str, Placed] = {}
    for entry in ranked:
        rank = 1 + sum(order(other) > order(entry) for other in entries)
        placed[entry.manager] = Placed(entry.manager, rank, len(entries), entry.band)
    if quota is None:
        return placed
    allowed = quota.allowed(len(entries))
    holders = [e for e in ranked if e.band == quota.band]
    if len(holders) <= allowed:
        return placed
    line = order(holders[allowed])  # the best of those beyond the quota
    straddles = allowed > 0 and order(holders[allowed - 1]) == line
    for position, entry in enumerate(holders):
        tied = straddles and order(entry) == line
        if position < allowed and not tied:
            continue
        params = {
            "unit": unit,
            "allowed": allowed,
            "members": len(entries),
            "band": next(b.label for b in bands if b.key == quota.band),
            "rank": placed[entry.manager].rank,
        }
        template = (
            N_(
                "tied at the quota line of %(unit)s (at most %(allowed)d of %(members)d may be %(band)s): "
                "every tied member moves down"
            )
            if tied
            else N_(
                "ranked %(rank)d in %(unit)s, beyond the quota (at most %(allowed)d of %(members)d "
                "may be %(band)s)"
            )
        )
        placed[entry.manager] = Placed(
            entry.manager,
            placed[entry.manager].rank,
            len(entries),
            below(entry.band, bands),
            Message(template, **params),
        )
    return placed


def parse_bands(fields: Fields, value: object) -> tuple[Band, ...]:
    """`bands:` — listed from the highest down; checked for gaps, overlaps and the 0–100 range."""
    path = ("bands",)
    example = "`- {key: excellent, label: 优秀, from: 90, to: 100}`"
    bands: list[tuple[int, Band]] = []
    for index, entry in enumerate(fields.items(value, path, example)):
        at = (*path, index)
        if fields.mapping(entry, at, example) is None:
            continue
        fields.only(entry, at, ("key", "label", "from", "to"))
        key, label = fields.key(entry, at), fields.text(entry, at, "label")
        low = fields.number(entry, at, "from", minimum=0, maximum=100)
        high = fields.number(entry, at, "to", minimum=0, maximum=100)
        if None in (key, label, low, high):
            continue
        if high <= low:
            fields.error(
                at,
                Message(
                    N_("band `%(key)s`: `to: %(high)g` must be above `from: %(low)g`"),
                    key=key,
                    high=high,
                    low=low,
                ),
            )
            continue
        if any(b.key == key for _, b in bands):
            fields.error(
                (*at, "key"),
                Message(N_("band `%(key)s` is defined twice; every band needs its own key"), key=key),
            )
            continue
        bands.append((index, Band(key, label, low, high)))
    if len(bands) < 2:
        if bands:
            fields.error(path, Message(N_("a scheme needs at least two bands, e.g. 优秀/良好/合格/不合格")))
        return tuple(b for _, b in bands)
    listed = [b for _, b in bands]
    if listed != sorted(listed, key=lambda b: b.low, reverse=True):
        fields.error(path, Message(N_("list the bands from the highest down (优秀 first, 不合格 last)")))
    ordered = sorted(bands, key=lambda ib: ib[1].low)
    ok = True
    if ordered[0][1].low != 0:
        fields.error(
            (*path, ordered[0][0], "from"),
            Message(
                N_("totals below %(low)g fall in no band; the lowest band starts at `from: 0`"),
                low=ordered[0][1].low,
            ),
        )
        ok = False
    if ordered[-1][1].high != 100:
        fields.error(
            (*path, ordered[-1][0], "to"), Message(N_("the top band ends at `to: 100` (100 itself included)"))
        )
        ok = False
    for (_, lower), (index, upper) in pairwise(ordered):
        if lower.high < upper.low:
            fields.error(
                (*path, index, "from"),
                Message(
                    N_(
                        "totals from %(high)g up to %(low)g fall in no band; set `from: %(high)g` here "
                        "or `to: %(low)g` on `%(key)s` (`to` is not included)"
                    ),
                    high=lower.high,
                    low=upper.low,
                    key=lower.key,
                ),
            )
            ok = False
        elif lower.high > upper.low:
            fields.error(
                (*path, index, "from"),
                Message(
                    N_(
                        "bands `%(lower)s` and `%(upper)s` overlap from %(low)g to %(high)g; "
                        "`%(lower)s` should end at `to: %(low)g`"
                    ),
                    lower=lower.key,
                    upper=upper.key,
                    low=upper.low,
                    high=lower.high,
                ),
            )
            ok = False
    return tuple(listed) if ok else ()


def parse_quota(fields: Fields, value: object, bands: tuple[Band, ...]) -> Quota | None:
    path = ("quota",)
    if value is None:
        return None
    entry = fields.mapping(value, path, "`quota: {band: excellent, share: 0.2, at_least: 1}`")
    if entry is None:
        return None
    fields.only(entry, path, ("band", "share", "at_least"))
    band = fields.text(entry, path, "band")
    share = fields.number(entry, path, "share", above=0, maximum=1)
    at_least = fields.number(entry, path, "at_least", required=False, default=1, minimum=0)
    if band is not None and bands and band not in {b.key for b in bands}:
        fields.error(
            (*path, "band"),
            Message(
                N_("`band: %(band)s` is not one of the bands (%(bands)s)"),
                band=band,
                bands=", ".join(b.key for b in bands),
            ),
        )
        return None
    if at_least is not None and at_least != int(at_least):
        fields.error(
            (*path, "at_least"), Message(N_("`at_least` is a whole number of people, e.g. `at_least: 1`"))
        )
        return None
    if band is None or share is None or at_least is None:
        return None
    if bands and band == lowest(bands).key:
        fields.error(
            (*path, "band"), Message(N_("a quota on the lowest band has nowhere to move people down to"))
        )
        return None
    return Quota(band, share, int(at_least))
