"""What the appraisal pages call things, in the user's language: states, kinds, sources, trail inputs, the
change log's actions and values, and where each number of a trail comes from."""

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from drill.accounts.roles import CATEGORIES, LEVELS
from drill.messages import Message

STATES = {
    "open": _l("Open"),
    "computed": _l("Computed"),
    "reviewed": _l("Reviewed"),
    "published": _l("Published for managers"),
    "locked": _l("Locked"),
}
MOVES = {
    "reviewed": _l("Mark as reviewed"),
    "published": _l("Publish to the managers"),
    "locked": _l("Lock"),
}
KINDS = {
    "monthly": _l("Monthly"),
    "quarterly": _l("Quarterly"),
    "semiannual": _l("Semiannual"),
    "annual": _l("Annual"),
}
SOURCES = {
    "platform": _l("Platform results"),
    "indicator": _l("Indicator sheet"),
    "rating": _l("Supervisor's rating"),
}
METRICS = {
    "drill_score": _l("Drill scores"),
    "exam_score": _l("Exam results"),
    "competition_percentile": _l("Competition placings"),
    "training_hours": _l("Training hours"),
}
ADJUSTMENTS = {"bonus": _l("Bonus"), "deduction": _l("Deduction"), "veto": _l("Veto")}
INPUTS = {
    "actual": _l("actual"),
    "target": _l("target"),
    "cap": _l("cap"),
    "ratio": _l("ratio"),
    "rating": _l("rating"),
    "scale": _l("scale"),
    "comment": _l("comment"),
    "by": _l("rated by"),
    "values": _l("results"),
    "count": _l("count"),
    "sum": _l("sum"),
}
GRADES = {"excellent": _l("Excellent"), "good": _l("Good"), "pass": _l("Pass"), "fail": _l("Fail")}
LEVEL_STATES = {"proposed": _l("Proposed"), "approved": _l("Approved"), "rejected": _l("Rejected")}
DIRECTIONS = {"up": _l("Up"), "down": _l("Down")}
REWARD_KINDS = {"reward": _l("Reward"), "penalty": _l("Penalty")}
AUDIT_ENTITIES = {
    "record": _l("Record"),
    "rating": _l("Rating"),
    "occurrence": _l("Bonus, deduction or veto"),
    "level": _l("Level"),
    "period": _l("Period"),
    "import": _l("Indicator sheet"),
    "reward": _l("Reward or penalty"),
}


def say(message: dict | None) -> str:
    """A stored message ({"template", "params"}: a trail's `how`, a note, a reason) in the user's language."""
    if not message:
        return ""
    params = message.get("params") or {}
    params = {k: ", ".join(map(str, v)) if isinstance(v, list) else v for k, v in params.items()}
    return gettext(message["template"], **params)


def label(vocabulary: dict, key: str | None) -> str:
    return str(vocabulary.get(key, key or ""))


# Which vocabulary names each parameter of the level rules' reasons (levels.propose).
REASON_PARAMS = {
    "grade": GRADES,
    "worst": GRADES,
    "need": GRADES,
    "kind": KINDS,
    "level": LEVELS,
    "category": CATEGORIES,
}


def level_reason(message: Message) -> str:
    """A level rule's reason with its grade, period kind and level keys as words."""
    params = {k: label(REASON_PARAMS[k], v) if k in REASON_PARAMS else v for k, v in message.params.items()}
    return gettext(message.template, **params)


def level_state(change) -> str:
    """Proposed, rejected, approved and waiting for its day, or in effect from its day."""
    if change.state != "approved":
        return label(LEVEL_STATES, change.state)
    if change.applied_at is None:
        return gettext("Approved: takes effect on %(date)s", date=change.effective_date.isoformat())
    return gettext("In effect from %(date)s", date=change.effective_date.isoformat())


def level_rules(rules) -> list[tuple[str, list[str]]]:
    """The level rules file (levels.LevelRules) in words: (categories, one line per up step and the down
    rule) for the levels page."""
    out = []
    for categories, rule in _grouped(rules):
        lines = []
        for step in rule.up:
            line = gettext(
                "Up to %(level)s: %(count)d consecutive %(kind)s periods graded %(grade)s or better, no veto",
                level=label(LEVELS, step.to),
                count=step.consecutive,
                kind=label(KINDS, step.period),
                grade=label(GRADES, step.grade_at_least),
            )
            if step.annual_at_least:
                line += gettext(
                    "; the latest annual grade %(grade)s or better", grade=label(GRADES, step.annual_at_least)
                )
            if step.certificate:
                line += gettext("; a valid certificate for %(level)s", level=label(LEVELS, step.to))
            lines.append(line)
        down = []
        if rule.down_annual_at_most:
            down.append(
                gettext(
                    "an annual grade of %(grade)s or worse", grade=label(GRADES, rule.down_annual_at_most)
                )
            )
        if rule.down_on_veto:
            down.append(gettext("any veto"))
        if down:
            lines.append(gettext("Down one level after %(what)s", what=gettext(" or ").join(down)))
        lines.append(gettext("Only periods that began after the current level took effect count."))
        out.append(("、".join(label(CATEGORIES, c) for c in categories), lines))
    return out


def _grouped(rules):
    """Categories that share one rule (the file lists a rule for several categories), in file order."""
    groups: list[tuple[list[str], object]] = []
    for category, rule in rules.categories.items():
        for categories, known in groups:
            if (
                known.up == rule.up
                and (known.down_annual_at_most, known.down_on_veto)
                == (
                    rule.down_annual_at_most,
                    rule.down_on_veto,
                )
                and known.ladder == rule.ladder
            ):
                categories.append(category)
                break
        else:
            groups.append(([category], rule))
    return groups


AUDIT_ACTIONS = {
    "create": _l("entered"),
    "update": _l("changed"),
    "delete": _l("removed"),
    "reinstate": _l("brought back"),
    "withdraw": _l("withdrawn"),
    "propose": _l("proposed"),
    "approve": _l("approved"),
    "reject": _l("rejected"),
    "apply": _l("took effect"),
    "state": _l("moved on"),
    "recompute": _l("recomputed"),
}
CHANGE_FIELDS = {
    "value": _l("mark"),
    "comment": _l("comment"),
    "item": _l("item"),
    "total": _l("total"),
    "band": _l("grade"),
    "rank": _l("rank"),
    "level": _l("level"),
    "kind": _l("kind"),
    "count": _l("times"),
    "note": _l("note"),
    "filename": _l("file"),
    "rows": _l("rows"),
    "state": _l("state"),
    "effective_date": _l("takes effect on"),
    "title": _l("title"),
    "changed": _l("records changed"),
    "on": _l("on"),
    "label": _l("name"),
}
HIDDEN_FIELDS = ("checksum",)  # internal: the same numbers' fingerprint, nothing a reader can use
AUDIT_REASONS = {
    "recomputed": _l("recomputed"),
    "no longer appraised under this scheme": _l("no longer appraised under this scheme"),
}


def change_words(values: dict | None, scheme=None) -> str:
    """An audit entry's old or new values as “name: value” in words: item and grade keys become the
    scheme's labels, states, kinds and levels the vocabulary's words."""
    parts = []
    for key, value in (values or {}).items():
        if key in HIDDEN_FIELDS or value is None or value == "":
            continue
        shown = value
        if key == "item" and scheme is not None:
            shown = _adjustment_or_item(scheme, value)
        elif key == "band" and scheme is not None:
            band = scheme.band(value)
            shown = band.label if band else label(GRADES, value)
        elif key == "level":
            shown = label(LEVELS, value)
        elif key == "state":
            shown = label(STATES, value)
        elif key == "kind":
            shown = label(ADJUSTMENTS, value) if value in ADJUSTMENTS else label(KINDS, value)
        elif isinstance(value, float):
            shown = f"{value:g}"
        parts.append(f"{label(CHANGE_FIELDS, key)}: {shown}")
    return "；".join(parts)


def _adjustment_or_item(scheme, key: str) -> str:
    item = scheme.item(key)
    if item is not None:
        return item.label
    found = scheme.bonus.get(key) or scheme.deductions.get(key)
    if found is not None:
        return found.label
    return next((v.label for v in scheme.vetoes if v.key == key), key)


def audit_reason(reason: str) -> str:
    return label(AUDIT_REASONS, reason) if reason in AUDIT_REASONS else reason


_REFS = (
    (re.compile(r"^import \d+ row (\d+)$"), _l("indicator sheet, row %(n)s")),
    (re.compile(r"^rating \d+$"), _l("supervisor's rating")),
    (re.compile(r"^exam \d+ attempt \d+$"), _l("formal exam paper")),
    (re.compile(r"^attempt (\d+)$"), _l("drill no. %(n)s")),
    (re.compile(r"^competition \d+ rank (\d+/\d+)$"), _l("competition, place %(n)s")),
    (re.compile(r"^occurrence \d+$"), _l("entered item")),
)


def ref_words(ref: str) -> str:
    """Where a number of the trail comes from, in words: “import 2 row 6” → 指标表第 6 行."""
    for pattern, words in _REFS:
        match = pattern.match(ref)
        if match:
            return str(words) % {"n": match.group(1)} if match.groups() else str(words)
    return ref
