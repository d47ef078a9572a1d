"""What the competitions pages call a round's kind and a round's or competition's state, in the reader's
language (from the one labelling layer, drill/labels.py), and the helpers every competitions template
gets with them."""

from drill.competitions import entries
from drill.competitions.rules import states
from drill.labels import COMPETITION_STATES, ROUND_KINDS, ROUND_STATES

KINDS = ROUND_KINDS  # the name this area's views use


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
