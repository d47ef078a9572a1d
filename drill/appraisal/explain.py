"""A stored trail (records.Record.as_dict) as lines a manager can read in their language: "why is my
score 82.4?". Every number on the page is one of the trail's numbers; keys become the scheme's labels."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from drill.appraisal import labels
from drill.appraisal.rules.scheme import Scheme


@dataclass
class Line:
    kind: str  # dimension | item | part | mean | subtotal | bonus | deduction | total | veto | note | grade
    label: str
    detail: str = ""
    value: str = ""
    refs: list[str] = field(default_factory=list)
    missing: bool = False


def n(value: float | None, places: int = 2) -> str:
    return "" if value is None else f"{value:.{places}f}"


def g(value: float) -> str:
    return f"{value:g}"


def inputs(item: dict, scheme: Scheme) -> str:
    """The raw numbers an item used, named as the scheme and the sheet name them."""
    data, parts = item.get("inputs") or {}, []
    if item["source"] == "platform":
        values = data.get("values") or []
        metric = labels.label(labels.METRICS, data.get("metric"))
        shown = "、".join(g(v) for v in values) if values else _("none")
        parts.append(f"{metric}: {shown}")
    elif item["source"] == "indicator":
        spec = scheme.item(item["key"])
        if spec is not None and spec.convert == "ratio" and "actual" in data:
            for role, column in (("actual", spec.column), ("target", spec.target)):
                col = scheme.column(column)
                parts.append(f"{col.label if col else column} {g(data[role])}{col.unit if col else ''}")
        else:
            for key, value in data.items():
                col = scheme.column(key)
                parts.append(f"{col.label if col else key} {g(value)}{col.unit if col else ''}")
    elif "rating" in data:
        low, high = data.get("scale") or (0, 100)
        parts.append(
            _(
                "rating %(value)s on %(low)s–%(high)s by %(by)s: “%(comment)s”",
                value=g(data["rating"]),
                low=g(low),
                high=g(high),
                by=data.get("by") or "—",
                comment=data.get("comment") or "",
            )
        )
    return "；".join(parts)


def _pct(text) -> str:
    return f"{float(text) * 100:.1f}".rstrip("0").rstrip(".")


def how_words(item: dict) -> str:
    """How an item's points were reached, as a person reads it ("完成率 104.3%，按上限 120% 计，得 86.9 分"),
    from the stored trail's `how` (a message whose template names the formula) and the item's points."""
    how = item.get("how") or {}
    template, params = how.get("template", ""), how.get("params") or {}
    points = n(item.get("points"), 1)
    if template.startswith("min(%(actual)s / %(target)s"):
        ratio, cap = float(params["ratio"]), float(params["cap"])
        words = (
            _("completion %(ratio)s%%, counted up to the cap of %(cap)s%%: %(points)s points")
            if ratio <= cap
            else _("completion %(ratio)s%%, above the cap %(cap)s%%, counted as %(cap)s%%: %(points)s points")
        )
        return words % {"ratio": _pct(params["ratio"]), "cap": _pct(params["cap"]), "points": points}
    if template == "rating %(value)s / %(high)s × 100":
        return _(
            "mark %(value)s of %(high)s: %(points)s points",
            value=params["value"],
            high=params["high"],
            points=points,
        )
    if template.startswith("%(value)s results: min("):
        return _(
            "%(value)s results, %(goal)s earn full points: %(points)s points",
            value=params["value"],
            goal=params["goal"],
            points=points,
        )
    if template.startswith("%(value)s in all: min("):
        return _(
            "%(value)s in all, %(goal)s earn full points: %(points)s points",
            value=params["value"],
            goal=params["goal"],
            points=points,
        )
    if template == "%(value)s on the table (%(table)s)":
        return _(
            "%(value)s, read off the scale (%(table)s): %(points)s points",
            value=params["value"],
            table=params["table"].replace("→", " → "),
            points=points,
        )
    return labels.say(how)


def lines(trail: dict, scheme: Scheme, bands: dict[str, str], veto_labels: dict[str, str]) -> list[Line]:
    out: list[Line] = []
    for dim in trail.get("dimensions", []):
        out.append(
            Line(
                "dimension",
                _("%(label)s (weight %(weight)s%%)", label=dim["label"], weight=g(dim["weight"])),
                value=f"{n(dim['score'])} × {g(dim['weight'])}% = {n(dim['contribution'])}",
            )
        )
        for item in dim["items"]:
            source = labels.label(labels.SOURCES, item["source"])
            how = how_words(item)
            out.append(
                Line(
                    "item",
                    f"{item['label']} ({g(item['weight'])}%) · {source}",
                    f"{inputs(item, scheme)} — {how}".strip(" —"),
                    f"{n(item['points'])} × {g(item['weight'])}% = {n(item['weighted'])}",
                    [labels.ref_words(r) for r in item.get("refs") or []],
                    item.get("missing", False),
                )
            )
    for part in trail.get("parts", []):
        veto = " · " + _("veto") if part.get("vetoed") else ""
        out.append(
            Line("part", part["label"], bands.get(part["band"], part["band"]) + veto, n(part["total"], 1))
        )
    if trail.get("parts"):
        out.append(
            Line(
                "mean",
                _("Mean of %(count)d periods", count=len(trail["parts"])),
                value=n(trail["subtotal"], 1),
            )
        )
    else:
        out.append(Line("subtotal", _("Subtotal (Σ dimensions)"), value=n(trail["subtotal"])))
    for kind, sign, key in (
        ("bonus", "+", "bonus"),
        ("deduction", "−", "deductions"),
    ):
        for adj in trail.get(key, []):
            capped = _(", capped at %(cap)s", cap=g(adj["cap"])) if adj["raw"] > adj["cap"] else ""
            out.append(
                Line(
                    kind,
                    f"{sign} {adj['label']}",
                    "；".join(adj.get("notes") or []),
                    f"{adj['count']} × {g(adj['per'])} = {g(adj['raw'])}{capped} → {g(adj['points'])}",
                    [labels.ref_words(r) for r in adj.get("refs") or []],
                )
            )
    bonus, deduction = trail.get("bonus_total", 0.0), trail.get("deduction_total", 0.0)
    if trail.get("parts"):
        out.append(Line("total", _("Total"), value=n(trail["total"], 1)))
    else:
        raw = trail["subtotal"] + bonus - deduction
        out.append(
            Line(
                "total",
                _("Total"),
                _("kept within 0–100, one decimal"),
                f"{n(trail['subtotal'])} + {n(bonus)} − {n(deduction)} = {n(raw)} → {n(trail['total'], 1)}",
            )
        )
    out.append(
        Line("band", _("Grade by score"), value=bands.get(trail["band_by_score"], trail["band_by_score"]))
    )
    for veto in trail.get("vetoes", []):
        out.append(
            Line(
                "veto",
                _("Veto: %(item)s", item=veto_labels.get(veto["item"], veto["item"])),
                veto.get("note", ""),
                bands.get(trail["band_before_quota"], trail["band_before_quota"]),
                [labels.ref_words(veto["ref"])] if veto.get("ref") else [],
            )
        )
    for note in trail.get("notes", []):
        out.append(Line("note", labels.say(note)))
    out.append(Line("grade", _("Appraisal grade"), value=bands.get(trail["band"], trail["band"])))
    return out
