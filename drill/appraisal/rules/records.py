"""What goes into a computation (evidence) and what comes out (records with their trail). Plain data.

The evidence is gathered by the services for one period: platform observations per metric, the values of
the imported indicator sheet, the supervisors' ratings, and the bonus, deduction and veto occurrences the
management group entered. Each piece may carry a `ref` (e.g. "attempt 812", "sheet 2025-03 row 7",
"rating 41") so every number on a record leads back to its evidence.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date

from drill.messages import Message


@dataclass(frozen=True)
class Period:
    kind: str  # monthly / quarterly / semiannual / annual
    start: date
    end: date  # included
    label: str = ""  # "2025-03", "2025-Q1", "2025"

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end

    def within(self, other: Period) -> bool:
        return other.start <= self.start and self.end <= other.end


@dataclass(frozen=True)
class Observation:
    value: float
    on: date  # the day it happened (only days inside the period count)
    ref: str = ""


@dataclass(frozen=True)
class Rating:
    value: float
    comment: str
    by: str = ""
    ref: str = ""


@dataclass(frozen=True)
class Occurrence:
    """One bonus, deduction or veto entry: `count` occurrences of the scheme item `item`."""

    item: str
    count: int = 1
    note: str = ""
    ref: str = ""


@dataclass
class ManagerEvidence:
    platform: dict[str, list[Observation]] = field(default_factory=dict)  # metric → observations
    indicators: dict[str, float] = field(default_factory=dict)  # indicator column → value
    ratings: dict[str, Rating] = field(default_factory=dict)  # rating item key → rating
    bonus: list[Occurrence] = field(default_factory=list)
    deductions: list[Occurrence] = field(default_factory=list)
    vetoes: list[Occurrence] = field(default_factory=list)
    indicator_ref: str = ""  # e.g. "sheet 2025-03 (sha256 1a2b…) row 7"


@dataclass
class Evidence:
    period: Period
    managers: dict[str, ManagerEvidence]  # manager (employee number) → evidence


@dataclass(frozen=True)
class ItemTrail:
    key: str
    label: str
    source: str
    inputs: dict  # the raw numbers, e.g. {"actual": 1300, "target": 1000}
    how: Message  # the formula with the numbers in it
    points: float  # 0–100, two decimals
    weight: float  # its share of the dimension
    weighted: float  # points × weight / 100, two decimals
    refs: tuple[str, ...] = ()
    missing: bool = False  # an input the management group still has to supply


@dataclass(frozen=True)
class DimensionTrail:
    key: str
    label: str
    weight: float  # its share of the total
    score: float  # Σ the items' weighted points, 0–100
    contribution: float  # score × weight / 100, two decimals
    items: tuple[ItemTrail, ...]


@dataclass(frozen=True)
class AdjustmentTrail:
    key: str
    label: str
    count: int
    per: float  # points per occurrence
    raw: float  # count × per
    cap: float
    points: float  # min(raw, cap)
    notes: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Part:
    """A finer period's record that a rolled-up total averages."""

    label: str
    total: float
    band: str
    vetoed: bool


@dataclass
class Record:
    manager: str
    period: Period
    scheme: str
    version: int
    dimensions: list[DimensionTrail] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)  # rolled-up periods: what the mean is of
    subtotal: float = 0.0  # Σ contributions, or the mean of the parts
    bonus: list[AdjustmentTrail] = field(default_factory=list)
    bonus_total: float = 0.0  # after the scheme's overall bonus cap
    deductions: list[AdjustmentTrail] = field(default_factory=list)
    deduction_total: float = 0.0  # after the scheme's overall deduction cap
    vetoes: list[Occurrence] = field(default_factory=list)
    total: float = 0.0  # clamped to 0–100, one decimal
    band_by_score: str = ""
    band_before_quota: str = ""  # after vetoes
    band: str = ""  # after the quota: the grade
    unit: str | None = None
    rank: int | None = None
    unit_size: int | None = None
    notes: list[Message] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # item keys without their input

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)

    def tie_keys(self) -> tuple[float, ...]:
        return tuple(d.contribution for d in self.dimensions)

    def as_dict(self) -> dict:
        """JSON-ready: dates as ISO text, messages as their English text with template and parameters.

        What `plain(dataclasses.asdict(self))` gives, built in one walk without asdict's deep copies: the
        roll-up writes 50,000 of these at a time."""
        return _plain(self)

    def explain(self) -> list[str]:
        """The record line by line: "why is my score 82.4?"."""
        lines = [f"{self.period.label or self.period.kind} · {self.scheme} v{self.version} · {self.manager}"]
        for dim in self.dimensions:
            lines.append(
                f"{dim.label} ({dim.weight:g}%): {dim.score:.2f} × {dim.weight:g}% = {dim.contribution:.2f}"
            )
            for item in dim.items:
                lines.append(
                    f"  {item.label} ({item.weight:g}%): {item.how} = {item.points:.2f} "
                    f"→ × {item.weight:g}% = {item.weighted:.2f}" + (" [missing]" if item.missing else "")
                )
        for part in self.parts:
            lines.append(f"  {part.label}: {part.total:.1f} {part.band}" + (" (veto)" if part.vetoed else ""))
        if self.parts:
            lines.append(f"mean of {len(self.parts)} = {self.subtotal:.1f}")
        else:
            lines.append(f"subtotal {self.subtotal:.2f}")
        for name, sign, items, total in (
            ("bonus", "+", self.bonus, self.bonus_total),
            ("deductions", "−", self.deductions, self.deduction_total),
        ):
            for adj in items:
                capped = f", capped at {adj.cap:g}" if adj.raw > adj.cap else ""
                lines.append(
                    f"  {sign} {adj.label}: {adj.count} × {adj.per:g} = {adj.raw:g}{capped} → {adj.points:g}"
                )
            if items:
                lines.append(f"{name} {sign}{total:.2f}")
        if self.parts:
            lines.append(f"total {self.total:.1f} → {self.band_by_score}")
        else:
            raw = self.subtotal + self.bonus_total - self.deduction_total
            lines.append(
                f"total {self.subtotal:.2f} + {self.bonus_total:.2f} − {self.deduction_total:.2f} "
                f"= {raw:.2f} → {self.total:.1f} → {self.band_by_score}"
            )
        for veto in self.vetoes:
            lines.append(f"veto {veto.item}: {veto.note} → {self.band_before_quota}")
        lines.extend(str(note) for note in self.notes)
        lines.append(f"grade {self.band}")
        return lines


_FIELDS: dict[type, tuple[str, ...]] = {}
_ATOMS = (str, int, float, bool, type(None), date)
_MESSAGE = {"template", "params"}


def stored_tie_keys(trail: dict) -> list[float]:
    """A stored record's tie keys, read from its trail: each dimension's contribution, in order (what
    `Record.tie_keys` gave before the record was stored)."""
    return [
        float(d["contribution"]) for d in trail.get("dimensions") or () if d.get("contribution") is not None
    ]


def _asdict(value):
    """dataclasses.asdict for the values a record holds (dataclasses, lists, tuples, dicts, atoms): the
    same structure, sharing the immutable atoms instead of copying them."""
    if isinstance(value, _ATOMS):
        return value
    kind = type(value)
    names = _FIELDS.get(kind)
    if names is None and is_dataclass(value):
        names = _FIELDS.setdefault(kind, tuple(f.name for f in fields(value)))
    if names is not None:
        return {name: _asdict(getattr(value, name)) for name in names}
    if isinstance(value, list):
        return [_asdict(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_asdict(v) for v in value)
    if isinstance(value, dict):
        return {_asdict(k): _asdict(v) for k, v in value.items()}
    return copy.deepcopy(value)


def _plain(value):
    """`plain(asdict(value))` in one walk: a message gains its English text (formatted from its asdict
    form), dates become ISO text, tuples become lists."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, _ATOMS):
        return value
    names = _FIELDS.get(type(value))
    if names is None and is_dataclass(value):
        names = _FIELDS.setdefault(type(value), tuple(f.name for f in fields(value)))
    if names is not None and set(names) != _MESSAGE:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if names is not None or (isinstance(value, dict) and set(value) == _MESSAGE):
        raw = _asdict(value)
        return {"text": raw["template"] % raw["params"], **raw}
    if isinstance(value, dict):
        return {_asdict(k): _plain(v) for k, v in value.items()}
    return _plain(copy.deepcopy(value))
