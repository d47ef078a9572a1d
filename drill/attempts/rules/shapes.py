"""What a saved response must look like for each question type. Pure.

The save API refuses a response of the wrong shape for its question's type with `problem`'s message (a
clear 400). A response stored before that check, or by other means, is still shown as unanswered
instead of failing, and scoring gives it 0.
"""

from drill.messages import N_


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


CHECKS = {
    "single": lambda r: isinstance(r, str),
    "multiple": _strings,
    "truefalse": lambda r: isinstance(r, bool),
    "blank": _strings,
    "numeric": lambda r: isinstance(r, str),
    "ordering": _strings,
    "matching": lambda r: (
        isinstance(r, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in r.items())
    ),
    "open": lambda r: isinstance(r, str),
}


def well_formed(question_type: str, response: object) -> object:
    """The response if it has the shape its type expects, else None (shown as not answered)."""
    check = CHECKS.get(question_type)
    return response if response is not None and check is not None and check(response) else None


# What each type's answer must be, said to whoever sent another shape (English msgids).
EXPECTED = {
    "single": N_("a single-choice answer is the id of one option, as a string"),
    "multiple": N_("a multiple-choice answer is a list of option ids (strings)"),
    "truefalse": N_("a true-or-false answer is true or false"),
    "blank": N_("a fill-in answer is a list of texts, one for each blank"),
    "numeric": N_('a numeric answer is the number written as a string, such as "4321.5"'),
    "ordering": N_("an ordering answer is the list of item ids (strings) in your order"),
    "matching": N_("a matching answer is an object pairing each left id with a right id (strings)"),
    "open": N_("an open answer is text"),
}


def problem(question_type: str, response: object) -> str | None:
    """Why `response` cannot be saved for a question of this type (a msgid), or None if it can.
    None (no answer) is always accepted: it clears the answer."""
    if response is None:
        return None
    check = CHECKS.get(question_type)
    if check is None or check(response):
        return None
    return EXPECTED[question_type]
