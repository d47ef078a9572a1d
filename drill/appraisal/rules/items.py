"""The dimensions of a scheme and the items inside them: where each number comes from and how it becomes
points on 100 (the formulas themselves are applied in rollup.py). Part of the scheme schema (scheme.py)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from drill.appraisal.yamldoc import Fields, is_number
from drill.content.rules.problems import did_you_mean
from drill.messages import N_, Message

# metric → (0–100 per result, what one result is). The platform's services produce these observations.
METRICS = {
    "drill_score": (True, "the score in percent of each finished practice drill"),
    "exam_score": (True, "the released result in percent of each formal exam"),
    "competition_percentile": (True, "each competition placing as a percentile: 100 first, 0 last"),
    "training_hours": (False, "hours of each training session attended"),
}
AGGREGATES = ("mean", "max", "latest", "count", "sum")
CONVERSIONS = ("ratio", "piecewise", "direct")
SOURCES = ("platform", "indicator", "rating")
COMMON = ("key", "label", "weight", "source", "note")
SPECIFIC = {
    "platform": ("metric", "aggregate", "target"),
    "indicator": ("convert", "column", "actual", "target", "cap", "table"),
    "rating": ("scale", "comment"),
}
# When a rating needs a comment: always, only for a mark in the scheme's top or bottom band (the default),
# or never.
COMMENT_RULES = ("always", "extremes", "never")


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the sheet header (a sheet may use the key or the label)
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    weight: float  # within its dimension; the dimension's items sum to 100
    source: str  # platform / indicator / rating
    metric: str | None = None  # platform
    aggregate: str | None = None  # platform
    goal: float | None = None  # platform count / sum: the `target` that earns full points
    convert: str | None = None  # indicator
    column: str | None = None  # indicator: the value (ratio: `actual`)
    target: str | None = None  # indicator ratio: the target column
    cap: float | None = None  # indicator ratio: the ratio that earns full points
    table: tuple[tuple[float, float], ...] = ()  # indicator piecewise: (value, points), values rising
    scale: tuple[float, float] | None = None  # rating: (lowest, highest)
    comment: str = "extremes"  # rating: when a comment is required (COMMENT_RULES)


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    weight: float  # of the total; the dimensions sum to 100
    items: tuple[Item, ...]


def parse_dimensions(fields: Fields, value: object, columns: dict[str, Column]) -> tuple[Dimension, ...]:
    path = ("dimensions",)
    example = "`- {key: performance, label: 业绩指标, weight: 40, items: [...]}`"
    dimensions: list[Dimension] = []
    complete = True
    for index, entry in enumerate(fields.items(value, path, example)):
        at = (*path, index)
        if fields.mapping(entry, at, example) is None:
            complete = False
            continue
        fields.only(entry, at, ("key", "label", "weight", "items", "note"))
        key, label = fields.key(entry, at), fields.text(entry, at, "label")
        weight = fields.number(entry, at, "weight", above=0, maximum=100)
        items = _items(fields, entry.get("items"), (*at, "items"), columns)
        if None in (key, label, weight) or items is None:
            complete = False
            continue
        dimensions.append(Dimension(key, label, weight, items))
    total = sum(d.weight for d in dimensions)
    if complete and dimensions and abs(total - 100) > 1e-9:
        shown = " + ".join(f"{d.weight:g}" for d in dimensions)
        fields.error(
            path,
            Message(
                N_("the dimensions' weights add up to %(parts)s = %(total)g; they must add up to 100"),
                parts=shown,
                total=total,
            ),
        )
    return tuple(dimensions)


def _items(fields: Fields, value: object, path: tuple, columns: dict[str, Column]) -> tuple[Item, ...] | None:
    example = "`- {key: deposits, label: 存款, weight: 40, source: indicator, ...}`"
    entries = fields.items(value, path, example)
    items: list[Item] = []
    for index, entry in enumerate(entries):
        at = (*path, index)
        if fields.mapping(entry, at, example) is None:
            continue
        alone = len(entries) == 1
        item = _item(fields, entry, at, columns, alone)
        if item is not None:
            items.append(item)
    if len(items) != len(entries) or not items:
        return None
    total = sum(i.weight for i in items)
    if abs(total - 100) > 1e-9:
        shown = " + ".join(f"{i.weight:g}" for i in items)
        fields.error(
            path,
            Message(
                N_(
                    "the items' weights in this dimension add up to %(parts)s = %(total)g; "
                    "they must add up to 100 (their share of the dimension)"
                ),
                parts=shown,
                total=total,
            ),
        )
        return None
    return tuple(items)


def _item(fields: Fields, entry: dict, at: tuple, columns: dict[str, Column], alone: bool) -> Item | None:
    source = fields.choice(entry, at, "source", SOURCES)
    fields.only(entry, at, COMMON + SPECIFIC.get(source or "", sum(SPECIFIC.values(), ())))
    key, label = fields.key(entry, at), fields.text(entry, at, "label")
    weight = fields.number(entry, at, "weight", required=not alone, default=100, above=0, maximum=100)
    if None in (source, key, label, weight):
        return None
    base = {"key": key, "label": label, "weight": weight, "source": source}
    if source == "platform":
        return _platform(fields, entry, at, base)
    if source == "indicator":
        return _indicator(fields, entry, at, base, columns)
    scale = entry.get("scale")
    if not (
        isinstance(scale, list)
        and len(scale) == 2
        and all(map(is_number, scale))
        and 0 <= scale[0] < scale[1] <= 100
    ):
        fields.error(
            (*at, "scale"),
            Message(N_("a rating needs `scale: [1, 5]` or `scale: [0, 100]` (lowest, highest)")),
        )
        return None
    comment = entry.get("comment", "extremes")
    if comment not in COMMENT_RULES:
        fields.error(
            (*at, "comment"),
            Message(
                N_("`comment` is one of %(choices)s (when a rating needs a comment)"),
                choices=", ".join(COMMENT_RULES),
            ),
        )
        return None
    return Item(**base, scale=(float(scale[0]), float(scale[1])), comment=comment)


def _platform(fields: Fields, entry: dict, at: tuple, base: dict) -> Item | None:
    metric = fields.choice(entry, at, "metric", tuple(METRICS))
    aggregate = fields.choice(entry, at, "aggregate", AGGREGATES)
    if metric is None or aggregate is None:
        return None
    if aggregate in ("count", "sum"):
        goal = fields.number(entry, at, "target", above=0)
        return None if goal is None else Item(**base, metric=metric, aggregate=aggregate, goal=goal)
    if "target" in entry:
        fields.error(
            (*at, "target"),
            Message(
                N_("`target` goes with `aggregate: count` or `sum`, not `%(aggregate)s`"), aggregate=aggregate
            ),
        )
        return None
    if not METRICS[metric][0]:
        fields.error(
            (*at, "aggregate"),
            Message(
                N_(
                    "`%(metric)s` is not on 100 points, so `%(aggregate)s` cannot be points; "
                    "use `aggregate: sum` (or `count`) with a `target`"
                ),
                metric=metric,
                aggregate=aggregate,
            ),
        )
        return None
    return Item(**base, metric=metric, aggregate=aggregate)


def _indicator(fields: Fields, entry: dict, at: tuple, base: dict, columns: dict[str, Column]) -> Item | None:
    convert = fields.choice(entry, at, "convert", CONVERSIONS)
    if convert is None:
        return None
    wanted = {"ratio": ("actual", "target", "cap"), "piecewise": ("column", "table"), "direct": ("column",)}
    for key in set(SPECIFIC["indicator"]) - {"convert", *wanted[convert]}:
        if key in entry:
            fields.error(
                (*at, key),
                Message(
                    N_("`%(key)s` does not go with `convert: %(convert)s` (which takes %(takes)s)"),
                    key=key,
                    convert=convert,
                    takes=", ".join(wanted[convert]),
                ),
            )
    named = {}
    for key in ("column", "actual", "target"):
        if key in wanted[convert]:
            named[key] = fields.text(entry, at, key)
            if named[key] is not None and named[key] not in columns:
                declared = ", ".join(columns) or Message(N_("none"))
                hint = did_you_mean(named[key], columns) or Message(
                    N_(" Declared: %(names)s."), names=declared
                )
                fields.error(
                    (*at, key),
                    Message(
                        N_("`%(key)s: %(value)s` is not among the scheme's `indicators`.%(hint)s"),
                        key=key,
                        value=named[key],
                        hint=hint,
                    ),
                )
                named[key] = None
    cap = fields.number(entry, at, "cap", above=0) if convert == "ratio" else None
    if None in named.values():
        return None
    if convert == "ratio":
        return (
            None
            if cap is None
            else Item(**base, convert=convert, column=named["actual"], target=named["target"], cap=cap)
        )
    if convert == "direct":
        return Item(**base, convert=convert, column=named["column"])
    table = entry.get("table")
    pairs = table if isinstance(table, list) else []
    good = len(pairs) >= 2 and all(
        isinstance(p, list) and len(p) == 2 and all(map(is_number, p)) for p in pairs
    )
    if not good:
        fields.error(
            (*at, "table"),
            Message(
                N_(
                    "`table` lists at least two [value, points] pairs, "
                    "e.g. `table: [[0, 100], [2, 60], [5, 0]]`"
                )
            ),
        )
        return None
    if any(b[0] <= a[0] for a, b in pairwise(pairs)):
        fields.error((*at, "table"), Message(N_("the values in `table` must rise from one pair to the next")))
        return None
    if any(not 0 <= p[1] <= 100 for p in pairs):
        fields.error((*at, "table"), Message(N_("the points in `table` must be from 0 to 100")))
        return None
    points = tuple((float(x), float(p)) for x, p in pairs)
    return Item(**base, convert=convert, column=named["column"], table=points)
