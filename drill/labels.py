"""The one labelling layer: every stored code the UI shows (a question type, an exam part, a state, a kind,
a role, an appraisal band or audit action...) becomes a word in the reader's language here, and nowhere else.

Usage
-----
In a template (the filter is registered by the app factory, drill/__init__.py)::

    {{ item.type|label("question_type") }}        → 单选题 / Single choice
    {{ attempt.state|label("attempt_state") }}    → 作答中
    {{ c.part|label("exam_part") }}               → 理论 (a part a trainer named himself shows as typed)

In Python::

    from drill.labels import label, choices
    label("single", "question_type")              → "单选题"
    choices("level")                              → [("junior", "初级"), ...]  (SelectField choices)

A new code: add it to its vocabulary below (or to the per-area module a vocabulary comes from, e.g.
drill/appraisal/labels.py) with an English msgid in `_l()`, and append the msgid with its Chinese to
translations/zh/LC_MESSAGES/messages.po. A new vocabulary: add it to VOCABULARIES.

An unknown code never raises: it is shown as `⁇ code` (UNKNOWN), which the zh render test of every page
(tests/main/test_every_page_in_chinese.py) reports. An empty code (None, "") is shown as "".
Vocabularies listed in FREE_TEXT hold words people type themselves (an exam part): an unknown one is shown
as typed, not flagged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from drill.accounts import security_log
from drill.accounts.roles import BRANCH_KINDS, CATEGORIES, LEVELS, ROLES
from drill.appraisal import labels as appraisal
from drill.competitions.rules import states as competition_states
from drill.content.catalog import label as term_label
from drill.content.catalog import taxonomy
from drill.integrity import labels as integrity

log = logging.getLogger(__name__)

UNKNOWN = "⁇"

QUESTION_TYPES = {
    "single": _l("Single choice"),
    "multiple": _l("Multiple choice"),
    "truefalse": _l("True/false"),
    "blank": _l("Fill in the blank"),
    "numeric": _l("Numeric answer"),
    "ordering": _l("Ordering"),
    "matching": _l("Matching"),
    "open": _l("Open answer"),
}

# The parts an exam blueprint names most; a trainer may name others, shown as typed.
EXAM_PARTS = {"theory": _l("Theory"), "practical": _l("Practical")}

ATTEMPT_KINDS = {
    "practice": _l("Own practice"),
    "assigned": _l("Assigned drill"),
    "review": _l("Review of my mistakes"),
    "exam": _l("Exam paper"),
    "competition": _l("Competition paper"),
}
ATTEMPT_STATES = {
    "open": _l("in progress"),
    "submitted": _l("Submitted"),
    "expired": _l("Closed at the deadline"),
}

ROUND_KINDS = {"written": _l("Written round"), "case": _l("Case round"), "judged": _l("Judged round (live)")}
ROUND_STATES = {
    competition_states.DRAFT: _l("in preparation"),
    competition_states.OPEN: _l("open"),
    competition_states.REVIEWING: _l("peer review"),
    competition_states.CLOSED: _l("closed"),
}
COMPETITION_STATES = {
    competition_states.DRAFT: _l("in preparation"),
    competition_states.OPEN: _l("open"),
    competition_states.FINISHED: _l("finished"),
}

PACK_KINDS = {"quiz": _l("Question bank"), "case": _l("Case"), "rubric": _l("Rubric")}
AUDIENCES = {"bank": _l("Bank"), "tobacco": _l("Tobacco")}

AUDIT_ACTIONS = {
    "create": _l("created"),
    "update": _l("changed"),
    "delete": _l("deleted"),
    "withdraw": _l("withdrawn"),
    "propose": _l("proposed"),
    "approve": _l("approved"),
    "reject": _l("rejected"),
    "apply": _l("took effect"),
    "state": _l("state changed"),
    "recompute": _l("recomputed"),
    "import": _l("imported"),
}

Vocabulary = Mapping[str, object] | Callable[[str], str]


def _taxonomy(which: str) -> Callable[[str], str | None]:
    def lookup(code: str) -> str | None:

        term = getattr(taxonomy(), which).get(code)
        return term_label(term) if term else None

    return lookup


VOCABULARIES: dict[str, Vocabulary] = {
    # content
    "question_type": QUESTION_TYPES,
    "exam_part": EXAM_PARTS,
    "pack_kind": PACK_KINDS,
    "audience": AUDIENCES,
    "theme": _taxonomy("themes"),
    "competency": _taxonomy("competencies"),
    # accounts
    "role": ROLES,
    "category": CATEGORIES,
    "level": LEVELS,
    "branch_kind": BRANCH_KINDS,
    "security_action": security_log.LABELS,
    # drills and exams
    "attempt_kind": ATTEMPT_KINDS,
    "attempt_state": ATTEMPT_STATES,
    # competitions
    "round_kind": ROUND_KINDS,
    "round_state": ROUND_STATES,
    "competition_state": COMPETITION_STATES,
    # integrity
    "integrity_event": integrity.EVENTS,
    "flag_state": integrity.FLAG_STATES,
    "flag_kind": integrity.FLAG_KINDS,
    # appraisal
    "period_state": appraisal.STATES,
    "period_move": appraisal.MOVES,
    "period_kind": appraisal.KINDS,
    "appraisal_source": appraisal.SOURCES,
    "appraisal_metric": appraisal.METRICS,
    "adjustment": appraisal.ADJUSTMENTS,
    "grade": appraisal.GRADES,
    "level_change_state": appraisal.LEVEL_STATES,
    "direction": appraisal.DIRECTIONS,
    "reward_kind": appraisal.REWARD_KINDS,
    "trail_input": appraisal.INPUTS,
    "audit_entity": appraisal.AUDIT_ENTITIES,
    "audit_action": AUDIT_ACTIONS,
}

FREE_TEXT = frozenset({"exam_part"})


def _word(value: object) -> str:
    # Lazy strings translate themselves; plain msgids (N_ markers, e.g. security_log.LABELS) need gettext.
    return str(value) if isinstance(value, LazyString) else gettext(str(value))


def label(code: object, kind: str) -> str:
    """`code` of vocabulary `kind` in the reader's language; `⁇ code` when unknown (logged), "" when empty."""
    if code is None or code == "":
        return ""
    code = str(code)
    vocabulary = VOCABULARIES.get(kind)
    if vocabulary is None:
        log.warning("no vocabulary %r (code %r)", kind, code)
        return f"{UNKNOWN} {code}"
    if callable(vocabulary):
        found = vocabulary(code)
        if found is not None:
            return found
    elif code in vocabulary:
        return _word(vocabulary[code])
    if kind in FREE_TEXT:
        return code
    log.warning("unknown %s code %r", kind, code)
    return f"{UNKNOWN} {code}"


def choices(kind: str) -> list[tuple[str, str]]:
    """(code, label) pairs of a vocabulary, in its order, for a SelectField (`drill.forms.options`)."""
    vocabulary = VOCABULARIES[kind]
    if callable(vocabulary):
        raise ValueError(f"vocabulary {kind!r} is looked up, not listed")
    return [(code, _word(word)) for code, word in vocabulary.items()]
