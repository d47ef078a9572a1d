"""How one item of a scheme becomes points on 100, with the formula and its numbers kept for the trail.

- platform, mean / max / latest of a 0–100 metric: that value (no result in the period: 0);
  count / sum: min(value / target, 1) × 100;
- indicator ratio: min(actual / target, cap) / cap × 100 (a target of 0 or less gives 0 and is flagged);
  piecewise: straight lines between the table's [value, points] pairs, flat beyond the ends;
  direct: the value itself;
- rating: rating / top of the scale × 100 (none yet, out of scale or without a comment: 0, flagged).

Points are kept within 0–100 and rounded half up to two decimals; so is points × item weight / 100.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from drill.appraisal.rules.bands import Band
from drill.appraisal.rules.items import Item
from drill.appraisal.rules.records import ItemTrail, ManagerEvidence, Period
from drill.appraisal.rules.scheme import rating_problems
from drill.messages import N_, Message

HUNDRED = Decimal(100)


def dec(value: float | int) -> Decimal:
    return Decimal(str(value))


def q(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def num(value: Decimal | float) -> str:
    """A number as the trail shows it: 1.3 not 1.3000, 1000 not 1E+3."""
    text = format(dec(value).normalize(), "f")
    return "0" if text == "-0" else text


def item_trail(
    item: Item, period: Period, ev: ManagerEvidence, bands: tuple[Band, ...] | None = None
) -> ItemTrail:
    """One item's points with how they were reached; `bands` (the scheme's) decide whether a rating's
    missing comment was required (scheme.comment_required)."""
    if item.source == "platform":
        inputs, how, points, refs, missing = _platform(item, period, ev)
    elif item.source == "indicator":
        inputs, how, points, refs, missing = _indicator(item, ev)
    else:
        inputs, how, points, refs, missing = _rating(item, ev, bands)
    points = q(min(max(points, Decimal(0)), HUNDRED))
    weighted = q(points * dec(item.weight) / HUNDRED)
    return ItemTrail(
        item.key,
        item.label,
        item.source,
        inputs,
        how,
        float(points),
        item.weight,
        float(weighted),
        tuple(refs),
        missing,
    )


HOW = {
    "count": N_("%(value)s results: min(%(value)s / %(goal)s, 1) × 100"),
    "sum": N_("%(value)s in all: min(%(value)s / %(goal)s, 1) × 100"),
    "mean": N_("mean of %(count)d results: %(value)s"),
    "max": N_("best of %(count)d results: %(value)s"),
    "latest": N_("latest of %(count)d results: %(value)s"),
}


def _platform(item: Item, period: Period, ev: ManagerEvidence):
    found = sorted((o for o in ev.platform.get(item.metric, []) if period.holds(o.on)), key=lambda o: o.on)
    values = [dec(o.value) for o in found]
    refs = [o.ref for o in found if o.ref]
    inputs = {"metric": item.metric, "values": [float(v) for v in values]}
    if item.aggregate in ("count", "sum"):
        value = dec(len(values)) if item.aggregate == "count" else sum(values, Decimal(0))
        points = min(value / dec(item.goal), Decimal(1)) * HUNDRED
        how = Message(HOW[item.aggregate], value=num(value), goal=num(item.goal))
        return {**inputs, item.aggregate: float(value), "target": item.goal}, how, points, refs, False
    if not values:
        return inputs, Message(N_("no results in the period: 0")), Decimal(0), refs, False
    mean = sum(values, Decimal(0)) / len(values)
    value = {"mean": mean, "max": max(values), "latest": values[-1]}[item.aggregate]
    how = Message(HOW[item.aggregate], count=len(values), value=num(q(value)))
    return inputs, how, value, refs, False


def _indicator(item: Item, ev: ManagerEvidence):
    refs = [ev.indicator_ref] if ev.indicator_ref else []
    needed = [item.column] + ([item.target] if item.convert == "ratio" else [])
    if any(c not in ev.indicators for c in needed):
        absent = ", ".join(c for c in needed if c not in ev.indicators)
        return {}, Message(N_("no value for %(columns)s: 0"), columns=absent), Decimal(0), refs, True
    value = dec(ev.indicators[item.column])
    if item.convert == "direct":
        return (
            {item.column: float(value)},
            Message(N_("%(value)s points"), value=num(value)),
            value,
            refs,
            False,
        )
    if item.convert == "piecewise":
        points = _piecewise(value, item.table)
        table = ", ".join(f"{num(x)}→{num(p)}" for x, p in item.table)
        how = Message(N_("%(value)s on the table (%(table)s)"), value=num(value), table=table)
        return {item.column: float(value)}, how, points, refs, False
    target = dec(ev.indicators[item.target])
    inputs = {"actual": float(value), "target": float(target), "cap": item.cap}
    if target <= 0:
        return (
            inputs,
            Message(N_("target %(target)s: no ratio, 0"), target=num(target)),
            Decimal(0),
            refs,
            True,
        )
    ratio, cap = value / target, dec(item.cap)
    inputs["ratio"] = float(q(ratio, "0.0001"))
    how = Message(
        N_("min(%(actual)s / %(target)s = %(ratio)s, %(cap)s) / %(cap)s × 100"),
        actual=num(value),
        target=num(target),
        ratio=num(q(ratio, "0.0001")),
        cap=num(cap),
    )
    return inputs, how, min(ratio, cap) / cap * HUNDRED, refs, False


def _piecewise(value: Decimal, table: tuple[tuple[float, float], ...]) -> Decimal:
    points = [(dec(x), dec(p)) for x, p in table]
    if value <= points[0][0]:
        return points[0][1]
    for (x0, p0), (x1, p1) in pairwise(points):
        if value <= x1:
            return p0 + (p1 - p0) * (value - x0) / (x1 - x0)
    return points[-1][1]


def _rating(item: Item, ev: ManagerEvidence, bands: tuple[Band, ...] | None):
    rating = ev.ratings.get(item.key)
    if rating is None or rating_problems(item, rating.value, rating.comment, bands):
        why = (
            N_("no rating yet: 0")
            if rating is None
            else N_("the rating is out of scale or has no comment: 0")
        )
        return {}, Message(why), Decimal(0), [rating.ref] if rating and rating.ref else [], True
    low, high = item.scale
    value = dec(rating.value)
    inputs = {"rating": float(value), "scale": [low, high], "comment": rating.comment, "by": rating.by}
    how = Message(N_("rating %(value)s / %(high)s × 100"), value=num(value), high=num(high))
    return inputs, how, value / dec(high) * HUNDRED, [rating.ref] if rating.ref else [], False
