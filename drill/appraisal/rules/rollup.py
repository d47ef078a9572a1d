"""Computing appraisal records: a pure function of the scheme and the evidence. No clock, no database.

For each manager, in this order (decimal arithmetic, rounded half up, so the trail's numbers add up):

1. each item → points on 100, two decimals (the formulas are in points.py and in `how` on the trail);
2. item weighted = points × item weight / 100; dimension score = Σ weighted items (two decimals);
3. contribution = dimension score × dimension weight / 100; subtotal = Σ contributions;
4. bonus: per item min(count × points, item cap), then min(Σ, bonus cap); deductions the same way;
5. total = subtotal + bonus − deductions, kept within 0–100, one decimal;
6. band by the total; any veto forces the lowest band; then the quota per unit (bands.py).

A rolled-up period (`from: monthly`) averages the totals of the finer records inside it; the mean, with one
decimal, is the total; vetoes in any of them carry up, then bands, vetoes and quota as above.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from drill.appraisal.rules.bands import Ranked, band_for, lowest, place
from drill.appraisal.rules.points import HUNDRED, dec, item_trail, num, q
from drill.appraisal.rules.records import (
    AdjustmentTrail,
    DimensionTrail,
    Evidence,
    ManagerEvidence,
    Occurrence,
    Part,
    Period,
    Record,
)
from drill.appraisal.rules.scheme import MONTHS, Adjustments, Scheme
from drill.messages import N_, Message

BONUS = {
    "unknown": N_("unknown bonus item “%(item)s” ignored"),
    "capped": N_("bonus %(raw)s capped at %(cap)s"),
}
DEDUCTION = {
    "unknown": N_("unknown deduction item “%(item)s” ignored"),
    "capped": N_("deductions %(raw)s capped at %(cap)s"),
}


def compute(scheme: Scheme, evidence: Evidence, unit_members: dict[str, list[str]]) -> list[Record]:
    """One record per manager in `evidence`, for a period kind the scheme computes `from: evidence`.

    `unit_members`: unit (e.g. branch code) → the managers appraised together for the quota; a manager
    belongs to one unit (the first one listing them counts) and one in no unit gets no quota.
    """
    rule = scheme.periods.get(evidence.period.kind)
    if rule is None or rule.source != "evidence":
        raise ValueError(f"{scheme.id} does not compute {evidence.period.kind} periods from evidence")
    records = [_record(scheme, evidence.period, m, ev) for m, ev in sorted(evidence.managers.items())]
    _grade(scheme, records, unit_members)
    return records


def roll_up(
    scheme: Scheme,
    period: Period,
    records: list[Record],
    unit_members: dict[str, list[str]],
    vetoes: dict[str, list[Occurrence]] | None = None,
) -> list[Record]:
    """Records for a period the scheme builds on finer ones (e.g. annual = mean of the monthly totals).

    `records` may hold anything: only this scheme's records of the declared finer kind inside `period` count.
    `vetoes` adds occurrences entered for the period itself.
    """
    rule = scheme.periods.get(period.kind)
    if rule is None or rule.source == "evidence":
        raise ValueError(f"{scheme.id} does not build {period.kind} periods on finer ones")
    expected = MONTHS[period.kind] // MONTHS[rule.source]
    parts: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        if record.scheme == scheme.id and record.period.kind == rule.source and record.period.within(period):
            parts[record.manager].append(record)
    out = []
    for manager in sorted(set(parts) | set(vetoes or {})):
        mine = sorted(parts.get(manager, []), key=lambda r: r.period.start)
        record = Record(manager, period, scheme.id, scheme.version)
        record.parts = [Part(r.period.label, r.total, r.band, r.vetoed) for r in mine]
        mean = sum((dec(r.total) for r in mine), Decimal(0)) / len(mine) if mine else Decimal(0)
        record.subtotal = record.total = float(q(mean, "0.1"))
        record.vetoes = [
            Occurrence(v.item, v.count, f"{r.period.label}: {v.note}".strip(), v.ref)
            for r in mine
            for v in r.vetoes
        ] + list((vetoes or {}).get(manager, []))
        if len(mine) < expected:
            record.missing.append(rule.source)
            record.notes.append(
                Message(
                    N_("mean of %(count)d of the %(expected)d %(kind)s totals"),
                    count=len(mine),
                    expected=expected,
                    kind=rule.source,
                )
            )
        versions = sorted({r.version for r in mine})
        if len(versions) > 1:
            record.notes.append(Message(N_("built on scheme versions %(versions)s"), versions=versions))
        out.append(record)
    _grade(scheme, out, unit_members, {m: _mean_ties(p) for m, p in parts.items()})
    return out


def _mean_ties(records: list[Record]) -> tuple[float, ...]:
    keys = [r.tie_keys() for r in records]
    if not keys or len({len(k) for k in keys}) != 1:
        return ()
    return tuple(float(sum(dec(k[i]) for k in keys) / len(keys)) for i in range(len(keys[0])))


def _grade(
    scheme: Scheme, records: list[Record], units: dict[str, list[str]], ties: dict | None = None
) -> None:
    floor = lowest(scheme.bands)
    for record in records:
        record.band_by_score = band_for(record.total, scheme.bands).key
        record.band_before_quota = floor.key if record.vetoes else record.band_by_score
        record.band = record.band_before_quota
        if record.vetoes:
            names = ", ".join(_label(scheme, v.item) for v in record.vetoes)
            record.notes.append(
                Message(
                    N_("veto (%(items)s): graded %(band)s whatever the score"), items=names, band=floor.label
                )
            )
    by_manager = {r.manager: r for r in records}
    taken: set[str] = set()
    for unit, members in sorted(units.items()):
        present = [by_manager[m] for m in dict.fromkeys(members) if m in by_manager and m not in taken]
        taken.update(r.manager for r in present)
        entries = [
            Ranked(r.manager, r.total, r.band_before_quota, (ties or {}).get(r.manager) or r.tie_keys())
            for r in present
        ]
        for manager, placed in place(unit, entries, scheme.quota, scheme.bands).items():
            record = by_manager[manager]
            record.unit, record.rank, record.unit_size, record.band = (
                unit,
                placed.rank,
                placed.members,
                placed.band,
            )
            if placed.note is not None:
                record.notes.append(placed.note)


def _label(scheme: Scheme, key: str) -> str:
    return next((v.label for v in scheme.vetoes if v.key == key), key)


def _record(scheme: Scheme, period: Period, manager: str, ev: ManagerEvidence) -> Record:
    record = Record(manager, period, scheme.id, scheme.version)
    subtotal = Decimal(0)
    for dimension in scheme.dimensions:
        items = tuple(item_trail(item, period, ev, scheme.bands) for item in dimension.items)
        score = sum((dec(i.weighted) for i in items), Decimal(0))
        contribution = q(score * dec(dimension.weight) / HUNDRED)
        subtotal += contribution
        record.dimensions.append(
            DimensionTrail(
                dimension.key, dimension.label, dimension.weight, float(score), float(contribution), items
            )
        )
        record.missing += [i.key for i in items if i.missing]
    record.subtotal = float(subtotal)
    record.bonus, bonus = _adjust(scheme.bonus, ev.bonus, record, BONUS)
    record.deductions, deduction = _adjust(scheme.deductions, ev.deductions, record, DEDUCTION)
    record.bonus_total, record.deduction_total = float(bonus), float(deduction)
    raw = subtotal + bonus - deduction
    record.total = float(q(min(max(raw, Decimal(0)), HUNDRED), "0.1"))
    if raw != min(max(raw, Decimal(0)), HUNDRED):
        record.notes.append(Message(N_("%(raw)s is kept within 0–100"), raw=num(raw)))
    known = {v.key for v in scheme.vetoes}
    record.vetoes = [v for v in ev.vetoes if v.item in known and v.count > 0]
    for veto in ev.vetoes:
        if veto.item not in known:
            record.notes.append(Message(N_("unknown veto item “%(item)s” ignored"), item=veto.item))
    return record


def _adjust(
    scheme_items: Adjustments, occurrences: list[Occurrence], record: Record, what: dict[str, str]
) -> tuple[list[AdjustmentTrail], Decimal]:
    grouped: dict[str, list[Occurrence]] = defaultdict(list)
    for occurrence in occurrences:
        if scheme_items.get(occurrence.item) is None:
            record.notes.append(Message(what["unknown"], item=occurrence.item))
        elif occurrence.count > 0:
            grouped[occurrence.item].append(occurrence)
    trails = []
    for adjustment in scheme_items.items:
        found = grouped.get(adjustment.key)
        if not found:
            continue
        count = sum(o.count for o in found)
        raw = dec(adjustment.points) * count
        points = min(raw, dec(adjustment.cap))
        trails.append(
            AdjustmentTrail(
                adjustment.key,
                adjustment.label,
                count,
                adjustment.points,
                float(raw),
                adjustment.cap,
                float(points),
                tuple(o.note for o in found if o.note),
                tuple(o.ref for o in found if o.ref),
            )
        )
    total = sum((dec(t.points) for t in trails), Decimal(0))
    if total > dec(scheme_items.cap):
        record.notes.append(
            Message(
                what["capped"],
                raw=num(total),
                cap=num(scheme_items.cap),
            )
        )
        total = dec(scheme_items.cap)
    return trails, total
