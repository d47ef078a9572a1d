"""What a saved response must look like for each question type. Pure.

The save API stores any JSON (it must stay cheap), so a hand-made request can save a response of the
wrong shape. Pages show such a response as unanswered instead of failing; scoring already gives it 0.
"""


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
