"""An appraisal scheme file (`content/appraisal/*.yaml`, `kind: appraisal-scheme`) → a checked `Scheme`.

The content schema, key by key (every problem is reported with its line and what to write instead):

- `id`, `title`, `audience` (bank / tobacco), `version` (a whole number; a computed period keeps the version
  it used, so raise it whenever a number changes).
- `periods`: period kind (monthly / quarterly / semiannual / annual) → `{from: evidence}` (computed from the
  period's evidence) or `{from: monthly}` (the mean of the totals of the finer periods inside it).
- `indicators`: the columns of the indicator sheet besides 工号 — `key`, `label` (the sheet header), `min`,
  `max`, `unit`.
- `dimensions`: `key`, `label`, `weight` (the dimensions' weights sum to 100) and `items`, whose `weight`s
  within the dimension sum to 100 (a lone item may leave it out). An item's `source` is one of
  - `platform`: `metric` (see METRICS) and `aggregate` over the period: mean / max / latest of a 0–100
    metric, or count / sum with a `target` (points = min(value / target, 1) × 100);
  - `indicator`: `convert: ratio` with `actual` and `target` columns and `cap` (points = min(actual /
    target, cap) / cap × 100), `convert: piecewise` with a `column` and a `table` of [value, points] pairs
    (straight lines between them, flat beyond the ends), or `convert: direct` (the column is already 0–100);
  - `rating`: a supervisor's rating on `scale: [1, 5]` or `[0, 100]` (points = rating / top of the scale ×
    100), with `comment`: `extremes` (the default: a comment is required when the mark's points fall in the
    top or the bottom band), `always` or `never`.
- `bonus` and `deductions`: `cap` for all items together and `items` with `points` per occurrence and their
  own `cap`. `vetoes`: items (一票否决) that force the lowest band.
- `bands` and `quota`: see bands.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from drill.appraisal.rules.bands import Band, Quota, parse_bands, parse_quota
from drill.appraisal.rules.items import Column, Dimension, Item, parse_dimensions
from drill.appraisal.yamldoc import Fields, is_number
from drill.messages import N_, Message

KIND = "appraisal-scheme"
AUDIENCES = ("bank", "tobacco")
PERIOD_KINDS = ("monthly", "quarterly", "semiannual", "annual")  # finest first
MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}


@dataclass(frozen=True)
class Adjustment:
    key: str
    label: str
    points: float  # per occurrence
    cap: float  # at most this much from this item


@dataclass(frozen=True)
class Adjustments:
    cap: float = 0.0  # at most this much from all items together
    items: tuple[Adjustment, ...] = ()

    def get(self, key: str) -> Adjustment | None:
        return next((a for a in self.items if a.key == key), None)


@dataclass(frozen=True)
class Veto:
    key: str
    label: str


@dataclass(frozen=True)
class PeriodRule:
    kind: str
    source: str  # "evidence", or a finer period kind whose totals are averaged


@dataclass(frozen=True)
class Scheme:
    id: str
    title: str
    audience: str
    version: int
    periods: dict[str, PeriodRule]
    columns: tuple[Column, ...]
    dimensions: tuple[Dimension, ...]
    bonus: Adjustments
    deductions: Adjustments
    vetoes: tuple[Veto, ...]
    bands: tuple[Band, ...]  # highest first
    quota: Quota | None = None
    file: str = field(default="", compare=False)

    def item(self, key: str) -> Item | None:
        return next((i for d in self.dimensions for i in d.items if i.key == key), None)

    def band(self, key: str) -> Band | None:
        return next((b for b in self.bands if b.key == key), None)

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


def comment_required(item: Item, value: float, bands: tuple[Band, ...] | None) -> bool:
    """Whether a rating of `value` needs a comment: by the item's `comment` rule; `extremes` asks for one
    when the mark's points fall in the top or the bottom of `bands` (None: the bands are not at hand, as
    when a stored rating is scored, and only `always` asks)."""
    if item.comment == "always":
        return True
    if item.comment == "never" or bands is None:
        return False
    if not bands:
        return True
    points = value / item.scale[1] * 100
    return bands[0].holds(points) or bands[-1].holds(points)


def rating_problems(
    item: Item, value: object, comment: str | None, bands: tuple[Band, ...] | None = ()
) -> list[Message]:
    """What is wrong with a supervisor's rating for `item`; empty when it is fine. `bands` empty: a
    comment is asked for whatever the rule (the cautious reading)."""
    low, high = item.scale or (0, 100)
    found = []
    in_scale = is_number(value) and low <= value <= high
    if not in_scale:
        found.append(Message(N_("the rating must be a number from %(low)g to %(high)g"), low=low, high=high))
    needed = comment_required(item, value, bands) if in_scale else item.comment != "never"
    if needed and not (comment or "").strip():
        if item.comment == "extremes" and bands and in_scale:
            found.append(
                Message(N_("a mark in the top or bottom band needs a comment saying what it is based on"))
            )
        else:
            found.append(Message(N_("a rating needs a comment saying what it is based on")))
    return found


def parse_scheme(fields: Fields) -> Scheme | None:
    """Check a loaded scheme file; None when anything is wrong (every problem is in `fields.problems`)."""
    data = fields.data
    before = len(fields.problems.items)
    fields.only(
        data,
        (),
        (
            "kind",
            "id",
            "title",
            "audience",
            "version",
            "periods",
            "indicators",
            "dimensions",
            "bonus",
            "deductions",
            "vetoes",
            "bands",
            "quota",
        ),
    )
    scheme_id, title = fields.slug(data, ()), fields.text(data, (), "title")
    audience = fields.choice(data, (), "audience", AUDIENCES)
    version = fields.number(data, (), "version", minimum=1)
    if version is not None and version != int(version):
        fields.error(("version",), Message(N_("`version` is a whole number, e.g. `version: 2`")))
    periods = _periods(fields, data.get("periods"))
    columns = _columns(fields, data.get("indicators"))
    dimensions = parse_dimensions(fields, data.get("dimensions"), {c.key: c for c in columns})
    bonus = _adjustments(fields, "bonus", data.get("bonus"))
    deductions = _adjustments(fields, "deductions", data.get("deductions"))
    vetoes = _vetoes(fields, data.get("vetoes"))
    bands = parse_bands(fields, data.get("bands"))
    quota = parse_quota(fields, data.get("quota"), bands)
    keys: dict[str, Message] = {}
    for what, named in (
        (Message(N_("item")), [i for d in dimensions for i in d.items]),
        (Message(N_("dimension")), dimensions),
        (Message(N_("bonus item")), bonus.items),
        (Message(N_("deduction item")), deductions.items),
        (Message(N_("veto")), vetoes),
    ):
        for thing in named:
            if thing.key in keys:
                fields.error(
                    (),
                    Message(
                        N_(
                            "the key `%(key)s` names both a %(first)s and a %(second)s; "
                            "every key in a scheme must be unique"
                        ),
                        key=thing.key,
                        first=keys[thing.key],
                        second=what,
                    ),
                )
            keys.setdefault(thing.key, what)
    if len(fields.problems.items) > before or None in (scheme_id, title, audience, version):
        return None
    return Scheme(
        scheme_id,
        title,
        audience,
        int(version),
        periods,
        columns,
        dimensions,
        bonus,
        deductions,
        vetoes,
        bands,
        quota,
        fields.problems.file,
    )


def _periods(fields: Fields, value: object) -> dict[str, PeriodRule]:
    path = ("periods",)
    entry = fields.mapping(value, path, "`periods: {monthly: {from: evidence}, annual: {from: monthly}}`")
    rules: dict[str, PeriodRule] = {}
    for kind in PERIOD_KINDS:
        if kind in (entry or {}):
            at = (*path, kind)
            spec = fields.mapping(entry[kind], at, "`{from: evidence}` or `{from: monthly}`")
            if spec is None:
                continue
            fields.only(spec, at, ("from",))
            finer = PERIOD_KINDS[: PERIOD_KINDS.index(kind)]
            source = fields.choice(spec, at, "from", ("evidence", *finer))
            if source and source != "evidence" and source not in entry:
                fields.error(
                    (*at, "from"),
                    Message(
                        N_(
                            "`%(kind)s` builds on `%(source)s`, which this scheme does not compute; "
                            "add `%(source)s: {from: evidence}`"
                        ),
                        kind=kind,
                        source=source,
                    ),
                )
            elif source:
                rules[kind] = PeriodRule(kind, source)
    fields.only(entry or {}, path, PERIOD_KINDS)
    if entry is not None and not any(r.source == "evidence" for r in rules.values()):
        fields.error(path, Message(N_("at least one period kind is computed `from: evidence`")))
    return rules


def _columns(fields: Fields, value: object) -> tuple[Column, ...]:
    path = ("indicators",)
    example = "`- {key: deposit_actual, label: 存款实际, min: 0, unit: 万元}`"
    columns: list[Column] = []
    for index, entry in enumerate(fields.items(value, path, example, required=False)):
        at = (*path, index)
        if fields.mapping(entry, at, example) is None:
            continue
        fields.only(entry, at, ("key", "label", "min", "max", "unit"))
        key, label = fields.key(entry, at), fields.text(entry, at, "label")
        low = fields.number(entry, at, "min", required=False)
        high = fields.number(entry, at, "max", required=False)
        unit = fields.text(entry, at, "unit", required=False) or ""
        if low is not None and high is not None and high <= low:
            fields.error(
                (*at, "max"), Message(N_("`max: %(high)g` must be above `min: %(low)g`"), high=high, low=low)
            )
        elif key and label:
            if any(key in (c.key, c.label) or label in (c.key, c.label) for c in columns):
                fields.error(
                    at,
                    Message(
                        N_("indicator `%(key)s` (%(label)s) repeats another indicator's key or label"),
                        key=key,
                        label=label,
                    ),
                )
            else:
                columns.append(Column(key, label, low, high, unit))
    return tuple(columns)


def _adjustments(fields: Fields, name: str, value: object) -> Adjustments:
    path = (name,)
    if value is None:
        return Adjustments()
    entry = fields.mapping(value, path, f"`{name}: {{cap: 5, items: [...]}}`")
    if entry is None:
        return Adjustments()
    fields.only(entry, path, ("cap", "items"))
    cap = fields.number(entry, path, "cap", minimum=0)
    example = "`- {key: commendation, label: 通报表扬, points: 1, cap: 3}`"
    items: list[Adjustment] = []
    for index, item in enumerate(fields.items(entry.get("items"), (*path, "items"), example)):
        at = (*path, "items", index)
        if fields.mapping(item, at, example) is None:
            continue
        fields.only(item, at, ("key", "label", "points", "cap"))
        key, label = fields.key(item, at), fields.text(item, at, "label")
        points = fields.number(item, at, "points", above=0)
        item_cap = fields.number(item, at, "cap", minimum=0)
        if None not in (key, label, points, item_cap):
            items.append(Adjustment(key, label, points, item_cap))
    return Adjustments(cap or 0.0, tuple(items))


def _vetoes(fields: Fields, value: object) -> tuple[Veto, ...]:
    example = "`- {key: compliance_breach, label: 违规违纪受处分}`"
    vetoes = []
    for index, entry in enumerate(fields.items(value, ("vetoes",), example, required=False)):
        at = ("vetoes", index)
        if fields.mapping(entry, at, example) is None:
            continue
        fields.only(entry, at, ("key", "label"))
        key, label = fields.key(entry, at), fields.text(entry, at, "label")
        if key and label:
            vetoes.append(Veto(key, label))
    return tuple(vetoes)
