"""What the timeline calls each event, and what a flag's state is called (English msgids)."""

from flask_babel import lazy_gettext as _l

EVENTS = {
    "started": _l("Started the paper"),
    "opened": _l("Opened the paper page"),
    "saved": _l("Saved an answer"),
    "saved_again": _l("Changed an answer (last change)"),
    "left": _l("Left the page"),
    "returned": _l("Returned to the page"),
    "paste": _l("Tried to paste (blocked)"),
    "fullscreen_exit": _l("Left full screen"),
    "device": _l("Opened on another device"),
    "address": _l("Network address changed"),
    "limit": _l("Page-leave limit reached: the page submits the paper"),
    "submitted": _l("Submitted"),
    "expired": _l("Closed at the deadline"),
}

FLAG_STATES = {
    "open": _l("To look at"),
    "cleared": _l("No concern"),
    "follow_up": _l("Follow up"),
}

FLAG_KINDS = {
    "text": _l("Similar written answers"),
    "choices": _l("Same wrong answers"),
}
