"""Small helpers shared by every area's forms."""

from collections.abc import Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import get_timezone
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    Form,
    FormField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
)


def options(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs (WTForms 3.3 retires plain tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


def to_utc(value: datetime | None) -> datetime | None:
    """A form's naive local time (the user's time zone: Asia/Shanghai unless chosen otherwise) in UTC."""
    return value.replace(tzinfo=_zone()).astimezone(UTC) if value else None


def to_local(value: datetime | None) -> datetime | None:
    """The inverse of `to_utc`: a stored time as a form shows it, naive local time."""
    return value.astimezone(_zone()).replace(tzinfo=None) if value else None


def _zone() -> ZoneInfo:
    # Flask-Babel gives a pytz zone; `replace(tzinfo=<pytz zone>)` would take the zone's first offset in
    # history, local mean time (+08:06 for Shanghai), and put every time entered 6 minutes early.
    return ZoneInfo(str(get_timezone()))


def keep_disabled(formdata: MultiDict, shown: Form, names: Iterable[str]) -> MultiDict:
    """The posted `formdata`, plus the values `shown` had for the fields in `names` that were not posted:
    a browser never sends a disabled input. A field that was posted keeps its posted value, so a change to
    a field meant to be fixed can still be seen and refused."""
    merged = MultiDict(formdata)
    for name in names:
        field = shown[name]
        if not any(key == field.name or key.startswith(f"{field.name}-") for key in formdata):
            for key, value in _as_posted(field):
                merged.add(key, value)
    return merged


def restore(form: Form, shown: Form, names: Iterable[str]) -> None:
    """Put `shown`'s values back into `form`'s fields in `names`, as if posted unchanged: a page shown again
    after a refused post then greys out what is stored, not what was refused."""
    for name in names:
        form[name].process(MultiDict(_as_posted(shown[name])))


def _as_posted(field: Field) -> list[tuple[str, str]]:
    """A field's value as a browser would post it."""
    if isinstance(field, FieldList | FormField):
        return [pair for sub in field for pair in _as_posted(sub)]
    if isinstance(field, BooleanField):
        return [(field.name, "y")] if field.data else []
    if isinstance(field, SelectMultipleField):
        return [(field.name, str(value)) for value in field.data or []]
    if isinstance(field, SelectField):
        return [(field.name, "" if field.data is None else str(field.data))]
    return [(field.name, field._value())]
