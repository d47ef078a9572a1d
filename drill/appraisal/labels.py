"""What the appraisal pages call things, in the user's language: states, kinds, sources, trail inputs."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from drill.accounts.roles import LEVELS
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
REASON_PARAMS = {"grade": GRADES, "worst": GRADES, "kind": KINDS, "level": LEVELS}


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
