"""Small helpers shared by every area's forms."""

from collections.abc import Iterable

from wtforms import SelectChoice


def options(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs (WTForms 3.3 retires plain tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]
