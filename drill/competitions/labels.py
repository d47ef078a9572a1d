"""What the competitions pages call a round's kind and a round's or competition's state, in the reader's
language, and the helpers every competitions template gets with them."""

from flask_babel import lazy_gettext as _l

from drill.competitions import entries, states
from drill.competitions.views import bp

KINDS = {"written": _l("Written round"), "case": _l("Case round"), "judged": _l("Judged round (live)")}
ROUND_STATES = {
    states.DRAFT: _l("in preparation"),
    states.OPEN: _l("open"),
    states.REVIEWING: _l("peer review"),
    states.CLOSED: _l("closed"),
}
COMPETITION_STATES = {
    states.DRAFT: _l("in preparation"),
    states.OPEN: _l("open"),
    states.FINISHED: _l("finished"),
}


@bp.context_processor
def vocabulary() -> dict:
    return {
        "kind_label": KINDS,
        "round_state_label": ROUND_STATES,
        "competition_state_label": COMPETITION_STATES,
        "entry_window": entries.window,
        "too_late_to_open": entries.too_late_to_open,
        "can_publish": states.can_publish,
        "judging_open": states.judging_open,
    }
